package io.telemetry.monitor.api;

import java.net.URI;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 *
 * @param type     a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title    a short summary of the kind of problem
 * @param status   the HTTP status
 * @param detail   what exactly went wrong with this request
 * @param instance the path of the request
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Problem(URI type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}

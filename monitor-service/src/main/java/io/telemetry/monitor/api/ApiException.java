package io.telemetry.monitor.api;

import java.time.Duration;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** A client error with the precise detail that goes into its problem answer. */
public class ApiException extends RuntimeException {

    /** 421, which JAX-RS does not name: the request reached a monitor that does not hold what it asks for. */
    public static final Response.StatusType MISDIRECTED = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 421;
        }

        @Override
        public Status.Family getFamily() {
            return Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Misdirected Request";
        }
    };

    private final Response.StatusType status;
    private final Duration retryAfter;

    public ApiException(Response.StatusType status, String detail) {
        this(status, detail, null);
    }

    private ApiException(Response.StatusType status, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Response.StatusType status() {
        return status;
    }

    /** When to ask again, for a 503; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** 503: nothing can answer this yet (its partition is being rebalanced or restored); ask again after a while. */
    public static ApiException unavailable(String detail, Duration retryAfter) {
        return new ApiException(Status.SERVICE_UNAVAILABLE, detail, retryAfter);
    }

    /** 421: a monitor was asked, by another, for what it does not hold. */
    public static ApiException misdirected(String detail) {
        return new ApiException(MISDIRECTED, detail);
    }

    /** 404: the named device, channel or series does not exist. */
    public static ApiException notFound(String detail) {
        return new ApiException(Status.NOT_FOUND, detail);
    }

    /** 401: the request needs credentials it did not bring, or brought wrong ones. */
    public static ApiException unauthorized(String detail) {
        return new ApiException(Status.UNAUTHORIZED, detail);
    }

    /** 409: the request conflicts with what exists. */
    public static ApiException conflict(String detail) {
        return new ApiException(Status.CONFLICT, detail);
    }

    /** 400: a path or query parameter is malformed; the detail names it. */
    public static ApiException badRequest(String detail) {
        return new ApiException(Status.BAD_REQUEST, detail);
    }
}

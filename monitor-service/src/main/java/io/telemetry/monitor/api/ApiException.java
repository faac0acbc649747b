package io.telemetry.monitor.api;

import jakarta.ws.rs.core.Response.Status;

/** A client error with the precise detail that goes into its problem answer. */
public class ApiException extends RuntimeException {

    private final Status status;

    public ApiException(Status status, String detail) {
        super(detail);
        this.status = status;
    }

    public Status status() {
        return status;
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

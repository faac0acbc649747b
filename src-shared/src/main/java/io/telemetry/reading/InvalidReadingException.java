package io.telemetry.reading;

/**
 * Bytes that are not a valid {@link Reading}. The message says why, precisely enough to be the reason
 * given for a dead-lettered record.
 */
public class InvalidReadingException extends RuntimeException {

    public InvalidReadingException(String message) {
        super(message);
    }

    public InvalidReadingException(String message, Throwable cause) {
        super(message, cause);
    }
}

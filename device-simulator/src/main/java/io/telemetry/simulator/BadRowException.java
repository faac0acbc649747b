package io.telemetry.simulator;

import java.nio.file.Path;

/** A CSV row, or a whole file, that cannot be replayed. The message starts with {@code file:line:}. */
public class BadRowException extends RuntimeException {

    private final Path file;
    private final long line;
    private final String reason;

    public BadRowException(Path file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}

package io.telemetry.monitor.alerts;

/** An alert rule that cannot be taken, naming the field at fault and why. */
public class InvalidRuleException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidRuleException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The JSON field at fault, e.g. {@code above}; {@code rule} for the rule as a whole. */
    public String field() {
        return field;
    }

    /** Why the field is refused, without its name. */
    public String reason() {
        return reason;
    }
}

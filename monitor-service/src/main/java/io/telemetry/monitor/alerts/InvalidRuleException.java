package io.telemetry.monitor.alerts;

/** An alert rule that cannot be taken, naming the field at fault and why. */
public class InvalidRuleException extends RuntimeException {

    private final String field;

    public InvalidRuleException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The JSON field at fault, e.g. {@code above}; {@code rule} for the rule as a whole. */
    public String field() {
        return field;
    }
}

package io.telemetry.reading;

/**
 * Default Kafka topic names. Each is also the name of the SmallRye channel that reads or writes it,
 * so {@code @Incoming(Topics.TEMP)} and the tests share one constant; the topic itself can be
 * renamed in configuration ({@code TEMP_TOPIC}, {@code POWER_TOPIC}).
 */
public final class Topics {

    /** Temperature readings, keyed by device id. */
    public static final String TEMP = "temp";
    /** Power readings, keyed by device id. */
    public static final String POWER = "power";

    private Topics() {
    }
}

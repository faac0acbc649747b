package io.telemetry.reading;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a device measures. Each channel has its own Kafka topic and its own physical lower bound.
 */
public enum Channel {
    /** Temperature in degrees Celsius; nothing is colder than absolute zero, no sensor reads the Sun's core. */
    TEMP("temp", "°C", -273.15, 10_000),
    /** Electric power drawn, in watts; an appliance does not give power back, nor draw a power plant's output. */
    POWER("power", "W", 0.0, 1e9);

    /** {@link #values()} once: it clones the array at each call, and {@link #of} runs for every record read. */
    private static final Channel[] ALL = values();

    private final String id;
    private final String unit;
    private final double lowerBound;
    private final double upperBound;

    Channel(String id, String unit, double lowerBound, double upperBound) {
        this.id = id;
        this.unit = unit;
        this.lowerBound = lowerBound;
        this.upperBound = upperBound;
    }

    /** The channel's name on the wire and in URLs: {@code temp} or {@code power}. */
    public String id() {
        return id;
    }

    public String unit() {
        return unit;
    }

    /** Whether the channel's readings are power, whose energy (Wh) is integrated between readings. */
    public boolean hasEnergy() {
        return this == POWER;
    }

    /** The smallest physically possible value. */
    public double lowerBound() {
        return lowerBound;
    }

    /** The largest plausible value: beyond it a reading is an error, and would overflow the aggregates. */
    public double upperBound() {
        return upperBound;
    }

    /**
     * The channel named {@code id}.
     *
     * @throws IllegalArgumentException naming the bad value and the known channels
     */
    public static Channel of(String id) {
        Channel channel = find(id);
        if (channel == null) {
            throw new IllegalArgumentException("unknown channel '" + id + "': expected one of " + names());
        }
        return channel;
    }

    /** The channel of this id, or null: for a decoder that reads the id from its buffer, without a String. */
    static Channel find(CharSequence id) {
        for (Channel channel : ALL) {
            if (channel.id.contentEquals(id)) {
                return channel;
            }
        }
        return null;
    }

    /** The known channel ids, comma separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Channel::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}

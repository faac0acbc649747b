package io.telemetry.monitor.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The widths of time buckets, aligned to UTC: minutes, hours and days start on the epoch's grid. */
public enum Resolution {
    MINUTE(Duration.ofMinutes(1)),
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1));

    private final Duration width;
    private final long millis;

    Resolution(Duration width) {
        this.width = width;
        this.millis = width.toMillis();
    }

    public Duration width() {
        return width;
    }

    public long millis() {
        return millis;
    }

    /** The start, in epoch milliseconds, of the bucket that holds this instant. */
    public long startOf(long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }

    public Instant startOf(Instant instant) {
        return Instant.ofEpochMilli(startOf(instant.toEpochMilli()));
    }

    /** The ISO-8601 name used in the API: {@code PT1M}, {@code PT1H}, {@code P1D}. */
    public String iso() {
        return this == DAY ? "P1D" : width.toString();
    }

    /**
     * The resolution named in ISO-8601.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Resolution of(String iso) {
        for (Resolution resolution : values()) {
            if (resolution.iso().equalsIgnoreCase(iso)) {
                return resolution;
            }
        }
        throw new IllegalArgumentException("'" + iso + "' is not one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Resolution::iso).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return iso();
    }
}

package io.telemetry.monitor.stats;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How long each resolution's buckets are kept, in event time, back from the newest reading of their
 * series: a replay of last year's recording keeps its buckets.
 */
public record Retention(Duration minute, Duration hour, Duration day) {

    /** 1-minute buckets for 48 hours, hourly for 90 days, daily for five years. */
    public static final Retention DEFAULT = of(Duration.ofHours(48), Duration.ofDays(90), Duration.ofDays(1826));

    public Retention {
        check(Resolution.MINUTE, minute);
        check(Resolution.HOUR, hour);
        check(Resolution.DAY, day);
    }

    private static void check(Resolution resolution, Duration span) {
        if (span == null || span.compareTo(resolution.width()) < 0) {
            throw new IllegalArgumentException("retention of " + resolution + " buckets must be at least "
                    + resolution.width() + ", got " + span);
        }
        try {
            span.toMillis(); // each series' buckets count in milliseconds: better refused at start-up than failing there
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("retention of " + resolution + " buckets is too long to count in "
                    + "milliseconds: " + span, e);
        }
    }

    public static Retention of(Duration minute, Duration hour, Duration day) {
        return new Retention(minute, hour, day);
    }

    public Duration of(Resolution resolution) {
        return switch (resolution) {
            case MINUTE -> minute;
            case HOUR -> hour;
            case DAY -> day;
        };
    }

    /** The span of this resolution, in milliseconds. */
    public long millis(Resolution resolution) {
        return of(resolution).toMillis();
    }

    /** The most buckets of this resolution a series can hold. */
    public long maxBuckets(Resolution resolution) {
        return -Math.floorDiv(-millis(resolution), resolution.millis()) + 1; // ceil(span / width) + 1
    }

    /** The finest resolution that still holds a whole window of this length, if any does. */
    public Optional<Resolution> finestCovering(Duration window) {
        for (Resolution resolution : Resolution.values()) {
            if (of(resolution).compareTo(window) >= 0) {
                return Optional.of(resolution);
            }
        }
        return Optional.empty();
    }

    /** The longest span retained, that of daily buckets or longer. */
    public Duration longest() {
        return Stream.of(minute, hour, day).max(Duration::compareTo).orElseThrow();
    }
}

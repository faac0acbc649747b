package io.telemetry.monitor.stats;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long each resolution's buckets are kept, in event time, back from the newest reading of their
 * series: a replay of last year's recording keeps its buckets.
 */
public record Retention(Map<Resolution, Duration> spans) {

    /** 1-minute buckets for 48 hours, hourly for 90 days, daily for five years. */
    public static final Retention DEFAULT = of(Duration.ofHours(48), Duration.ofDays(90), Duration.ofDays(1826));

    public Retention {
        for (Resolution resolution : Resolution.values()) {
            Duration span = spans.get(resolution);
            if (span == null || span.compareTo(resolution.width()) < 0) {
                throw new IllegalArgumentException("retention of " + resolution + " buckets must be at least "
                        + resolution.width() + ", got " + span);
            }
        }
        // An EnumMap: read for every resolution of every reading, an array index beats a hash lookup.
        spans = Collections.unmodifiableMap(new EnumMap<>(spans));
    }

    public static Retention of(Duration minute, Duration hour, Duration day) {
        Map<Resolution, Duration> spans = new EnumMap<>(Resolution.class);
        spans.put(Resolution.MINUTE, minute);
        spans.put(Resolution.HOUR, hour);
        spans.put(Resolution.DAY, day);
        return new Retention(spans);
    }

    public Duration of(Resolution resolution) {
        return spans.get(resolution);
    }

    /** The most buckets of this resolution a series can hold. */
    public long maxBuckets(Resolution resolution) {
        return -Math.floorDiv(-of(resolution).toMillis(), resolution.millis()) + 1; // ceil(span / width) + 1
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
        return spans.values().stream().max(Duration::compareTo).orElseThrow();
    }
}

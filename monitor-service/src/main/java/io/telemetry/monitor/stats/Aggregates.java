package io.telemetry.monitor.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * The monitor's state: the {@link Series} of every device and channel seen, and when each device was
 * last heard from.
 *
 * <p>A plain class, free of Quarkus and Kafka, so that it can be tested alone. Safe for concurrent
 * writers and readers: each series has its own lock.
 */
public final class Aggregates {

    private final Duration maxGap;
    private final Retention retention;
    private final Clock clock;
    private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();

    /**
     * @param maxGap    energy is not integrated across a longer gap between two readings of a series
     * @param retention how long time buckets are kept
     * @param clock     tells when a device was last heard from
     */
    public Aggregates(Duration maxGap, Retention retention, Clock clock) {
        this.maxGap = maxGap;
        this.retention = retention;
        this.clock = clock;
    }

    /** Applies a reading that comes with no Kafka offset. */
    public void apply(Reading reading) {
        Series held = seriesOf(reading);
        held.apply(reading.timestamp(), reading.value());
        held.heard(clock.millis());
    }

    /**
     * Applies the reading at {@code offset} of its series' partition, unless that offset was applied already.
     *
     * @return whether it was applied (false for a redelivered record)
     */
    public boolean apply(Reading reading, long offset) {
        Series held = seriesOf(reading);
        boolean applied = held.apply(reading.timestamp(), reading.value(), offset);
        if (applied) {
            held.heard(clock.millis());
        }
        return applied;
    }

    private Series seriesOf(Reading reading) {
        return series.computeIfAbsent(new SeriesKey(reading.deviceId(), reading.channel()),
                key -> new Series(maxGap, retention, key.channel() == Channel.POWER));
    }

    /**
     * Puts a restored series in place, unless the series held in memory already includes as much: a
     * partition that comes back to this monitor keeps the state it has (and the object that in-flight
     * records are applied to).
     */
    public void restore(SeriesKey key, Series restored) {
        series.merge(key, restored, (held, saved) -> {
            if (held.appliedOffset() >= saved.appliedOffset()) {
                return held;
            }
            saved.heard(held.heardAt()); // the snapshot knows nothing of when this monitor last heard it
            return saved;
        });
    }

    /**
     * A series from its snapshot, with this monitor's settings.
     *
     * @throws IllegalArgumentException if the bytes are not a readable snapshot
     */
    public Series decode(SeriesKey key, byte[] snapshot) {
        return Series.restore(snapshot, maxGap, retention, key.channel() == Channel.POWER);
    }

    public Retention retention() {
        return retention;
    }

    public Optional<Series> series(String deviceId, Channel channel) {
        return series(new SeriesKey(deviceId, channel));
    }

    public Optional<Series> series(SeriesKey key) {
        return Optional.ofNullable(series.get(key));
    }

    /** The all-time stats of each channel a device has sent, in channel order; empty for an unknown device. */
    public Map<Channel, Stats> device(String deviceId) {
        Map<Channel, Stats> channels = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            series(deviceId, channel).map(Series::allTime).filter(stats -> !stats.isEmpty())
                    .ifPresent(stats -> channels.put(channel, stats));
        }
        return channels;
    }

    /** The all-time stats of every device on one channel, by device id. */
    public List<Map.Entry<String, Stats>> channel(Channel channel) {
        return series.entrySet().stream()
                .filter(entry -> entry.getKey().channel() == channel)
                .map(entry -> Map.entry(entry.getKey().deviceId(), entry.getValue().allTime()))
                .filter(entry -> !entry.getValue().isEmpty())
                .sorted(Map.Entry.comparingByKey())
                .toList();
    }

    /** Every device seen (or restored from a snapshot), by id. */
    public List<String> deviceIds() {
        return series.keySet().stream().map(SeriesKey::deviceId).distinct().sorted(Comparator.naturalOrder()).toList();
    }

    /**
     * When this monitor process last applied a reading of this device (arrival time, not event time);
     * empty for a device restored from a snapshot and not heard from since.
     */
    public Optional<Instant> lastHeard(String deviceId) {
        long latest = Long.MIN_VALUE;
        for (Channel channel : Channel.values()) {
            Series held = series.get(new SeriesKey(deviceId, channel));
            if (held != null) {
                latest = Math.max(latest, held.heardAt());
            }
        }
        return latest == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(latest));
    }

    /** Readings too old for any retained bucket of each resolution, over all series. */
    public Map<Resolution, Long> tooLate() {
        Map<Resolution, Long> counts = new EnumMap<>(Resolution.class);
        for (Resolution resolution : Resolution.values()) {
            counts.put(resolution, series.values().stream().mapToLong(found -> found.tooLate(resolution)).sum());
        }
        return counts;
    }
}

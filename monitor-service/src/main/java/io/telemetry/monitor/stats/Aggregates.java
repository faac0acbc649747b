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
 * The monitor's state: the stats of every series seen, and when each device was last heard from.
 *
 * <p>A plain class, free of Quarkus and Kafka, so that it can be tested alone. Safe for one writer per
 * channel and any number of readers: each series is replaced atomically by an immutable {@link Stats}.
 */
public final class Aggregates {

    private final Duration maxGap;
    private final Clock clock;
    private final Map<SeriesKey, Stats> series = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();

    /**
     * @param maxGap energy is not integrated across a longer gap between two readings of a series
     * @param clock  tells when a device was last heard from
     */
    public Aggregates(Duration maxGap, Clock clock) {
        this.maxGap = maxGap;
        this.clock = clock;
    }

    public void apply(Reading reading) {
        series.compute(new SeriesKey(reading.deviceId(), reading.channel()),
                (key, stats) -> (stats == null ? Stats.empty(maxGap) : stats).with(reading));
        lastHeard.put(reading.deviceId(), clock.instant());
    }

    public Optional<Stats> stats(String deviceId, Channel channel) {
        return Optional.ofNullable(series.get(new SeriesKey(deviceId, channel)));
    }

    /** The stats of each channel a device has sent, in channel order; empty for an unknown device. */
    public Map<Channel, Stats> device(String deviceId) {
        Map<Channel, Stats> channels = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            stats(deviceId, channel).ifPresent(stats -> channels.put(channel, stats));
        }
        return channels;
    }

    /** The stats of every device on one channel, by device id. */
    public List<Map.Entry<String, Stats>> channel(Channel channel) {
        return series.entrySet().stream()
                .filter(entry -> entry.getKey().channel() == channel)
                .map(entry -> Map.entry(entry.getKey().deviceId(), entry.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .toList();
    }

    /** Every device seen, by id. */
    public List<String> deviceIds() {
        return lastHeard.keySet().stream().sorted(Comparator.naturalOrder()).toList();
    }

    /** When the monitor last applied a reading of this device (arrival time, not event time). */
    public Optional<Instant> lastHeard(String deviceId) {
        return Optional.ofNullable(lastHeard.get(deviceId));
    }
}

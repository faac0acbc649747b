package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.state.SeriesEntry;
import io.telemetry.reading.Channel;

/** All the series of one device. */
@RegisterForReflection
public record DeviceStats(String deviceId, Instant lastHeardAt, List<SeriesStats> series) {

    /** A device's stats from the entries of its series; empty if it has sent nothing. */
    static Optional<DeviceStats> of(String deviceId, Collection<SeriesEntry> entries) {
        List<SeriesEntry> series = entries.stream().filter(entry -> !entry.stats().isEmpty())
                .sorted(Comparator.comparing(SeriesEntry::channel)).toList();
        if (series.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceStats(deviceId, lastHeard(series),
                series.stream().map(entry -> SeriesStats.of(deviceId, entry.channel(), entry.stats())).toList()));
    }

    /** One device's stats from parts of them (each monitor's); empty if there are none. */
    static Optional<DeviceStats> merge(Collection<DeviceStats> parts) {
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        Instant heard = parts.stream().map(DeviceStats::lastHeardAt).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .orElse(null);
        List<SeriesStats> series = parts.stream().flatMap(part -> part.series().stream())
                .sorted(Comparator.comparing(stats -> Channel.of(stats.channel()))).toList();
        return Optional.of(new DeviceStats(parts.iterator().next().deviceId(), heard, series));
    }

    /** When any of these series was last heard by the monitor that holds it; null if none was since its start. */
    static Instant lastHeard(Collection<SeriesEntry> series) {
        long latest = series.stream().mapToLong(SeriesEntry::heardAt).max().orElse(Long.MIN_VALUE);
        return latest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(latest);
    }
}

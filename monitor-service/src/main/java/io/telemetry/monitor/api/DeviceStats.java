package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.state.SeriesEntry;

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

    /** When any of these series was last heard by the monitor that holds it; null if none was since its start. */
    static Instant lastHeard(Collection<SeriesEntry> series) {
        long latest = series.stream().mapToLong(SeriesEntry::heardAt).max().orElse(Long.MIN_VALUE);
        return latest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(latest);
    }
}

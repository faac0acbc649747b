package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.state.SeriesEntry;

/**
 * A device seen by the monitor.
 *
 * @param channels      the channels it has sent readings on
 * @param lastHeardAt   when the monitor last applied one of its readings (wall-clock time)
 * @param lastReadingAt the event time of its latest reading, over all channels
 */
@RegisterForReflection
public record DeviceSummary(String deviceId, List<String> channels, Instant lastHeardAt, Instant lastReadingAt) {

    /** The devices of these series, by id, each with its channels in channel order. */
    static List<DeviceSummary> of(Collection<SeriesEntry> entries) {
        Map<String, List<SeriesEntry>> byDevice = new TreeMap<>();
        for (SeriesEntry entry : entries) {
            if (!entry.stats().isEmpty()) {
                byDevice.computeIfAbsent(entry.deviceId(), id -> new ArrayList<>()).add(entry);
            }
        }
        List<DeviceSummary> devices = new ArrayList<>(byDevice.size());
        byDevice.forEach((id, series) -> {
            series.sort(Comparator.comparing(SeriesEntry::channel));
            devices.add(new DeviceSummary(id, series.stream().map(entry -> entry.channel().id()).toList(),
                    DeviceStats.lastHeard(series), Instant.ofEpochMilli(series.stream()
                            .mapToLong(entry -> entry.stats().lastAt()).max().orElseThrow())));
        });
        return devices;
    }
}

package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.state.SeriesEntry;
import io.telemetry.reading.Channel;

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

    /** The devices of several monitors' lists, by id: a device whose channels two monitors own is one entry. */
    static List<DeviceSummary> merge(Collection<DeviceSummary> summaries) {
        Map<String, DeviceSummary> byDevice = new TreeMap<>();
        for (DeviceSummary summary : summaries) {
            byDevice.merge(summary.deviceId(), summary, DeviceSummary::with);
        }
        return List.copyOf(byDevice.values());
    }

    private DeviceSummary with(DeviceSummary other) {
        List<String> both = Stream.concat(channels.stream(), other.channels.stream()).distinct()
                .sorted(Comparator.comparing(id -> Channel.of(id))).toList();
        return new DeviceSummary(deviceId, both, later(lastHeardAt, other.lastHeardAt), later(lastReadingAt, other.lastReadingAt));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}

package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.List;

/** All the series of one device. */
public record DeviceStats(String deviceId, Instant lastHeardAt, List<SeriesStats> series) {
}

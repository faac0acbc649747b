package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.List;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** All the series of one device. */
@RegisterForReflection
public record DeviceStats(String deviceId, Instant lastHeardAt, List<SeriesStats> series) {
}

package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.List;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A device seen by the monitor.
 *
 * @param channels     the channels it has sent readings on
 * @param lastHeardAt  when the monitor last applied one of its readings (wall-clock time)
 * @param lastReadingAt the event time of its latest reading, over all channels
 */
@RegisterForReflection
public record DeviceSummary(String deviceId, List<String> channels, Instant lastHeardAt, Instant lastReadingAt) {
}

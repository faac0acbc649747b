package io.telemetry.monitor.state;

import java.util.List;

import io.telemetry.monitor.stats.SeriesKey;

/**
 * A CDI event: this monitor no longer holds some partitions (revoked or lost), and so none of these
 * series; what watches series (the alert rules) forgets where they stood.
 */
public record PartitionsReleased(List<SeriesKey> series) {
}

package io.telemetry.monitor.snapshot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.telemetry.monitor.stats.SeriesKey;

/**
 * What the monitor holds of one partition of a channel's topic: the series whose records live there,
 * the offset through which every record has been applied (and dead-lettered where bad), and the
 * offset through which that state is saved.
 */
final class PartitionState {

    final Set<SeriesKey> series = ConcurrentHashMap.newKeySet();
    volatile long appliedThrough = -1;
    long savedThrough = -1;
}

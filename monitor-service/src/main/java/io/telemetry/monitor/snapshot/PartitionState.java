package io.telemetry.monitor.snapshot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Reading;

/**
 * What the monitor holds of one partition of a channel's topic: the series whose records live there,
 * the offset through which every record has been applied (and dead-lettered where bad), and the
 * offset through which that state is saved.
 */
final class PartitionState implements PartitionHold {

    final Set<SeriesKey> series = ConcurrentHashMap.newKeySet();
    volatile long appliedThrough = -1;
    long savedThrough = -1;

    @Override
    public void track(Reading reading) {
        SeriesKey key = new SeriesKey(reading.deviceId(), reading.channel());
        // Nearly always known already: a lock-free look-up instead of an add, which locks its bin.
        if (!series.contains(key)) {
            series.add(key);
        }
    }

    @Override
    public void appliedThrough(long offset) {
        // Only the partition's one ingesting thread writes it; the snapshot thread reads it.
        if (offset > appliedThrough) {
            appliedThrough = offset;
        }
    }
}

package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.Producer;

import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Reading;

/**
 * What the monitor holds of one partition of a channel's topic: the series whose records live there,
 * the offset through which every record has been applied (and dead-lettered where bad), the offset
 * through which that state is saved, and the producer that saves it.
 */
final class PartitionState implements PartitionHold {

    final Set<SeriesKey> series = ConcurrentHashMap.newKeySet();
    volatile long appliedThrough = -1;
    long savedThrough = -1;
    /** Writes the partition's snapshots, in transactions. */
    private Producer<String, byte[]> producer;
    /** The save whose commit or abort has yet to be finished (it timed out), or null. */
    Unfinished unfinished;
    /** The producer cannot go on (another monitor has opened the partition's since, say): no more saves here. */
    boolean stopped;

    PartitionState(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    Producer<String, byte[]> producer() {
        return producer;
    }

    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /**
     * A save's transaction that is open until committed or aborted: the series it wrote (to be written again
     * if it is aborted) and the marker it carries.
     */
    record Unfinished(boolean commit, List<Series> written, long through) {
    }

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

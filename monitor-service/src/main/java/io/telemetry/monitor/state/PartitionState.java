package io.telemetry.monitor.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.apache.kafka.common.TopicPartition;

import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.reading.Reading;

/**
 * The series of one partition of a channel topic, and the offset through which every record of the
 * partition is applied: as its owner holds it (fed by ingestion), or as the snapshot topic says it
 * was at a marker (restored from the snapshot topic).
 *
 * <p>Safe for one ingesting thread and any number of readers: the map is concurrent, each series has
 * its own lock.
 */
public final class PartitionState implements PartitionHold {

    private final TopicPartition partition;
    private final SeriesSettings settings;
    private final LongSupplier clock;
    private final Map<SeriesKey, PartitionSeries> series = new ConcurrentHashMap<>();
    private volatile long appliedThrough;
    private volatile long catchUpTo = -1;

    /**
     * @param appliedThrough the offset through which every record is in; -1 for none
     * @param clock          the wall clock in epoch ms, for when a series was last heard
     */
    public PartitionState(TopicPartition partition, SeriesSettings settings, long appliedThrough, LongSupplier clock) {
        this.partition = partition;
        this.settings = settings;
        this.appliedThrough = appliedThrough;
        this.clock = clock;
    }

    public TopicPartition partition() {
        return partition;
    }

    public SeriesSettings settings() {
        return settings;
    }

    /** The offset through which every record of the partition is applied; -1 if none is. */
    public long appliedThrough() {
        return appliedThrough;
    }

    /**
     * Until its records are applied through this offset (the partition's last when it was assigned), its
     * series are behind what the partition holds: restored from a snapshot and reading the rest.
     */
    public void catchUpTo(long offset) {
        catchUpTo = offset;
    }

    /** Whether every record the partition held when it was assigned is applied: its series are current. */
    public boolean caughtUp() {
        return appliedThrough >= catchUpTo;
    }

    @Override
    public boolean held() {
        return true;
    }

    @Override
    public PartitionSeries apply(Reading reading, long offset) {
        SeriesKey key = new SeriesKey(reading.deviceId(), reading.channel());
        PartitionSeries held = series.get(key); // nearly always there: a look-up, not a computeIfAbsent that locks its bin
        if (held == null) {
            held = series.computeIfAbsent(key, k -> new PartitionSeries(settings.newSeries(k.channel()), -1));
        }
        return held.apply(reading, offset, clock.getAsLong()) ? held : null;
    }

    @Override
    public void appliedThrough(long offset) {
        // Only the partition's one ingesting thread writes it; snapshots and queries read it.
        if (offset > appliedThrough) {
            appliedThrough = offset;
        }
    }

    /** Sets the offset through which records are in, as a snapshot's marker says. */
    public void restoreAppliedThrough(long offset) {
        appliedThrough = offset;
    }

    public Optional<PartitionSeries> series(SeriesKey key) {
        return Optional.ofNullable(series.get(key));
    }

    /** Every series of the partition. */
    public Map<SeriesKey, PartitionSeries> series() {
        return series;
    }

    /** Puts a series in place, as a snapshot has it. */
    public void put(SeriesKey key, PartitionSeries restored) {
        series.put(key, restored);
    }

    /** Removes a series, as a snapshot's tombstone says. */
    public void remove(SeriesKey key) {
        series.remove(key);
    }

    /** What changed in each series since the last call. */
    public List<SeriesDelta> takeChanges() {
        List<SeriesDelta> deltas = new ArrayList<>();
        series.forEach((key, held) -> held.takeChanges()
                .ifPresent(taken -> deltas.add(new SeriesDelta(key, taken.appliedOffset(), taken.changes()))));
        return deltas;
    }

    /** Counts these changes as not saved: the next {@link #takeChanges()} holds them again. */
    public void unsaved(Collection<SeriesDelta> deltas) {
        for (SeriesDelta delta : deltas) {
            series(delta.key()).ifPresent(held -> held.series().unsaved(delta.changes()));
        }
    }
}

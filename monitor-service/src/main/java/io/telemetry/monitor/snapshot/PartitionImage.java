package io.telemetry.monitor.snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.kafka.common.TopicPartition;

import io.telemetry.monitor.snapshot.SnapshotCodec.Bucket;
import io.telemetry.monitor.snapshot.SnapshotCodec.Entry;
import io.telemetry.monitor.snapshot.SnapshotCodec.Header;
import io.telemetry.monitor.snapshot.SnapshotCodec.Marker;
import io.telemetry.monitor.snapshot.SnapshotCodec.SeriesDeleted;
import io.telemetry.monitor.snapshot.SnapshotCodec.WholeSeries;
import io.telemetry.monitor.state.PartitionSeries;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;

/**
 * One partition's state as the snapshot topic tells it, record by record: the fold of its changelog.
 *
 * <p>A compacted topic read from its beginning gives a consistent state only at its end: the latest
 * record of each key, wherever it stands, and the older markers gone. So an image is used only once the
 * topic has been read to the end offsets taken after the partition's producer was opened (which settles
 * any save left open): it is then the partition's last committed save.
 *
 * <p>A series appears once it has a header: buckets read before it (the usual order after compaction,
 * which keeps a rarely changed bucket far ahead of its series' latest header) wait for it.
 *
 * <p>An image that follows the topic as it grows ({@link SnapshotReplica}) applies a save only once its
 * marker comes, the last record of the save's transaction: between markers it serves the previous save,
 * and each series changes whole (its header and buckets together, under the series' lock), so that a
 * query never sees a series half way from one save to the next.
 *
 * <p>Thread safe: one lock for applying records and taking the state; queries of a following image read
 * its state as they read a held one.
 */
final class PartitionImage {

    private final PartitionState state;
    /** Series whose buckets came before any header. */
    private final Map<SeriesKey, PartitionSeries> headless = new HashMap<>();
    /** Series whose latest form is a format-1 whole series: the next save writes them whole, in format 2. */
    private final Set<SeriesKey> legacy = new HashSet<>();
    /** Keys whose latest value could not be read, and why. */
    private final Map<String, String> unreadable = new LinkedHashMap<>();
    /** For an image applied at markers: the records of the save whose marker has not come yet. */
    private final List<Entry> pending;
    /** When the save of the last marker applied was written (epoch ms, the record's timestamp); -1 if unknown. */
    private long savedAt = -1;
    private boolean taken;

    /** An image of a partition that applies each record as it comes: right once the topic is read to its end. */
    PartitionImage(TopicPartition partition, SeriesSettings settings, LongSupplier clock) {
        this(partition, settings, clock, false);
    }

    /**
     * @param atMarkers whether to apply each save whole at its marker (an image that follows the topic) rather
     *                  than each record as it comes
     */
    PartitionImage(TopicPartition partition, SeriesSettings settings, LongSupplier clock, boolean atMarkers) {
        this.state = new PartitionState(partition, settings, -1, clock);
        this.pending = atMarkers ? new ArrayList<>() : null;
    }

    /** Applies one record of the snapshot topic, in log order. */
    synchronized void add(String key, Entry entry) {
        add(key, entry, -1);
    }

    /**
     * Applies one record of the snapshot topic, in log order.
     *
     * @param timestamp the record's timestamp (when its save was written), epoch ms; -1 if unknown
     */
    synchronized void add(String key, Entry entry, long timestamp) {
        if (!unreadable.isEmpty()) {
            unreadable.remove(key);
        }
        if (pending == null) {
            apply(entry);
        } else if (entry instanceof Marker) {
            applySave(entry);
        } else {
            pending.add(entry);
        }
        if (entry instanceof Marker) {
            savedAt = timestamp;
        }
    }

    /** The state as of the last marker applied, for queries; a following image's stays its own. */
    PartitionState state() {
        return state;
    }

    /** When the save of the last marker applied was written (epoch ms); -1 if unknown or none. */
    synchronized long savedAt() {
        return savedAt;
    }

    /** A record whose key or value cannot be read: the partition cannot be restored until a later one replaces it. */
    synchronized void unreadable(String key, String reason) {
        unreadable.put(key, reason);
    }

    /** Why the partition cannot be restored, if it cannot: a key whose latest value is unreadable. */
    synchronized Optional<String> problem() {
        return unreadable.entrySet().stream().findFirst()
                .map(entry -> "the snapshot " + entry.getKey() + " cannot be read: " + entry.getValue());
    }

    /** The offset of the last marker applied; -1 if none. */
    synchronized long marker() {
        return state.appliedThrough();
    }

    /**
     * The state at the last marker, handed over to be held and fed from now on (the image is done with:
     * it takes no more records). Series read whole in format 1 count as changed throughout, so that the
     * next save writes them in format 2.
     */
    synchronized PartitionState take() {
        if (taken) {
            throw new IllegalStateException("the image of " + state.partition() + " was taken already");
        }
        taken = true;
        legacy.forEach(key -> state.series(key).ifPresent(series -> series.series().changeAll()));
        return state;
    }

    /**
     * Applies the save that {@code marker} ends: each series' records at once, holding the series' lock if it
     * is served already (its buckets before its header if it is not, so that it appears whole), then the marker.
     */
    private void applySave(Entry marker) {
        Map<SeriesKey, List<Entry>> bySeries = new LinkedHashMap<>();
        for (Entry entry : pending) {
            bySeries.computeIfAbsent(seriesOf(entry), key -> new ArrayList<>()).add(entry);
        }
        pending.clear();
        bySeries.forEach((key, entries) -> {
            PartitionSeries served = state.series(key).orElse(null);
            if (served != null) {
                synchronized (served.series()) {
                    entries.forEach(this::apply);
                }
            } else {
                entries.stream().filter(Bucket.class::isInstance).forEach(this::apply);
                entries.stream().filter(entry -> !(entry instanceof Bucket)).forEach(this::apply);
            }
        });
        apply(marker);
    }

    private static SeriesKey seriesOf(Entry entry) {
        if (entry instanceof Header header) {
            return header.key();
        } else if (entry instanceof Bucket bucket) {
            return bucket.key();
        } else if (entry instanceof SeriesDeleted deleted) {
            return deleted.key();
        } else if (entry instanceof WholeSeries whole) {
            return whole.key();
        }
        throw new IllegalArgumentException("not a record of a series: " + entry);
    }

    private void apply(Entry entry) {
        if (taken) {
            throw new IllegalStateException("the image of " + state.partition() + " was taken already");
        }
        if (entry instanceof Header header) {
            PartitionSeries series = state.series(header.key()).orElse(null);
            if (series == null) {
                series = headless.remove(header.key());
                if (series == null) {
                    series = new PartitionSeries(state.settings().newSeries(header.key().channel()), -1);
                }
                state.put(header.key(), series);
            }
            series.series().restore(header.summary());
            series.restoreOffset(header.appliedOffset());
            legacy.remove(header.key());
        } else if (entry instanceof Bucket bucket) {
            PartitionSeries series = state.series(bucket.key()).orElse(null);
            if (series == null) {
                series = headless.computeIfAbsent(bucket.key(),
                        key -> new PartitionSeries(state.settings().newSeries(key.channel()), -1));
            }
            series.series().restore(bucket.resolution(), bucket.start(), bucket.stats());
        } else if (entry instanceof SeriesDeleted deleted) {
            state.remove(deleted.key());
            headless.remove(deleted.key());
            legacy.remove(deleted.key());
        } else if (entry instanceof WholeSeries whole) {
            Series series = state.settings().newSeries(whole.key().channel());
            series.restore(whole.summary());
            whole.buckets().forEach(bucket -> series.restore(bucket.resolution(), bucket.start(), bucket.stats()));
            headless.remove(whole.key());
            state.put(whole.key(), new PartitionSeries(series, whole.appliedOffset()));
            legacy.add(whole.key());
        } else if (entry instanceof Marker marker) {
            state.restoreAppliedThrough(marker.offset());
        }
    }
}

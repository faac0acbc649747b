package io.telemetry.monitor.snapshot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * <p>Thread safe: one lock for applying records and taking the state.
 */
final class PartitionImage {

    private final PartitionState state;
    /** Series whose buckets came before any header. */
    private final Map<SeriesKey, PartitionSeries> headless = new HashMap<>();
    /** Series whose latest form is a format-1 whole series: the next save writes them whole, in format 2. */
    private final Set<SeriesKey> legacy = new HashSet<>();
    /** Keys whose latest value could not be read, and why. */
    private final Map<String, String> unreadable = new LinkedHashMap<>();
    private boolean taken;

    PartitionImage(TopicPartition partition, SeriesSettings settings, LongSupplier clock) {
        this.state = new PartitionState(partition, settings, -1, clock);
    }

    /** Applies one record of the snapshot topic, in log order. */
    synchronized void add(String key, Entry entry) {
        if (!unreadable.isEmpty()) {
            unreadable.remove(key);
        }
        apply(entry);
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

package io.telemetry.monitor.snapshot;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;

/** The snapshot topic's records folded into an image per partition of the channel topics, by one thread at a time. */
final class SnapshotImages {

    private static final Logger LOG = Logger.getLogger(SnapshotImages.class);

    private final Map<TopicPartition, PartitionImage> images = new ConcurrentHashMap<>();
    private final SeriesSettings settings;
    private final Predicate<TopicPartition> wanted;
    private final LongSupplier clock;
    private final boolean atMarkers;
    /** The key of the record before, whose partition the next one likely has. */
    private SnapshotCodec.Key previous;
    /** The series of the record before, which the next one likely has. */
    private SeriesKey previousSeries;

    /**
     * @param wanted the partitions to fold; the records of others are skipped unread
     */
    SnapshotImages(SeriesSettings settings, Predicate<TopicPartition> wanted, LongSupplier clock) {
        this(settings, wanted, clock, false);
    }

    /**
     * @param atMarkers whether each image applies a save whole at its marker ({@link PartitionImage}), for
     *                  images that follow the topic as it grows
     */
    SnapshotImages(SeriesSettings settings, Predicate<TopicPartition> wanted, LongSupplier clock, boolean atMarkers) {
        this.settings = settings;
        this.wanted = wanted;
        this.clock = clock;
        this.atMarkers = atMarkers;
    }

    /** One record of the snapshot topic, in log order. */
    void add(String key, byte[] value) {
        add(key, value, -1);
    }

    /**
     * One record of the snapshot topic, in log order.
     *
     * @param timestamp the record's timestamp, epoch ms; -1 if unknown
     */
    void add(String key, byte[] value, long timestamp) {
        SnapshotCodec.Key read;
        try {
            read = SnapshotCodec.key(key, previous);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipped a record of the snapshot topic: %s", e.getMessage());
            return;
        }
        previous = read;
        if (!wanted.test(read.partition())) {
            return;
        }
        PartitionImage image = images.computeIfAbsent(read.partition(),
                p -> new PartitionImage(p, settings, clock, atMarkers));
        SnapshotCodec.Entry entry;
        try {
            entry = SnapshotCodec.decode(read, value, previousSeries);
        } catch (IllegalArgumentException e) {
            image.unreadable(key, e.getMessage());
            return;
        }
        if (entry instanceof SnapshotCodec.Bucket bucket) {
            previousSeries = bucket.key();
        } else if (entry instanceof SnapshotCodec.Header header) {
            previousSeries = header.key();
        }
        image.add(key, entry, timestamp);
    }

    Optional<PartitionImage> image(TopicPartition partition) {
        return Optional.ofNullable(images.get(partition));
    }

    Map<TopicPartition, PartitionImage> all() {
        return images;
    }
}

package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.telemetry.monitor.stats.SeriesSettings;

/**
 * Reads the snapshot topic from its beginning to its end into images of some partitions.
 *
 * <p>Restores that ask while a read runs share it: the two channels' consumers get their partitions from
 * the same rebalance, a few hundred milliseconds apart, and each would otherwise read the whole topic, on
 * the same cores, from the same broker. A read folds every partition it finds, so a restore can join it
 * at any time before it ends; it then reads on to end offsets taken after that restore asked (so after
 * it opened its producers, as {@link PartitionImage} needs), and each restore takes the images it asked
 * for. What no one asked for is dropped with the read.
 */
@Singleton
class SnapshotReader {

    private static final Logger LOG = Logger.getLogger(SnapshotReader.class);

    private final SnapshotTopic topic;
    private final SeriesSettings settings;
    private final ManagedExecutor executor;
    private final Timer readTime;
    private final Counter readRecords;
    /** The read running, if any; guarded by this. */
    private Read running;

    /**
     * @param executor where the records are folded while the next ones are polled ({@link SnapshotFold})
     */
    SnapshotReader(SnapshotTopic topic, SeriesSettings settings, ManagedExecutor executor, MeterRegistry registry) {
        this.topic = topic;
        this.settings = settings;
        this.executor = executor;
        this.readTime = Timer.builder("monitor.snapshot.restore.reads")
                .description("reads of the snapshot topic to restore assigned partitions, each shared by the restores asking meanwhile")
                .register(registry);
        this.readRecords = Counter.builder("monitor.snapshot.restore.records")
                .description("records of the snapshot topic read to restore assigned partitions").register(registry);
    }

    /**
     * @return an image of each of these partitions at its last committed marker (an empty one for a partition
     *         never saved)
     * @throws RuntimeException if Kafka does not answer, or stops giving records for {@link SnapshotTopic#READ_STALL}
     */
    Map<TopicPartition, PartitionImage> read(Collection<TopicPartition> partitions) {
        Read read;
        boolean reads;
        synchronized (this) {
            reads = running == null;
            if (reads) {
                running = new Read();
            }
            read = running;
            read.asked(partitions);
        }
        if (reads) {
            read.run();
        }
        SnapshotImages images;
        try {
            images = read.done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        Map<TopicPartition, PartitionImage> wanted = new HashMap<>();
        for (TopicPartition partition : partitions) {
            wanted.put(partition, images.image(partition)
                    .orElseGet(() -> new PartitionImage(partition, settings, System::currentTimeMillis)));
        }
        return wanted;
    }

    /** One read of the topic, for every restore that asks before it ends. */
    private final class Read {

        final CompletableFuture<SnapshotImages> done = new CompletableFuture<>();
        /** Guarded by the reader: the restores that asked, and the partitions they want. */
        private int asks;
        private final Set<TopicPartition> wanted = new HashSet<>();

        void asked(Collection<TopicPartition> partitions) {
            asks++;
            wanted.addAll(partitions);
        }

        void run() {
            long started = System.nanoTime();
            SnapshotImages images = new SnapshotImages(settings, any -> true, System::currentTimeMillis);
            SnapshotFold fold = new SnapshotFold(images::add, executor);
            KafkaConsumer<String, byte[]> reader = null;
            long records;
            try {
                reader = topic.reader("monitor-snapshots-restore");
                List<TopicPartition> all = topic.assignAll(reader);
                int covered = 0;
                while (true) {
                    synchronized (SnapshotReader.this) {
                        if (asks == covered) { // read to end offsets taken after every restore asked: done
                            running = null;
                            break;
                        }
                        covered = asks;
                    }
                    topic.readTo(reader, reader.endOffsets(all, Duration.ofSeconds(30)), poll -> {
                        readRecords.increment(poll.count());
                        fold.add(poll);
                    });
                }
                records = fold.finish();
            } catch (RuntimeException | Error e) {
                fold.abandon();
                synchronized (SnapshotReader.this) {
                    if (running == this) {
                        running = null;
                    }
                }
                done.completeExceptionally(e);
                return;
            } finally {
                if (reader != null) {
                    reader.close(Duration.ZERO); // no group, nothing to commit: no need to wait for the broker
                }
                readTime.record(Duration.ofNanos(System.nanoTime() - started));
            }
            LOG.infof("Read %d records of the snapshot topic %s in %d ms, for %s", records, topic.name(),
                    (System.nanoTime() - started) / 1_000_000, wanted);
            done.complete(images);
        }
    }
}

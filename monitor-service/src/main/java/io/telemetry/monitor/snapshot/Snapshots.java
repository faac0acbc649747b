package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.scheduler.Scheduled;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.state.PartitionState;

/**
 * Saves the state of the partitions this monitor holds with the offsets it includes, and restores a
 * partition when it is assigned, so that each record counts exactly once across crashes, restarts and
 * rebalances without re-reading the topics.
 *
 * <p>Every {@code interval}, each held partition saves what changed ({@link PartitionSaver}). On
 * assignment, the partition's producer is opened first, which fences the previous owner's and settles
 * what it left open; then its state at its last committed marker {@code X} is read from the topic
 * ({@link SnapshotReader}), and the consumer seeks to {@code X + 1}. A record at
 * or below its series' saved offset is skipped, so restoring an older snapshot than the newest is never
 * wrong, only slower.
 */
@ApplicationScoped
public class Snapshots {

    private static final Logger LOG = Logger.getLogger(Snapshots.class);
    /** Restores of newly assigned partitions before the monitor gives up and stops. */
    private static final int RESTORE_ATTEMPTS = 3;

    private final HeldPartitions held;
    private final SnapshotTopic topic;
    private final SnapshotReader reader;
    private final SnapshotProducers producers;
    private final PartitionSaver.FailPoint failPoint;
    private final Map<TopicPartition, PartitionSaver> savers = new ConcurrentHashMap<>();
    private final Set<String> restoredTopics = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restoring = new AtomicInteger();
    private final Timer saveTime;
    private final Counter savedRecords;
    private final Counter savedBytes;
    private boolean closed;

    public Snapshots(HeldPartitions held, SnapshotTopic topic, SnapshotReader reader,
            SnapshotProducers producers, MonitorConfig config, MeterRegistry registry) {
        this.held = held;
        this.topic = topic;
        this.reader = reader;
        this.producers = producers;
        this.failPoint = PartitionSaver.FailPoint.of(config.snapshot().failPoint());
        this.saveTime = Timer.builder("monitor.snapshot.saves").description("saves of every held partition's changes")
                .register(registry);
        this.savedRecords = Counter.builder("monitor.snapshot.records").description("records written to the snapshot topic")
                .register(registry);
        this.savedBytes = Counter.builder("monitor.snapshot.bytes")
                .description("bytes of keys and values written to the snapshot topic").register(registry);
    }

    @Scheduled(every = "${monitor.snapshot.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        saveAll();
    }

    @PreDestroy
    synchronized void stop() {
        saveAll();
        closed = true;
        savers.values().forEach(PartitionSaver::close);
        savers.clear();
    }

    /** Whether state has been restored for every channel topic and no restore is running. */
    public boolean restored(Collection<String> topics) {
        return restoring.get() == 0 && restoredTopics.containsAll(topics);
    }

    /** Saves every partition held; failures are logged and tried again at the next interval. */
    public synchronized void saveAll() {
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        for (PartitionSaver saver : List.copyOf(savers.values())) {
            save(saver);
        }
        saveTime.record(Duration.ofNanos(System.nanoTime() - started));
    }

    private void save(PartitionSaver saver) {
        try {
            PartitionSaver.Saved saved = saver.save();
            savedRecords.increment(saved.records());
            savedBytes.increment(saved.bytes());
        } catch (RuntimeException e) {
            LOG.warnf("Could not save the snapshot of %s (tried again at the next interval): %s", saver.partition(),
                    e.getMessage());
        }
    }

    /**
     * Restores newly assigned partitions from their snapshots and seeks past what they include. Runs on
     * the consumer's polling thread, before any record of these partitions is polled.
     */
    void restore(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        restoring.incrementAndGet();
        try {
            if (!assigned.isEmpty()) {
                restoreOrStop(consumer, assigned);
            }
            // Topics of which this consumer got no partition are done too.
            restoredTopics.addAll(consumer.subscription());
            assigned.forEach(partition -> restoredTopics.add(partition.topic()));
        } finally {
            restoring.decrementAndGet();
        }
    }

    private void restoreOrStop(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Map<TopicPartition, Producer<String, byte[]>> opened = new HashMap<>();
        Map<TopicPartition, PartitionImage> images;
        try {
            // The producers first: opening them settles what an earlier owner left open, so what is read is final.
            images = withRetries(assigned, () -> {
                assigned.forEach(partition -> opened.computeIfAbsent(partition, producers::open));
                Map<TopicPartition, PartitionImage> read = reader.read(assigned);
                read.values().forEach(image -> image.problem().ifPresent(problem -> {
                    throw new IllegalStateException(problem);
                }));
                return read;
            });
        } catch (RuntimeException e) {
            opened.values().forEach(producer -> producer.close(Duration.ZERO));
            // Counting these partitions from the beginning instead would be exact only while the topics still
            // hold every record: once retention has deleted old ones, the next save would write the aggregates
            // of what is left over the complete ones. So: hold nothing of them, save nothing of them, stay
            // unready, and stop; a restart tries again.
            LOG.errorf(e, "Cannot restore %s from the snapshot topic %s (MONITOR_SNAPSHOT_TOPIC) after %d attempts."
                    + " Stopping the monitor, exit status 1, rather than counting from the beginning, which would"
                    + " overwrite the saved aggregates with those of what the topics still hold", assigned, topic.name(),
                    RESTORE_ATTEMPTS);
            Quarkus.asyncExit(1);
            return;
        }
        // What each partition holds now: its series are served as current once they include all of it.
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        for (TopicPartition partition : assigned) {
            PartitionImage image = images.get(partition);
            PartitionState state = image.take();
            long marker = image.marker();
            take(new PartitionSaver(topic.name(), state, opened.get(partition), marker, failPoint));
            state.catchUpTo(ends.getOrDefault(partition, 0L) - 1);
            held.take(state);
            if (marker >= 0) {
                consumer.seek(partition, marker + 1);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            LOG.infof("Partition %s: restored %d series from snapshots, reading from offset %s", partition,
                    state.series().size(), marker >= 0 ? Long.toString(marker + 1) : "0 (no snapshot yet)");
        }
    }

    /** Saves a partition from now on; one assigned again without a revocation between lets go of its old saver. */
    private synchronized void take(PartitionSaver saver) {
        PartitionSaver replaced = savers.put(saver.partition(), saver);
        if (replaced != null) {
            replaced.close();
        }
        if (closed) {
            saver.close();
        }
    }

    /**
     * Lets go of partitions that were revoked or lost, and stops saving them. A revoked partition is saved
     * once more first (the group gives it to its next owner only after this), so that the next owner reads
     * less again; a lost one is not: it may be another monitor's already, whose newer state a late write from
     * here would overwrite.
     */
    synchronized void release(Collection<TopicPartition> partitions, boolean saveFirst) {
        for (TopicPartition partition : partitions) {
            PartitionSaver saver = savers.remove(partition);
            if (saver != null) {
                if (saveFirst && !closed) {
                    save(saver);
                }
                saver.close();
            }
        }
        held.release(partitions);
    }

    /** A restore step, tried again after a pause when it fails (a broker slow to answer, a leader moving). */
    private <T> T withRetries(Collection<TopicPartition> assigned, Supplier<T> step) {
        for (int attempt = 1;; attempt++) {
            try {
                return step.get();
            } catch (RuntimeException e) {
                if (attempt == RESTORE_ATTEMPTS) {
                    throw e;
                }
                LOG.warnf("Could not restore %s from snapshots (attempt %d of %d), trying again in %d s: %s", assigned,
                        attempt, RESTORE_ATTEMPTS, attempt, e.getMessage());
                try {
                    Thread.sleep(attempt * 1000L);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}

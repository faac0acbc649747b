package io.telemetry.monitor.snapshot;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.telemetry.monitor.CompactedTopic;
import io.telemetry.monitor.KafkaClients;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.snapshot.PartitionState.Unfinished;
import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;

/**
 * Saves the aggregates with the offsets they include, and restores them, so that each record counts
 * exactly once across crashes and restarts without re-reading the topics.
 *
 * <p>Every {@code interval}, for each partition of the channel topics: note the offset {@code X} through
 * which all records are applied; write each series of the partition that changed since its last save,
 * whole, with the offset of the last record applied to it, and the partition's marker {@code X}, in one
 * Kafka transaction. On assignment, the series and markers of the partition are read back from the
 * compacted topic (committed transactions only) and the consumer seeks to {@code X + 1}; a record at or
 * below its series' saved offset is skipped ({@link Series#apply(java.time.Instant, double, long)}), so
 * restoring an older snapshot than the newest is never wrong, only slower.
 *
 * <p>Each partition's snapshots have a transactional producer of their own ({@link #transactionalId}).
 * The monitor that is assigned the partition opens it before reading the snapshots back, which fences
 * the previous owner's: a monitor that stalled past the session timeout, lost the partition without
 * knowing it, and then tries to save it, is refused by Kafka instead of writing over the new owner.
 */
@ApplicationScoped
public class Snapshots {

    private static final Logger LOG = Logger.getLogger(Snapshots.class);
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    /** Reads of the snapshots of newly assigned partitions before the monitor gives up and stops. */
    private static final int RESTORE_ATTEMPTS = 3;
    /** Reading the snapshot topic gives up when it has made no progress for this long (an unreachable broker). */
    private static final Duration READ_STALL = Duration.ofSeconds(30);

    private final Aggregates aggregates;
    private final MonitorConfig.SnapshotConfig config;
    private final Map<String, Object> kafka;
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    private final Set<String> restoredTopics = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restoring = new AtomicInteger();
    private ScheduledExecutorService timer;
    private boolean topicReady;
    private boolean closed;
    /** Opens the transactional producer of a partition's snapshots: {@link #openProducer}, or a test's mock. */
    private Function<TopicPartition, Producer<String, byte[]>> producerFactory = this::openProducer;

    /**
     * @param kafka the application's {@code kafka.*} settings (security and the like, for a real cluster)
     */
    public Snapshots(Aggregates aggregates, MonitorConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config appConfig) {
        this.aggregates = aggregates;
        this.config = config.snapshot();
        this.kafka = KafkaClients.settings(kafka, appConfig);
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "monitor-snapshots");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.interval().toMillis();
        timer.scheduleWithFixedDelay(this::saveAll, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            // Not shutdownNow: interrupted in a commit, a save would leave its transaction to be finished later.
            timer.shutdown();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        saveAll();
        synchronized (this) {
            closed = true;
            partitions.values().forEach(PartitionState::close);
        }
    }

    /** For tests: the producers of partitions assigned from now on come from this factory; returns the one before. */
    Function<TopicPartition, Producer<String, byte[]>> useProducers(Function<TopicPartition, Producer<String, byte[]>> factory) {
        Function<TopicPartition, Producer<String, byte[]>> before = producerFactory;
        producerFactory = factory;
        return before;
    }

    /**
     * This monitor's hold on a partition as it is now, for ingestion to take at the start of a batch and
     * report that batch to. If the partition is revoked while the batch is in flight, what the batch
     * reports goes to a hold nobody saves any more, even if the partition has been assigned back since
     * (its new hold starts from the restored snapshot, and the batch's records are read again after it).
     */
    public PartitionHold hold(TopicPartition partition) {
        PartitionState state = partitions.get(partition);
        return state == null ? PartitionHold.NONE : state;
    }

    /** The series of the partitions this monitor holds now. */
    public List<SeriesKey> heldSeries() {
        List<SeriesKey> held = new ArrayList<>();
        partitions.values().forEach(state -> held.addAll(state.series));
        return held;
    }

    /** Whether state has been restored for every channel topic and no restore is running. */
    public boolean restored(Collection<String> topics) {
        return restoring.get() == 0 && restoredTopics.containsAll(topics);
    }

    /** Saves every partition held; failures are logged and retried at the next interval. */
    public synchronized void saveAll() {
        for (TopicPartition partition : List.copyOf(partitions.keySet())) {
            try {
                save(partition);
            } catch (RuntimeException e) {
                LOG.warnf("Could not save the snapshot of %s (retried at the next interval): %s", partition, e.getMessage());
            }
        }
    }

    /**
     * Reads the snapshots of newly assigned partitions back into the aggregates and seeks past what they
     * include. Runs on the consumer's polling thread, before any record of these partitions is polled.
     */
    void restore(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        restoring.incrementAndGet();
        try {
            Map<TopicPartition, Restored> restored;
            Map<TopicPartition, Producer<String, byte[]>> producers = new HashMap<>();
            try {
                // The producers first: opening them settles what an earlier owner left open, so what is read is final.
                restored = assigned.isEmpty() ? Map.of() : withRetries(assigned, () -> {
                    assigned.forEach(partition -> producers.computeIfAbsent(partition, producerFactory));
                    return read(assigned);
                });
            } catch (RuntimeException e) {
                producers.values().forEach(producer -> producer.close(Duration.ZERO));
                // Counting these partitions from the beginning instead would be exact only while the topics still
                // hold every record: once retention has deleted old ones, the next save would write the aggregates
                // of what is left over the complete ones. So: hold nothing of them, save nothing of them, stay
                // unready, and stop; a restart tries again.
                LOG.errorf(e, "Cannot restore %s from the snapshot topic %s (MONITOR_SNAPSHOT_TOPIC) after %d attempts."
                        + " Stopping the monitor, exit status 1, rather than counting from the beginning, which would"
                        + " overwrite the saved aggregates with those of what the topics still hold", assigned,
                        config.topic(), RESTORE_ATTEMPTS);
                Quarkus.asyncExit(1);
                return;
            }
            for (TopicPartition partition : assigned) {
                Restored saved = restored.getOrDefault(partition, new Restored(-1, Map.of()));
                PartitionState state = new PartitionState(producers.get(partition));
                saved.series().forEach((key, series) -> {
                    aggregates.restore(key, series);
                    state.series.add(key);
                });
                state.appliedThrough = saved.marker();
                state.savedThrough = saved.marker();
                take(partition, state);
                if (saved.marker() >= 0) {
                    consumer.seek(partition, saved.marker() + 1);
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
                LOG.infof("Partition %s: restored %d series from snapshots, reading from offset %s", partition,
                        saved.series().size(), saved.marker() >= 0 ? Long.toString(saved.marker() + 1) : "0 (no snapshot yet)");
            }
            // Topics of which this consumer got no partition are done too.
            restoredTopics.addAll(consumer.subscription());
            assigned.forEach(partition -> restoredTopics.add(partition.topic()));
        } finally {
            restoring.decrementAndGet();
        }
    }

    /** Holds a partition from now on; one assigned again without a revocation between lets go of its old producer. */
    private synchronized void take(TopicPartition partition, PartitionState state) {
        PartitionState replaced = partitions.put(partition, state);
        if (replaced != null) {
            replaced.close();
        }
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

    /** A partition's saved state: its marker and its series, decoded. */
    private record Restored(long marker, Map<SeriesKey, Series> series) {
    }

    /** Reads and decodes the saved state of these partitions, changing nothing. */
    private Map<TopicPartition, Restored> read(Collection<TopicPartition> assigned) {
        Map<TopicPartition, Long> markers = new HashMap<>();
        Map<TopicPartition, Map<SeriesKey, Series>> series = new HashMap<>();
        for (Map.Entry<String, byte[]> entry : readAll().entrySet()) {
            TopicPartition partition = SnapshotKeys.partition(entry.getKey());
            if (entry.getValue() == null || !assigned.contains(partition)) {
                continue;
            }
            if (SnapshotKeys.isMarker(entry.getKey())) {
                markers.put(partition, ByteBuffer.wrap(entry.getValue()).getLong());
            } else {
                SeriesKey key = SnapshotKeys.seriesKey(entry.getKey());
                Series decoded;
                try {
                    decoded = aggregates.decode(key, entry.getValue());
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the snapshot " + entry.getKey() + " cannot be read: " + e.getMessage(), e);
                }
                series.computeIfAbsent(partition, p -> new HashMap<>()).put(key, decoded);
            }
        }
        Map<TopicPartition, Restored> restored = new HashMap<>();
        for (TopicPartition partition : assigned) {
            restored.put(partition, new Restored(markers.getOrDefault(partition, -1L),
                    series.getOrDefault(partition, Map.of())));
        }
        return restored;
    }

    /**
     * Stops saving partitions that were revoked or lost. Nothing more is written for them: the new owner
     * restores the last snapshot this monitor saved and re-reads what came after it, so a late write from
     * here could only overwrite the new owner's newer state.
     *
     * @return the series those partitions held
     */
    synchronized List<SeriesKey> release(Collection<TopicPartition> revoked) {
        List<SeriesKey> released = new ArrayList<>();
        for (TopicPartition partition : revoked) {
            PartitionState state = partitions.remove(partition);
            if (state != null) {
                released.addAll(state.series);
                state.close();
            }
        }
        return released;
    }

    private void save(TopicPartition partition) {
        PartitionState state = partitions.get(partition);
        if (state == null || state.stopped) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the monitor is shutting down");
        }
        Producer<String, byte[]> producer = state.producer();
        if (state.unfinished != null) {
            finish(partition, state, producer); // throws while it still cannot
            if (state.stopped) {
                return;
            }
        }
        long through = state.appliedThrough;
        if (through < 0) {
            return;
        }
        List<Series> written = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (SeriesKey key : state.series) {
            Optional<Series> series = aggregates.series(key);
            Optional<byte[]> bytes = series.flatMap(Series::snapshotIfChanged);
            if (bytes.isPresent()) {
                written.add(series.get());
                records.add(new ProducerRecord<>(config.topic(), SnapshotKeys.series(partition, key), bytes.get()));
            }
        }
        if (records.isEmpty() && through == state.savedThrough) {
            return;
        }
        try {
            producer.beginTransaction();
            records.forEach(producer::send);
            if ("before-marker".equals(config.failPoint()) && state.savedThrough >= 0) {
                producer.flush();
                LOG.errorf("fail point before-marker: halting after %d series of %s", records.size(), partition);
                Runtime.getRuntime().halt(137);
            }
            producer.send(new ProducerRecord<>(config.topic(), SnapshotKeys.marker(partition),
                    ByteBuffer.allocate(Long.BYTES).putLong(through).array()));
        } catch (RuntimeException e) {
            if (fenced(e)) {
                stopSaving(partition, state, e);
                return;
            }
            state.unfinished = new Unfinished(false, written, through);
            try {
                finish(partition, state, producer);
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
        state.unfinished = new Unfinished(true, written, through);
        finish(partition, state, producer);
    }

    /**
     * Commits or aborts the partition's open transaction ({@link PartitionState#unfinished}). One that timed
     * out (a broker away for longer than {@code max.block.ms}) stays unfinished and is tried again at the
     * next save, as Kafka requires: after a call timed out, nothing but the same call is allowed. A fenced
     * producer stops saving, and returns.
     *
     * @throws RuntimeException when the transaction is not finished, or was aborted after a failed commit
     */
    private static void finish(TopicPartition partition, PartitionState state, Producer<String, byte[]> producer) {
        Unfinished open = state.unfinished;
        try {
            if (open.commit()) {
                producer.commitTransaction();
                state.savedThrough = open.through();
            } else {
                producer.abortTransaction();
                open.written().forEach(Series::markChanged); // none of it is visible: written again next time
            }
            state.unfinished = null;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer in time; the " + (open.commit() ? "commit" : "abort")
                    + " of the snapshot of " + partition + " is tried again at the next save", e);
        } catch (RuntimeException e) {
            state.unfinished = null;
            if (fenced(e)) {
                stopSaving(partition, state, e);
                return;
            }
            if (!open.commit()) {
                stopSaving(partition, state, e);
                throw e;
            }
            // A commit refused without fencing (a record too large, say) can still be aborted.
            state.unfinished = new Unfinished(false, open.written(), open.through());
            try {
                finish(partition, state, producer);
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /**
     * This monitor stops saving a partition whose producer cannot go on. It never opens another one itself:
     * that would fence the partition's new owner, if there is one. Nothing is lost: the partition's records
     * after its last saved snapshot are read again wherever it is next assigned.
     */
    private static void stopSaving(TopicPartition partition, PartitionState state, RuntimeException why) {
        state.stopped = true;
        if (fenced(why)) {
            // The group gave the partition to another monitor while this one was stalled, and that one has opened
            // the partition's producer since. The consumer learns it lost the partition at its next poll.
            LOG.warnf("Partition %s was taken over by another monitor: this one no longer saves it (%s)", partition,
                    why.getMessage());
        } else {
            LOG.errorf(why, "The snapshots of partition %s can no longer be saved by this monitor: its records since"
                    + " the last saved snapshot will be read again when it restarts or the partition moves", partition);
        }
    }

    private static boolean fenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // Not InvalidProducerEpochException: Kafka raises it for a transaction the coordinator timed out too,
            // which an abort recovers from; when another producer did fence this one, the abort says so.
            if (cause instanceof ProducerFencedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The transactional producer of a partition's snapshots. Opening it fences any earlier producer of the
     * same partition, in this process or another monitor, and settles the transaction it left open: from then
     * on, only this monitor can add to the partition's snapshots.
     */
    private KafkaProducer<String, byte[]> openProducer(TopicPartition partition) {
        ensureTopic();
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put("transactional.id", transactionalId(config.topic(), partition));
        settings.put("acks", "all");
        settings.put("enable.idempotence", "true");
        settings.put("compression.type", "lz4");
        settings.put("linger.ms", "5");
        settings.put("max.request.size", Integer.toString(MAX_RECORD_BYTES));
        settings.put("client.id", "monitor-snapshots-" + partition);
        // A save, or opening the producer, waits at most this long for an unreachable broker (at shutdown, too).
        settings.put("max.block.ms", "10000");
        settings.put("delivery.timeout.ms", "30000");
        settings.put("request.timeout.ms", "10000");
        // Kafka's default, said here: how long a save's transaction may stay open. The coordinator then aborts
        // it (a monitor that died mid-save holds back other readers of the snapshot topic at most this long).
        settings.put("transaction.timeout.ms", "60000");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new ByteArraySerializer());
        try {
            producer.initTransactions();
            return producer;
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** The transactional id of the producer of a partition's snapshots: one per snapshot topic and partition. */
    static String transactionalId(String snapshotTopic, TopicPartition partition) {
        return snapshotTopic + "-" + partition.topic() + "-" + partition.partition();
    }

    /** The latest value of every key of the snapshot topic (null for a deleted key). */
    private Map<String, byte[]> readAll() {
        ensureTopic();
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put("enable.auto.commit", "false");
        settings.put("client.id", "monitor-snapshots-restore");
        // Only what a save committed whole: never the series of a save that was aborted, or cut short by a crash.
        settings.put("isolation.level", "read_committed");
        settings.put("max.partition.fetch.bytes", Integer.toString(MAX_RECORD_BYTES));
        settings.remove("group.id");
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = reader.partitionsFor(config.topic(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            reader.assign(all);
            reader.seekToBeginning(all);
            Map<TopicPartition, Long> end = reader.endOffsets(all, Duration.ofSeconds(30));
            long progressAt = System.nanoTime();
            long position = -1;
            while (all.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value());
                }
                // The position, not the records: read_committed skips aborted saves without returning anything.
                long reached = all.stream().mapToLong(reader::position).sum();
                if (reached > position) {
                    position = reached;
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > READ_STALL.toNanos()) {
                    throw new IllegalStateException("the snapshot topic " + config.topic() + " got no further for "
                            + READ_STALL.toSeconds() + " s before its end offsets " + end);
                }
            }
        }
        return latest;
    }

    /** Creates the compacted snapshot topic if it is missing. */
    private synchronized void ensureTopic() {
        if (!topicReady) {
            // With deletion by age, a series unchanged for longer than the retention would vanish behind a newer marker.
            CompactedTopic.ensure(kafka, config.topic(), MAX_RECORD_BYTES, "snapshot topic (MONITOR_SNAPSHOT_TOPIC)");
            topicReady = true;
        }
    }
}

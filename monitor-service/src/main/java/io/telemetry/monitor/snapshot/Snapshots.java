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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Reading;

/**
 * Saves the aggregates with the offsets they include, and restores them, so that each record counts
 * exactly once across crashes and restarts without re-reading the topics.
 *
 * <p>Every {@code interval}, for each partition of the channel topics: note the offset {@code X} through
 * which all records are applied; write each series of the partition that changed since its last save,
 * whole, with the offset of the last record applied to it; once Kafka has all of them, write the
 * partition's marker {@code X}. On assignment, the series and markers of the partition are read back
 * from the compacted topic and the consumer seeks to {@code X + 1}; a record at or below its series'
 * saved offset is skipped ({@link Series#apply(java.time.Instant, double, long)}). A crash between the
 * series and the marker is therefore harmless: the older marker makes the monitor re-read a little,
 * and the series' own offsets keep it from counting anything twice.
 */
@ApplicationScoped
public class Snapshots {

    private static final Logger LOG = Logger.getLogger(Snapshots.class);
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final Aggregates aggregates;
    private final MonitorConfig.SnapshotConfig config;
    private final Map<String, Object> kafka;
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    private final Set<String> restoredTopics = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restoring = new AtomicInteger();
    private ScheduledExecutorService timer;
    private KafkaProducer<String, byte[]> producer;
    private boolean topicReady;
    private boolean closed;

    public Snapshots(Aggregates aggregates, MonitorConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.aggregates = aggregates;
        this.config = config.snapshot();
        this.kafka = kafka;
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
            timer.shutdownNow();
        }
        saveAll();
        synchronized (this) {
            closed = true;
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
                producer = null;
            }
        }
    }

    /** Called by ingestion for each applied reading: the series lives in this partition. */
    public void track(TopicPartition partition, Reading reading) {
        state(partition).series.add(new SeriesKey(reading.deviceId(), reading.channel()));
    }

    /** Called by ingestion once every record of a partition through {@code offset} is applied or dead-lettered. */
    public void appliedThrough(TopicPartition partition, long offset) {
        PartitionState state = state(partition);
        if (offset > state.appliedThrough) {
            state.appliedThrough = offset;
        }
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
            Map<String, byte[]> saved = assigned.isEmpty() ? Map.of() : readAll();
            for (TopicPartition partition : assigned) {
                PartitionState state = new PartitionState();
                long marker = -1;
                int series = 0;
                for (Map.Entry<String, byte[]> entry : saved.entrySet()) {
                    if (entry.getValue() == null || !SnapshotKeys.partition(entry.getKey()).equals(partition)) {
                        continue;
                    }
                    if (SnapshotKeys.isMarker(entry.getKey())) {
                        marker = ByteBuffer.wrap(entry.getValue()).getLong();
                    } else {
                        SeriesKey key = SnapshotKeys.seriesKey(entry.getKey());
                        aggregates.restore(key, entry.getValue());
                        state.series.add(key);
                        series++;
                    }
                }
                state.appliedThrough = marker;
                state.savedThrough = marker;
                partitions.put(partition, state);
                if (marker >= 0) {
                    consumer.seek(partition, marker + 1);
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
                LOG.infof("Partition %s: restored %d series from snapshots, reading from offset %s", partition, series,
                        marker >= 0 ? Long.toString(marker + 1) : "0 (no snapshot yet)");
            }
        } finally {
            assigned.forEach(partition -> restoredTopics.add(partition.topic()));
            restoring.decrementAndGet();
        }
    }

    /** Saves what a revoked partition holds, so that its next owner starts where this monitor stopped. */
    void release(Collection<TopicPartition> revoked) {
        synchronized (this) {
            for (TopicPartition partition : revoked) {
                try {
                    save(partition);
                } catch (RuntimeException e) {
                    LOG.warnf("Could not save the snapshot of revoked %s: %s", partition, e.getMessage());
                }
                partitions.remove(partition);
            }
        }
    }

    private PartitionState state(TopicPartition partition) {
        return partitions.computeIfAbsent(partition, key -> new PartitionState());
    }

    private void save(TopicPartition partition) {
        PartitionState state = partitions.get(partition);
        if (state == null) {
            return;
        }
        long through = state.appliedThrough;
        if (through < 0) {
            return;
        }
        List<Series> written = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (SeriesKey key : state.series) {
            Optional<Series> series = aggregates.series(key);
            Optional<byte[]> bytes = series.flatMap(Series::snapshotIfChanged);
            if (bytes.isPresent()) {
                written.add(series.get());
                sends.add(producer().send(new ProducerRecord<>(config.topic(), SnapshotKeys.series(partition, key), bytes.get())));
            }
        }
        if (sends.isEmpty() && through == state.savedThrough) {
            return;
        }
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
            if ("before-marker".equals(config.failPoint()) && state.savedThrough >= 0) {
                LOG.errorf("fail point before-marker: halting after %d series of %s", sends.size(), partition);
                Runtime.getRuntime().halt(137);
            }
            producer().send(new ProducerRecord<>(config.topic(), SnapshotKeys.marker(partition),
                    ByteBuffer.allocate(Long.BYTES).putLong(through).array())).get();
            state.savedThrough = through;
        } catch (InterruptedException e) {
            written.forEach(Series::markChanged);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            written.forEach(Series::markChanged);
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("the monitor is shutting down");
        }
        ensureTopic();
        if (producer == null) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.put("acks", "all");
            settings.put("enable.idempotence", "true");
            settings.put("compression.type", "lz4");
            settings.put("linger.ms", "5");
            settings.put("max.request.size", Integer.toString(MAX_RECORD_BYTES));
            settings.put("client.id", "monitor-snapshots");
            producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** The latest value of every key of the snapshot topic (null for a deleted key). */
    private Map<String, byte[]> readAll() {
        ensureTopic();
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put("enable.auto.commit", "false");
        settings.put("client.id", "monitor-snapshots-restore");
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
            while (all.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value());
                }
            }
        }
        return latest;
    }

    /** Creates the compacted snapshot topic if it is missing. */
    private synchronized void ensureTopic() {
        if (topicReady) {
            return;
        }
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(config.topic())) {
                NewTopic topic = new NewTopic(config.topic(), Optional.of(1), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)));
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                LOG.infof("Created the compacted snapshot topic %s", config.topic());
            }
            topicReady = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                topicReady = true;
                return;
            }
            throw new IllegalStateException("cannot create the snapshot topic " + config.topic() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the snapshot topic", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating the snapshot topic " + config.topic(), e);
        }
    }
}

package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;

import io.smallrye.common.annotation.Identifier;
import io.telemetry.monitor.CompactedTopic;
import io.telemetry.monitor.KafkaClients;
import io.telemetry.monitor.MonitorConfig;

/**
 * The compacted topic of the snapshots ({@code MONITOR_SNAPSHOT_TOPIC}): created when missing, with the
 * compaction settings that keep its size on disk close to the state it holds, and read from its
 * beginning by whoever restores or follows it.
 */
@Singleton
public class SnapshotTopic {

    /** The largest record: a format-1 series held every bucket, up to some 700 KB. */
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    /** Reading gives up when it has made no progress for this long (an unreachable broker). */
    static final Duration READ_STALL = Duration.ofSeconds(30);

    private final String name;
    private final Map<String, Object> kafka;
    private final Map<String, String> compaction;
    private boolean ensured;

    /**
     * @param kafka the application's {@code kafka.*} settings (security and the like, for a real cluster)
     */
    public SnapshotTopic(MonitorConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka, Config appConfig) {
        this.name = config.snapshot().topic();
        this.kafka = KafkaClients.settings(kafka, appConfig);
        MonitorConfig.SnapshotConfig snapshot = config.snapshot();
        this.compaction = Map.of(
                // The active segment is never compacted: rolled every segment.ms, its superseded records go soon.
                "segment.ms", Long.toString(snapshot.segment().toMillis()),
                // Compacted once a tenth of the log is superseded records, not Kafka's half.
                "min.cleanable.dirty.ratio", "0.1",
                // A bucket's tombstone stays this long, then goes with the bucket: any reader of the topic
                // started within this time sees it.
                "delete.retention.ms", Long.toString(snapshot.tombstoneRetention().toMillis()));
    }

    public String name() {
        return name;
    }

    /** The client settings of the application, brokers included. */
    Map<String, Object> kafka() {
        return kafka;
    }

    /** Creates the topic if it is missing; once. */
    synchronized void ensure() {
        if (!ensured) {
            // With deletion by age, a series unchanged for longer than the retention would vanish behind a newer marker.
            CompactedTopic.ensure(kafka, name, MAX_RECORD_BYTES, compaction, "snapshot topic (MONITOR_SNAPSHOT_TOPIC)");
            ensured = true;
        }
    }

    /** A consumer of committed snapshots only, on no consumer group. */
    KafkaConsumer<String, byte[]> reader(String clientId) {
        ensure();
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put("enable.auto.commit", "false");
        settings.put("client.id", clientId);
        // Only what a save committed whole: never the records of a save that was aborted, or cut short by a crash.
        settings.put("isolation.level", "read_committed");
        settings.put("max.partition.fetch.bytes", Integer.toString(MAX_RECORD_BYTES));
        // Polls of 5,000 records, not 500: a restore hands each poll to its folding thread (SnapshotFold).
        settings.put("max.poll.records", "5000");
        settings.remove("group.id");
        return new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns every partition of the topic to {@code reader}, from the beginning. */
    List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> reader) {
        List<TopicPartition> all = reader.partitionsFor(name, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        reader.assign(all);
        reader.seekToBeginning(all);
        return all;
    }

    /**
     * Polls {@code reader} until its position reaches {@code end} in every partition, handing each poll's
     * records to {@code sink}.
     *
     * @throws IllegalStateException if the position stops moving for {@link #READ_STALL}
     */
    void readTo(KafkaConsumer<String, byte[]> reader, Map<TopicPartition, Long> end,
            Consumer<ConsumerRecords<String, byte[]>> sink) {
        long progressAt = System.nanoTime();
        long position = -1;
        while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())) {
            ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                sink.accept(records);
            }
            // The position, not the records: read_committed skips aborted saves without returning anything.
            long reached = end.keySet().stream().mapToLong(reader::position).sum();
            if (reached > position) {
                position = reached;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > READ_STALL.toNanos()) {
                throw new IllegalStateException("the snapshot topic " + name + " got no further for "
                        + READ_STALL.toSeconds() + " s before its end offsets " + end);
            }
        }
    }
}

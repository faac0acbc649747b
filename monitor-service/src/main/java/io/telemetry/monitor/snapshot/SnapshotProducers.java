package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Opens the transactional producer of a partition's snapshots, one per snapshot topic and partition of a
 * channel topic ({@link #transactionalId}). Opening it fences any earlier producer of the same partition,
 * in this process or another monitor, and settles the transaction it left open: from then on, only this
 * one can add to the partition's snapshots.
 */
@Singleton
class SnapshotProducers {

    private final SnapshotTopic topic;

    SnapshotProducers(SnapshotTopic topic) {
        this.topic = topic;
    }

    /** The transactional id of the producer of a partition's snapshots. */
    static String transactionalId(String snapshotTopic, TopicPartition partition) {
        return snapshotTopic + "-" + partition.topic() + "-" + partition.partition();
    }

    /**
     * @throws RuntimeException if Kafka does not answer in time or refuses the transactional id
     */
    Producer<String, byte[]> open(TopicPartition partition) {
        topic.ensure();
        Map<String, Object> settings = new HashMap<>(topic.kafka());
        settings.put("transactional.id", transactionalId(topic.name(), partition));
        settings.put("acks", "all");
        settings.put("enable.idempotence", "true");
        settings.put("compression.type", "lz4");
        settings.put("linger.ms", "5");
        settings.put("max.request.size", Integer.toString(SnapshotTopic.MAX_RECORD_BYTES));
        settings.put("client.id", "monitor-snapshots-" + partition);
        // A save, or opening the producer, waits at most this long for an unreachable broker (at shutdown, too).
        settings.put("max.block.ms", "10000");
        settings.put("delivery.timeout.ms", "30000");
        settings.put("request.timeout.ms", "10000");
        // Kafka's default, said here: how long a save's transaction may stay open. The coordinator then aborts
        // it (a monitor that died mid-save holds back other readers of the snapshot topic at most this long).
        settings.put("transaction.timeout.ms", "60000");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            return producer;
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }
}

package io.telemetry.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import io.telemetry.reading.InvalidReadingException;
import io.telemetry.reading.ReadingJson;

/**
 * Finds the last reading a device has sent on a topic: Kafka itself is the simulator's checkpoint. The
 * device's records are all in the partition its key hashes to (Kafka's default partitioner), so that
 * partition is read backwards, a growing window at a time, until a record of the device turns up.
 */
final class LastSent {

    /**
     * How long the backwards read may go without its position moving before it gives up: the broker has gone
     * away, and the simulator should exit rather than wait for ever. Kafka's own calls here (partitionsFor,
     * the offsets) are bounded by 60 s too.
     */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private LastSent() {
    }

    /** Where the device's last valid reading is, and its event time. */
    record Found(Instant timestamp, TopicPartition partition, long offset) {
    }

    static Optional<Found> find(Map<String, Object> kafka, String topic, String deviceId) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.remove("group.id");
        settings.put("enable.auto.commit", "false");
        settings.put("allow.auto.create.topics", "false");
        settings.put("client.id", "simulator-resume-" + deviceId);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty();
            }
            int partition = Utils.toPositive(Utils.murmur2(deviceId.getBytes(StandardCharsets.UTF_8))) % partitions.size();
            TopicPartition where = new TopicPartition(topic, partition);
            consumer.assign(List.of(where));
            long begin = consumer.beginningOffsets(List.of(where)).get(where);
            long to = consumer.endOffsets(List.of(where)).get(where);
            for (long window = 1_000; to > begin; window *= 4) {
                long from = Math.max(begin, to - window);
                Optional<Found> found = lastIn(consumer, where, deviceId, from, to, PATIENCE);
                if (found.isPresent()) {
                    return found;
                }
                to = from;
            }
            return Optional.empty();
        }
    }

    /**
     * The device's last valid reading in offsets {@code [from, to)} of the partition.
     *
     * @throws IllegalStateException when the position stops moving for {@code patience}
     */
    static Optional<Found> lastIn(Consumer<String, byte[]> consumer, TopicPartition where, String deviceId,
            long from, long to, Duration patience) {
        consumer.seek(where, from);
        Found last = null;
        long position = from;
        long stuckSince = System.nanoTime();
        while (position < to) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() < to && deviceId.equals(record.key())) {
                    try {
                        last = new Found(ReadingJson.parse(record.value()).timestamp(), where, record.offset());
                    } catch (InvalidReadingException e) {
                        // not a reading of ours after all; an earlier one is
                    }
                }
            }
            long reached = consumer.position(where);
            if (reached > position) {
                position = reached;
                stuckSince = System.nanoTime();
            } else if (System.nanoTime() - stuckSince > patience.toNanos()) {
                throw new IllegalStateException("reading " + where + " back from offset " + from + " to " + to
                        + " got no further than offset " + position + " in " + patience.toSeconds()
                        + " s: is the broker at bootstrap.servers reachable?");
            }
        }
        return Optional.ofNullable(last);
    }
}

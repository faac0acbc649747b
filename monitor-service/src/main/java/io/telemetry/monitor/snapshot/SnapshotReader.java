package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.telemetry.monitor.stats.SeriesSettings;

/** Reads the snapshot topic once, from its beginning to its end, into images of some partitions. */
@Singleton
class SnapshotReader {

    private final SnapshotTopic topic;
    private final SeriesSettings settings;

    SnapshotReader(SnapshotTopic topic, SeriesSettings settings) {
        this.topic = topic;
        this.settings = settings;
    }

    /**
     * @return an image of each of these partitions at its last committed marker (an empty one for a partition
     *         never saved)
     * @throws RuntimeException if Kafka does not answer, or stops giving records for {@link SnapshotTopic#READ_STALL}
     */
    Map<TopicPartition, PartitionImage> read(Collection<TopicPartition> partitions) {
        SnapshotImages images = new SnapshotImages(settings, partitions::contains, System::currentTimeMillis);
        try (KafkaConsumer<String, byte[]> reader = topic.reader("monitor-snapshots-restore")) {
            List<TopicPartition> all = topic.assignAll(reader);
            Map<TopicPartition, Long> end = reader.endOffsets(all, Duration.ofSeconds(30));
            topic.readTo(reader, end, record -> images.add(record.key(), record.value()), () -> false);
        }
        Map<TopicPartition, PartitionImage> read = new HashMap<>();
        for (TopicPartition partition : partitions) {
            read.put(partition, images.image(partition)
                    .orElseGet(() -> new PartitionImage(partition, settings, System::currentTimeMillis)));
        }
        return read;
    }
}

package io.telemetry.monitor.snapshot;

import org.apache.kafka.common.TopicPartition;

import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Channel;

/**
 * Keys of the snapshot topic: one record per series ({@code s|<topic>|<partition>|<channel>|<deviceId>})
 * and one marker per partition ({@code m|<topic>|<partition>}, value: the offset through which every
 * series of the partition is saved). Device ids cannot hold '|'.
 */
final class SnapshotKeys {

    private SnapshotKeys() {
    }

    static String series(TopicPartition partition, SeriesKey key) {
        return "s|" + partition.topic() + "|" + partition.partition() + "|" + key.channel().id() + "|" + key.deviceId();
    }

    static String marker(TopicPartition partition) {
        return "m|" + partition.topic() + "|" + partition.partition();
    }

    static boolean isMarker(String key) {
        return key.startsWith("m|");
    }

    /** The partition a key belongs to. */
    static TopicPartition partition(String key) {
        String[] parts = key.split("\\|");
        return new TopicPartition(parts[1], Integer.parseInt(parts[2]));
    }

    /** The series of a series key. */
    static SeriesKey seriesKey(String key) {
        String[] parts = key.split("\\|", 5);
        return new SeriesKey(parts[4], Channel.of(parts[3]));
    }
}

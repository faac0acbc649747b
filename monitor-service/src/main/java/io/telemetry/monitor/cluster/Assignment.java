package io.telemetry.monitor.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The group's assignment of the channel topics' partitions to monitors, as the group coordinator
 * described it at one moment.
 *
 * @param partitionCounts the number of partitions of each channel topic
 * @param owners          the member each assigned partition is assigned to; a partition absent is
 *                        being rebalanced (or its topic has no consumer yet)
 * @param members         every monitor in the group
 * @param at              when the coordinator was asked (it answered about then or later); {@code null} if
 *                        it has not been yet
 */
public record Assignment(Map<String, Integer> partitionCounts, Map<TopicPartition, Member> owners, Set<Member> members,
        Instant at) {

    public static final Assignment UNKNOWN = new Assignment(Map.of(), Map.of(), Set.of(), null);

    public Assignment {
        partitionCounts = Map.copyOf(partitionCounts);
        owners = Map.copyOf(owners);
        members = Set.copyOf(members);
    }

    /** The partition a device's readings go to in a topic: Kafka's default partitioner on the device id key. */
    public OptionalInt partition(String topic, String deviceId) {
        Integer count = partitionCounts.get(topic);
        if (count == null || count == 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(partitionOf(deviceId, count));
    }

    /** Kafka's built-in partitioner for a keyed record: murmur2 of the key's bytes, made positive, modulo the count. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public Optional<Member> owner(TopicPartition partition) {
        return Optional.ofNullable(owners.get(partition));
    }
}

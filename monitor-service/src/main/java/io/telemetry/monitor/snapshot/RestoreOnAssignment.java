package io.telemetry.monitor.snapshot;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.telemetry.monitor.cluster.Ownership;

/**
 * Restores a partition's state from its snapshot when it is assigned (and notes the consumer's group, whose
 * assignment says who owns the others); when it is revoked, saves it a last time and lets go of it; when it
 * is lost, lets go of it at once.
 */
@ApplicationScoped
@Identifier(RestoreOnAssignment.NAME)
public class RestoreOnAssignment implements KafkaConsumerRebalanceListener {

    public static final String NAME = "restore-on-assignment";

    private final Snapshots snapshots;
    private final Ownership ownership;

    public RestoreOnAssignment(Snapshots snapshots, Ownership ownership) {
        this.snapshots = snapshots;
        this.ownership = ownership;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        String group = consumer.groupMetadata().groupId();
        consumer.subscription().forEach(topic -> ownership.joined(topic, group));
        snapshots.restore(consumer, partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        snapshots.release(partitions, true);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        snapshots.release(partitions, false);
    }
}

package io.telemetry.monitor.snapshot;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.telemetry.monitor.alerts.Alerts;

/**
 * Restores a partition's state from its snapshot when it is assigned; when it is revoked or lost, stops
 * saving it and forgets where the alert rules stood for its series.
 */
@ApplicationScoped
@Identifier(RestoreOnAssignment.NAME)
public class RestoreOnAssignment implements KafkaConsumerRebalanceListener {

    public static final String NAME = "restore-on-assignment";

    private final Snapshots snapshots;
    private final Alerts alerts;

    public RestoreOnAssignment(Snapshots snapshots, Alerts alerts) {
        this.snapshots = snapshots;
        this.alerts = alerts;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        snapshots.restore(consumer, partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        alerts.forget(snapshots.release(partitions));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }
}

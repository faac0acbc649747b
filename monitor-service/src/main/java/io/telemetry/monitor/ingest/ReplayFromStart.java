package io.telemetry.monitor.ingest;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * The aggregates live in memory, so a monitor that starts must count every record in the topics, not
 * only those after the group's committed offsets: the first time this process is given a partition,
 * it reads it from the beginning. (Saving the aggregates with their offsets, so that a restart need
 * not re-read, is the job of a later snapshot mechanism.)
 */
@ApplicationScoped
@Identifier(ReplayFromStart.NAME)
public class ReplayFromStart implements KafkaConsumerRebalanceListener {

    public static final String NAME = "replay-from-start";

    private final Set<TopicPartition> seen = new HashSet<>();

    @Override
    public synchronized void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> fresh = new HashSet<>(partitions);
        fresh.removeAll(seen);
        if (!fresh.isEmpty()) {
            consumer.seekToBeginning(fresh);
            seen.addAll(fresh);
        }
    }
}

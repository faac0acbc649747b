package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.telemetry.monitor.TestReadings;
import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * How a save's transaction ends when Kafka does not cooperate, with Kafka's {@link MockProducer} standing in
 * for the partition's producer (the real ones are exercised by CrashRestartIT): a commit that timed out is
 * committed at the next save, never aborted (Kafka allows nothing else after it); a fenced producer stops
 * saving its partition for good.
 */
@QuarkusTest
class SnapshotTransactionsTest {

    @Inject
    Snapshots snapshots;

    @Inject
    Aggregates aggregates;

    private final TopicPartition partition = new TopicPartition("tx-test-" + System.nanoTime(), 0);
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    private Function<TopicPartition, Producer<String, byte[]>> realFactory;

    @BeforeEach
    void holdThePartitionWithAMockProducer() {
        realFactory = snapshots.useProducers(assigned -> {
            producer.initTransactions();
            return producer;
        });
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        snapshots.restore(consumer, List.of(partition));
    }

    @AfterEach
    void letGo() {
        snapshots.useProducers(realFactory);
        snapshots.release(List.of(partition));
    }

    /** A reading at {@code offset} of the partition, applied and reported as a batch would. */
    private void apply(String device, long offset) {
        Reading reading = new Reading(device, Channel.POWER, Instant.parse("2024-05-01T10:00:00Z").plusSeconds(offset), 100);
        aggregates.apply(reading, offset);
        PartitionHold hold = snapshots.hold(partition);
        hold.track(reading);
        hold.appliedThrough(offset);
    }

    @Test
    void aCommitThatTimedOutIsCommittedAtTheNextSave() {
        String device = TestReadings.newDevice("tx");
        // Before the reading: the monitor's own timer may save at any moment.
        producer.commitTransactionException = new TimeoutException("test: the broker is away");
        apply(device, 0);

        snapshots.saveAll();
        assertThat(producer.transactionCommitted()).isFalse();
        assertThat(producer.transactionAborted()).as("aborted after the timeout").isFalse();
        assertThat(producer.transactionInFlight()).as("left open for the commit to be tried again").isTrue();
        assertThat(producer.history()).isEmpty();

        producer.commitTransactionException = null;
        snapshots.saveAll();
        assertThat(producer.transactionCommitted()).isTrue();
        String marker = "m|" + partition.topic() + "|0"; // the keys as SnapshotKeys documents them
        assertThat(producer.history()).extracting(ProducerRecord::key)
                .containsExactly("s|" + partition.topic() + "|0|power|" + device, marker);
        assertThat(ByteBuffer.wrap(producer.history().get(1).value()).getLong()).isZero();
        assertThat(((PartitionState) snapshots.hold(partition)).savedThrough).isZero();
    }

    @Test
    void aFencedProducerStopsSavingItsPartition() {
        String device = TestReadings.newDevice("tx");
        producer.fenceProducer(); // another monitor has opened the partition's producer
        apply(device, 0);

        snapshots.saveAll();
        apply(device, 1);
        snapshots.saveAll();

        assertThat(producer.history()).isEmpty();
        assertThat(((PartitionState) snapshots.hold(partition)).stopped).isTrue();
    }
}

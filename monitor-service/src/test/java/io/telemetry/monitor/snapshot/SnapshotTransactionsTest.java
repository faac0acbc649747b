package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * How a save's transaction ends when Kafka does not cooperate, with Kafka's {@link MockProducer} standing in
 * for the partition's producer (the real ones are exercised by CrashRestartIT): a commit that timed out is
 * committed at the next save, never aborted (Kafka allows nothing else after it); a fenced producer stops
 * saving its partition for good; an aborted save is written again whole by the next one.
 */
class SnapshotTransactionsTest {

    private static final String SNAPSHOTS = "snapshots";

    private final TopicPartition partition = new TopicPartition("power", 0);
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    private final PartitionState state = new PartitionState(partition,
            new SeriesSettings(Duration.ofMinutes(5), Retention.DEFAULT), -1, () -> 0L);
    private PartitionSaver saver;

    @BeforeEach
    void holdThePartitionWithAMockProducer() {
        producer.initTransactions();
        saver = new PartitionSaver(SNAPSHOTS, state, producer, -1, PartitionSaver.FailPoint.NONE);
    }

    /** A reading at {@code offset} of the partition, applied and reported as a batch would. */
    private void apply(String device, long offset) {
        Reading reading = new Reading(device, Channel.POWER, Instant.parse("2024-05-01T10:00:00Z").plusSeconds(offset), 100);
        assertThat(state.apply(reading, offset)).isNotNull();
        state.appliedThrough(offset);
    }

    @Test
    void aCommitThatTimedOutIsCommittedAtTheNextSave() {
        producer.commitTransactionException = new TimeoutException("test: the broker is away");
        apply("washer", 0);

        assertThatSaveFails();
        assertThat(producer.transactionCommitted()).isFalse();
        assertThat(producer.transactionAborted()).as("aborted after the timeout").isFalse();
        assertThat(producer.transactionInFlight()).as("left open for the commit to be tried again").isTrue();
        assertThat(producer.history()).isEmpty();

        producer.commitTransactionException = null;
        saver.save();
        assertThat(producer.transactionCommitted()).isTrue();
        // The keys as SnapshotCodec documents them, written out by hand: 10:00:00Z is minute 28575960,
        // hour 476266, day 19844 since the epoch.
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly(
                "s|power|0|power|washer", "b|power|0|power|washer|m28575960", "b|power|0|power|washer|h476266",
                "b|power|0|power|washer|d19844", "m|power|0");
        assertThat(ByteBuffer.wrap(producer.history().get(4).value()).getLong()).isZero();
        assertThat(saver.savedThrough()).isZero();
    }

    @Test
    void anAbortedSaveIsWrittenAgainByTheNext() {
        apply("washer", 0);
        producer.commitTransactionException = new IllegalStateException("test: refused");
        assertThatSaveFails();
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(saver.savedThrough()).isEqualTo(-1);

        producer.commitTransactionException = null;
        apply("dryer", 1); // another series: the washer's changes are in the next save only if the abort kept them
        saver.save();
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactlyInAnyOrder(
                "s|power|0|power|washer", "b|power|0|power|washer|m28575960", "b|power|0|power|washer|h476266",
                "b|power|0|power|washer|d19844", "s|power|0|power|dryer", "b|power|0|power|dryer|m28575960",
                "b|power|0|power|dryer|h476266", "b|power|0|power|dryer|d19844", "m|power|0");
        assertThat(saver.savedThrough()).isEqualTo(1);
    }

    @Test
    void aSaveWithNothingChangedWritesNothing() {
        apply("washer", 0);
        saver.save();
        int written = producer.history().size();

        assertThat(saver.save().records()).isZero();
        assertThat(producer.history()).hasSize(written);
    }

    @Test
    void aFencedProducerStopsSavingItsPartition() {
        producer.fenceProducer(); // another monitor has opened the partition's producer
        apply("washer", 0);

        saver.save();
        apply("washer", 1);
        saver.save();

        assertThat(producer.history()).isEmpty();
        assertThat(saver.stopped()).isTrue();
    }

    private void assertThatSaveFails() {
        org.assertj.core.api.Assertions.assertThatThrownBy(saver::save).isInstanceOf(RuntimeException.class);
    }
}

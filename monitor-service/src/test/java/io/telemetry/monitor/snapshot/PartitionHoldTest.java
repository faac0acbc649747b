package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch still in flight when its partition is revoked, and assigned back, reports to the hold it took
 * at its start: what it says must not reach the partition's new hold, which starts from the restored
 * snapshot and re-reads those records.
 */
@QuarkusTest
class PartitionHoldTest {

    @Inject
    Snapshots snapshots;

    @Test
    void aBatchFromBeforeARevocationDoesNotMoveTheNewHold() {
        TopicPartition partition = new TopicPartition("hold-test-" + System.nanoTime(), 0);
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));

        snapshots.restore(consumer, List.of(partition));
        PartitionHold before = snapshots.hold(partition);
        assertThat(before).isInstanceOf(PartitionState.class);

        snapshots.release(List.of(partition));
        assertThat(snapshots.hold(partition)).isSameAs(PartitionHold.NONE);
        snapshots.restore(consumer, List.of(partition));
        PartitionState after = (PartitionState) snapshots.hold(partition);

        before.appliedThrough(200); // the stale batch completes
        assertThat(after.appliedThrough).as("the new hold, restored with no snapshot").isEqualTo(-1);
        after.appliedThrough(50);
        assertThat(after.appliedThrough).isEqualTo(50);
        assertThat(((PartitionState) before).appliedThrough).isEqualTo(200);
    }
}

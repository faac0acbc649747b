package io.telemetry.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * A batch still in flight when its partition is revoked, and assigned back, reports to the hold it took
 * at its start: what it says must not reach the partition's new hold, which starts from the restored
 * snapshot and re-reads those records. And a partition let go of is served no more.
 */
class PartitionHoldTest {

    private static final SeriesSettings SETTINGS = new SeriesSettings(Duration.ofMinutes(5), Retention.DEFAULT);

    private final TopicPartition partition = new TopicPartition("power", 0);
    private final List<PartitionsReleased> released = new ArrayList<>();
    private final HeldPartitions held = new HeldPartitions(released::add);

    private PartitionState restored() {
        return new PartitionState(partition, SETTINGS, -1, () -> 0L);
    }

    @Test
    void aPartitionIsCurrentOnlyOnceItHasAppliedWhatItHeldWhenAssigned() {
        PartitionState state = restored();
        state.catchUpTo(41); // the partition's last offset when it was assigned
        held.take(state);
        assertThat(held.partition(partition)).as("held").isPresent();
        assertThat(held.current(partition)).as("current while reading the rest").isEmpty();
        assertThat(held.current()).isEmpty();

        state.appliedThrough(40);
        assertThat(held.current(partition)).as("current one record short").isEmpty();
        state.appliedThrough(41);
        assertThat(held.current(partition)).contains(state);
        assertThat(held.current()).containsExactly(state);
    }

    @Test
    void aBatchFromBeforeARevocationDoesNotMoveTheNewHold() {
        held.take(restored());
        PartitionHold before = held.hold(partition);
        assertThat(before.held()).isTrue();

        held.release(List.of(partition));
        assertThat(held.hold(partition)).isSameAs(PartitionHold.NONE);
        held.take(restored());
        PartitionState after = held.partition(partition).orElseThrow();

        before.appliedThrough(200); // the stale batch completes
        Reading stale = new Reading("ac", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 100);
        assertThat(before.apply(stale, 200)).isNotNull();
        assertThat(after.appliedThrough()).as("the new hold, restored with no snapshot").isEqualTo(-1);
        assertThat(after.series()).as("the stale reading reached the old hold only").isEmpty();
        after.appliedThrough(50);
        assertThat(after.appliedThrough()).isEqualTo(50);
        assertThat(((PartitionState) before).appliedThrough()).isEqualTo(200);
    }

    @Test
    void aReleasedPartitionsSeriesAreServedNoMoreAndItsObserversAreTold() {
        held.take(restored());
        held.hold(partition).apply(new Reading("ac", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 100), 7);
        SeriesKey key = new SeriesKey("ac", Channel.POWER);
        assertThat(held.device("ac")).extracting(SeriesEntry::channel).containsExactly(Channel.POWER);

        held.release(List.of(partition));

        assertThat(held.device("ac")).isEmpty();
        assertThat(held.entries(any -> true)).isEmpty();
        assertThat(released).extracting(PartitionsReleased::series).containsExactly(List.of(key));
    }
}

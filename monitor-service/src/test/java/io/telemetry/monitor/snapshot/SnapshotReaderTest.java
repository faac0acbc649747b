package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.telemetry.monitor.state.PartitionSeries;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.Resolution;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * Restores that ask while a read of the snapshot topic runs share it, on the test broker: the two channels'
 * consumers, assigned their partitions by one rebalance, read the topic once between them, and each
 * gets its own partitions whole, saved by real transactional producers; a restore that asks after a read
 * ended reads again, and sees what was saved in between.
 */
@QuarkusTest
class SnapshotReaderTest {

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    /** Series per partition and minutes of readings each: some 100,000 records, a read of a second or so. */
    private static final int SERIES = 25;
    private static final int MINUTES = 2_000;

    @Inject
    SnapshotReader reader;
    @Inject
    SnapshotTopic topic;
    @Inject
    SnapshotProducers producers;
    @Inject
    SeriesSettings settings;
    @Inject
    MeterRegistry registry;

    @Test
    void restoresThatAskWhileAReadRunsShareItAndEachGetsItsPartitionsWhole() {
        String channelTopic = "reader-test-" + UUID.randomUUID();
        TopicPartition first = new TopicPartition(channelTopic, 0);
        TopicPartition second = new TopicPartition(channelTopic, 1);
        PartitionState firstState = saved(first, "washer");
        PartitionState secondState = saved(second, "dryer");
        double readsBefore = reads();
        double recordsBefore = recordsRead();

        CompletableFuture<Map<TopicPartition, PartitionImage>> firstRestore = CompletableFuture
                .supplyAsync(() -> reader.read(List.of(first)));
        // The second restore asks once the first one's read is under way, as the other channel's consumer would.
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                .until(() -> recordsRead() > recordsBefore || firstRestore.isDone());
        Map<TopicPartition, PartitionImage> secondImages = reader.read(List.of(second));
        Map<TopicPartition, PartitionImage> firstImages = firstRestore.join();

        assertThat(reads() - readsBefore).as("reads of the snapshot topic for both restores").isEqualTo(1);
        assertThat(firstImages).containsOnlyKeys(first);
        assertThat(secondImages).containsOnlyKeys(second);
        assertSameState(firstImages.get(first), firstState);
        assertSameState(secondImages.get(second), secondState);

        // Saved after that read ended: the next restore reads again, to end offsets taken when it asked.
        PartitionSaver saver = new PartitionSaver(topic.name(), firstState, producers.open(first),
                firstState.appliedThrough(), PartitionSaver.FailPoint.NONE);
        long offset = firstState.appliedThrough() + 1;
        firstState.apply(new Reading("washer-0", Channel.POWER, T0.plus(Duration.ofMinutes(MINUTES)), 7), offset);
        firstState.appliedThrough(offset);
        saver.save();
        saver.close();
        Map<TopicPartition, PartitionImage> again = reader.read(List.of(first));

        assertThat(reads() - readsBefore).isEqualTo(2);
        assertSameState(again.get(first), firstState);
        assertThat(firstState.series(new SeriesKey("washer-0", Channel.POWER)).orElseThrow().series().allTime().count())
                .as("the reading saved last, counted by hand").isEqualTo(MINUTES + 1);
    }

    /** A partition of {@value #SERIES} power series of {@value #MINUTES} readings each, a minute apart, saved. */
    private PartitionState saved(TopicPartition partition, String device) {
        PartitionState state = new PartitionState(partition, settings, -1, () -> 0L);
        long offset = 0;
        for (int minute = 0; minute < MINUTES; minute++) {
            for (int series = 0; series < SERIES; series++) {
                double value = 100 + (minute * 31 + series * 7) % 900;
                state.apply(new Reading(device + "-" + series, Channel.POWER, T0.plus(Duration.ofMinutes(minute)), value),
                        offset++);
            }
        }
        state.appliedThrough(offset - 1);
        PartitionSaver saver = new PartitionSaver(topic.name(), state, producers.open(partition), -1,
                PartitionSaver.FailPoint.NONE);
        saver.save();
        saver.close();
        return state;
    }

    private static void assertSameState(PartitionImage image, PartitionState original) {
        assertThat(image.marker()).isEqualTo(original.appliedThrough());
        PartitionState restored = image.take();
        assertThat(restored.series().keySet()).containsExactlyInAnyOrderElementsOf(original.series().keySet());
        original.series().forEach((key, series) -> {
            PartitionSeries back = restored.series(key).orElseThrow();
            assertThat(back.appliedOffset()).isEqualTo(series.appliedOffset());
            assertThat(back.heardAt()).as("restored, not heard from since").isEqualTo(Long.MIN_VALUE);
            assertThat(back.series().allTime()).isEqualTo(series.series().allTime());
            for (Resolution resolution : Resolution.values()) {
                assertThat(back.series().buckets(resolution)).as(key + " " + resolution)
                        .isEqualTo(series.series().buckets(resolution));
            }
        });
    }

    private double reads() {
        return registry.get("monitor.snapshot.restore.reads").timer().count();
    }

    private double recordsRead() {
        return registry.get("monitor.snapshot.restore.records").counter().count();
    }
}

package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.Resolution;
import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * The read replica's images, without a broker: fed the records an owner's saves write, in log order, an image
 * that applies at markers shows the last whole save and nothing of one whose marker has not come, however
 * the save's records are split between polls.
 */
class ReplicaImageTest {

    private static final Duration GAP = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2024-05-01T22:00:00Z");
    private static final SeriesKey OVEN = new SeriesKey("oven", Channel.POWER);
    private static final SeriesKey FRIDGE = new SeriesKey("fridge", Channel.POWER);

    private final TopicPartition partition = new TopicPartition("power", 2);
    private final SeriesSettings settings = new SeriesSettings(GAP, Retention.DEFAULT);
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    private final List<Sample> oven = new ArrayList<>();
    private final List<Sample> fridge = new ArrayList<>();
    private int written;
    private long offset;

    /** Applies readings every 10 s from {@code from} (on both devices, the fridge's a third as many), noting them. */
    private void feed(PartitionState owner, int from, int count) {
        for (int i = from; i < from + count; i++) {
            Instant at = T0.plusSeconds(10L * i);
            double value = 100 + (i * 37) % 1900;
            owner.apply(new Reading("oven", Channel.POWER, at, value), offset++);
            oven.add(new Sample(at, value));
            if (i % 3 == 0) {
                owner.apply(new Reading("fridge", Channel.POWER, at, value / 10), offset++);
                fridge.add(new Sample(at, value / 10));
            }
        }
        owner.appliedThrough(offset - 1);
    }

    private List<ProducerRecord<String, byte[]>> save(PartitionSaver saver) {
        saver.save();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(producer.history().subList(written, producer.history().size()));
        written = producer.history().size();
        return records;
    }

    private static void add(SnapshotImages images, List<ProducerRecord<String, byte[]>> records, long savedAt) {
        records.forEach(record -> images.add(record.key(), record.value(), savedAt));
    }

    private static void assertAllTime(PartitionState replica, SeriesKey key, List<Sample> samples) {
        SeriesOracle expected = SeriesOracle.of(samples, GAP);
        Stats actual = replica.series(key).orElseThrow().series().allTime();
        assertThat(actual.count()).as(key + " count").isEqualTo(expected.count());
        assertThat(actual.mean()).as(key + " mean").isCloseTo(expected.mean(), within(1e-9));
        assertThat(actual.max()).as(key + " max").isEqualTo(expected.max());
        assertThat(actual.energyWh()).as(key + " energy").isCloseTo(expected.energyWh(), within(1e-9));
    }

    /** The hourly bucket counts of the samples, counted here. */
    private static long hourCount(List<Sample> samples, Instant hour) {
        return samples.stream().filter(sample -> !sample.at().isBefore(hour) && sample.at().isBefore(hour.plusSeconds(3600)))
                .count();
    }

    @Test
    void aSaveShowsOnlyOnceItsMarkerComesAndWhole() {
        PartitionState owner = new PartitionState(partition, settings, -1, () -> 0L);
        producer.initTransactions();
        PartitionSaver saver = new PartitionSaver("snapshots", owner, producer, -1, PartitionSaver.FailPoint.NONE);
        SnapshotImages images = new SnapshotImages(settings, any -> true, () -> 0L, true);

        feed(owner, 0, 900); // 2.5 hours
        List<ProducerRecord<String, byte[]>> first = save(saver);
        add(images, first.subList(0, first.size() - 1), 1000);
        assertThat(images.image(partition).orElseThrow().marker()).as("a save without its marker").isEqualTo(-1);
        assertThat(images.image(partition).orElseThrow().state().series()).as("series of a save without its marker").isEmpty();
        add(images, first.subList(first.size() - 1, first.size()), 1000);
        long firstMarker = offset - 1;
        List<Sample> ovenThen = List.copyOf(oven);
        List<Sample> fridgeThen = List.copyOf(fridge);

        PartitionImage image = images.image(partition).orElseThrow();
        assertThat(image.marker()).isEqualTo(firstMarker);
        assertThat(image.savedAt()).isEqualTo(1000);
        assertAllTime(image.state(), OVEN, ovenThen);
        assertAllTime(image.state(), FRIDGE, fridgeThen);

        feed(owner, 900, 600); // into a fourth and fifth hour
        List<ProducerRecord<String, byte[]>> second = save(saver);
        assertThat(second.size()).as("records of the second save").isGreaterThan(3);
        // Split across two polls, the marker not read yet: the first save still shows, every series as it was.
        add(images, second.subList(0, second.size() / 2), 2000);
        add(images, second.subList(second.size() / 2, second.size() - 1), 2000);
        assertThat(image.marker()).isEqualTo(firstMarker);
        assertThat(image.savedAt()).isEqualTo(1000);
        assertAllTime(image.state(), OVEN, ovenThen);
        assertAllTime(image.state(), FRIDGE, fridgeThen);
        Instant thirdHour = T0.plusSeconds(2 * 3600);
        assertThat(image.state().series(OVEN).orElseThrow().series().buckets(Resolution.HOUR)).as("the oven's hours")
                .hasSize(3).last().satisfies(bucket -> {
                    assertThat(bucket.start()).isEqualTo(thirdHour);
                    assertThat(bucket.stats().count()).isEqualTo(hourCount(ovenThen, thirdHour));
                });

        add(images, second.subList(second.size() - 1, second.size()), 2000);
        assertThat(image.marker()).isEqualTo(offset - 1);
        assertThat(image.savedAt()).isEqualTo(2000);
        assertAllTime(image.state(), OVEN, oven);
        assertAllTime(image.state(), FRIDGE, fridge);
        assertThat(image.state().series(OVEN).orElseThrow().series().buckets(Resolution.HOUR)).as("the oven's hours")
                .hasSize(5).allSatisfy(bucket -> assertThat(bucket.stats().count()).isEqualTo(hourCount(oven, bucket.start())));
        assertThat(image.state().series(OVEN).orElseThrow().appliedOffset()).isEqualTo(owner.series(OVEN).orElseThrow().appliedOffset());
    }
}

package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.telemetry.monitor.PreviousSnapshots;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;
import io.telemetry.monitor.state.PartitionSeries;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.Resolution;
import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * The snapshot topic as a changelog, without a broker: what {@link PartitionSaver} writes, kept latest
 * per key as compaction keeps it, folded back by {@link SnapshotImages}, equals what was saved, bit for
 * bit; a save writes only what changed; a bucket that leaves retention leaves the topic too; and a topic
 * written by the previous monitor (format 1) restores and is written again in format 2.
 */
class SnapshotChangelogTest {

    private static final Duration GAP = Duration.ofMinutes(5);
    private static final Retention SHORT = Retention.of(Duration.ofHours(1), Duration.ofDays(2), Duration.ofDays(10));
    private static final Instant T0 = Instant.parse("2024-05-01T22:00:00Z");

    private final TopicPartition partition = new TopicPartition("power", 0);
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    /** The snapshot topic after compaction: the latest value of each key, tombstones removed. */
    private final Map<String, byte[]> compacted = new LinkedHashMap<>();
    private int written;

    private PartitionSaver saver(PartitionState state, long savedThrough) {
        producer.initTransactions();
        return new PartitionSaver("snapshots", state, producer, savedThrough, PartitionSaver.FailPoint.NONE);
    }

    /** Saves, and returns what the save wrote; the compacted view takes it in. */
    private List<ProducerRecord<String, byte[]>> save(PartitionSaver saver) {
        saver.save();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(producer.history().subList(written, producer.history().size()));
        written = producer.history().size();
        for (ProducerRecord<String, byte[]> record : records) {
            compacted.remove(record.key());
            if (record.value() != null) {
                compacted.put(record.key(), record.value());
            }
        }
        return records;
    }

    private PartitionImage restore(SeriesSettings settings) {
        SnapshotImages images = new SnapshotImages(settings, partition::equals, () -> 0L);
        compacted.forEach((key, value) -> images.add(key, value));
        return images.image(partition).orElseThrow();
    }

    private static void assertSameSeries(Series restored, Series original) {
        assertThat(restored.allTime()).isEqualTo(original.allTime());
        for (Resolution resolution : Resolution.values()) {
            assertThat(restored.buckets(resolution)).as(resolution + " buckets").isEqualTo(original.buckets(resolution));
            assertThat(restored.tooLate(resolution)).isEqualTo(original.tooLate(resolution));
        }
    }

    private static Reading power(String device, Instant at, double value) {
        return new Reading(device, Channel.POWER, at, value);
    }

    @Test
    void aRestoredPartitionEqualsTheSavedOneBitForBitAndItsOffsetsKeepRedeliveriesOut() {
        SeriesSettings settings = new SeriesSettings(GAP, SHORT);
        PartitionState state = new PartitionState(partition, settings, -1, () -> 0L);
        PartitionSaver saver = saver(state, -1);
        Random random = new Random(11);
        long offset = 0;
        for (int i = 0; i < 500; i++) {
            for (String device : List.of("oven", "fridge")) {
                // Values of every kind the layout has a shortcut for: repeats (min = first), zeros, fractions.
                double value = i % 50 == 0 ? 0 : i % 7 == 0 ? 10 : random.nextDouble() * 3000;
                state.apply(power(device, T0.plusSeconds(17L * i), value), offset++);
            }
        }
        state.apply(power("oven", T0.minus(Duration.ofDays(30)), 5), offset++); // too late for every resolution
        state.appliedThrough(offset - 1);
        save(saver);

        PartitionImage image = restore(settings);
        PartitionState restored = image.take();
        assertThat(image.marker()).isEqualTo(offset - 1);
        for (String device : List.of("oven", "fridge")) {
            SeriesKey key = new SeriesKey(device, Channel.POWER);
            PartitionSeries original = state.series(key).orElseThrow();
            PartitionSeries back = restored.series(key).orElseThrow();
            assertSameSeries(back.series(), original.series());
            assertThat(back.appliedOffset()).isEqualTo(original.appliedOffset());
        }
        SeriesKey oven = new SeriesKey("oven", Channel.POWER);
        assertThat(restored.apply(power("oven", T0.plusSeconds(5), 99), 400)).as("a redelivered offset").isNull();
        assertThat(restored.apply(power("oven", T0.plusSeconds(10_000), 99), offset)).isNotNull();
        assertThat(restored.series(oven).orElseThrow().series().allTime().count()).isEqualTo(502);
    }

    @Test
    void aSaveWritesTheHeaderAndTheBucketsOfWhatChangedOnly() {
        SeriesSettings settings = new SeriesSettings(GAP, Retention.DEFAULT);
        PartitionState state = new PartitionState(partition, settings, -1, () -> 0L);
        PartitionSaver saver = saver(state, -1);
        long offset = 0;
        // A day of history every 10 s for 5 devices, saved.
        for (int i = 0; i < 8640; i++) {
            for (int d = 0; d < 5; d++) {
                state.apply(power("dev-" + d, T0.plusSeconds(10L * i), 100 + d + i % 13), offset++);
            }
        }
        state.appliedThrough(offset - 1);
        int first = save(saver).size();
        assertThat(first).as("a day of buckets: 1440 minutes, 24 or 25 hours, 2 days, and a header, per series")
                .isBetween(5 * (1 + 1440 + 24 + 2) + 1, 5 * (1 + 1440 + 25 + 2) + 1);

        // One more reading of one device, in the minute of its last: its header, its 3 buckets and the marker.
        state.apply(power("dev-2", T0.plusSeconds(10L * 8640 - 5), 300), offset);
        state.appliedThrough(offset);
        List<ProducerRecord<String, byte[]>> second = save(saver);
        assertThat(second).extracting(ProducerRecord::key).containsExactly("s|power|0|power|dev-2",
                "b|power|0|power|dev-2|m" + T0.plusSeconds(10L * 8640 - 5).getEpochSecond() / 60,
                "b|power|0|power|dev-2|h" + T0.plusSeconds(10L * 8640 - 5).getEpochSecond() / 3600,
                "b|power|0|power|dev-2|d" + T0.plusSeconds(10L * 8640 - 5).getEpochSecond() / 86400, "m|power|0");
        long bytes = second.stream().mapToLong(record -> record.key().length() + record.value().length).sum();
        assertThat(bytes).as("bytes of one changed series with three changed buckets").isLessThan(450);

        // And restored, the partition equals what was saved, with the day of buckets.
        PartitionState restored = restore(settings).take();
        for (int d = 0; d < 5; d++) {
            SeriesKey key = new SeriesKey("dev-" + d, Channel.POWER);
            assertSameSeries(restored.series(key).orElseThrow().series(), state.series(key).orElseThrow().series());
        }
    }

    @Test
    void bucketsThatLeaveRetentionLeaveTheCompactedTopicToo() {
        SeriesSettings settings = new SeriesSettings(GAP, SHORT);
        PartitionState state = new PartitionState(partition, settings, -1, () -> 0L);
        PartitionSaver saver = saver(state, -1);
        List<ProducerRecord<String, byte[]>> tombstones = new ArrayList<>();
        long offset = 0;
        for (int hour = 0; hour < 4; hour++) {
            for (int i = 0; i < 360; i++) {
                state.apply(power("oven", T0.plusSeconds(3600L * hour + 10L * i), 50), offset++);
            }
            state.appliedThrough(offset - 1);
            save(saver).stream().filter(record -> record.value() == null).forEach(tombstones::add);
        }

        Instant newest = T0.plusSeconds(4 * 3600 - 10);
        Instant oldestKept = newest.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        long minuteKeys = compacted.keySet().stream().filter(key -> key.contains("|m")).count();
        assertThat(minuteKeys).as("minute buckets of the last hour, from the one holding newest - 1 h")
                .isEqualTo(Duration.between(oldestKept, newest).toMinutes() + 1);
        assertThat(compacted.keySet()).filteredOn(key -> key.contains("|m"))
                .allSatisfy(key -> assertThat(Long.parseLong(key.substring(key.lastIndexOf("|m") + 2)))
                        .isGreaterThanOrEqualTo(oldestKept.getEpochSecond() / 60));
        assertThat(tombstones).as("a tombstone for each minute bucket saved, then dropped").hasSize(4 * 60 - (int) minuteKeys);
        assertThat(restore(settings).take().series(new SeriesKey("oven", Channel.POWER)).orElseThrow().series()
                .bucketCount(Resolution.MINUTE)).isEqualTo((int) minuteKeys);
    }

    @Test
    void anUnreadableValueNamesItsKeyAndStopsTheRestore() {
        SeriesSettings settings = new SeriesSettings(GAP, SHORT);
        PartitionState state = new PartitionState(partition, settings, -1, () -> 0L);
        state.apply(power("oven", T0, 1), 0);
        state.appliedThrough(0);
        save(saver(state, -1));
        String header = "s|power|0|power|oven";
        compacted.put(header, Arrays.copyOf(compacted.get(header), 5));

        assertThat(restore(settings).problem()).contains("the snapshot " + header + " cannot be read: truncated value");
    }

    /**
     * {@code snapshot-v1/upgrade-snapshots.tsv}: the latest value of each key of a snapshot topic written by
     * the monitor of format 1 (see its README), readings made here again with the same seed.
     */
    @Test
    void aTopicOfThePreviousFormatRestoresExactlyAndIsThenWrittenInTheNewOne() {
        Map<String, List<Sample>> sent = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            Instant at = Instant.parse("2024-05-01T00:00:00Z").plusSeconds(10L * i);
            for (String device : List.of("washer", "dryer", "ac")) {
                for (String channel : List.of("temp", "power")) {
                    double value = Math.round(random.nextDouble() * (channel.equals("power") ? 200_000 : 4_000)) / 100.0;
                    sent.computeIfAbsent(device + "/" + channel, k -> new ArrayList<>()).add(new Sample(at, value));
                }
            }
        }
        compacted.putAll(PreviousSnapshots.read());
        assertThat(compacted.values()).filteredOn(value -> value.length > 8).allSatisfy(value -> assertThat(value[0]).isEqualTo((byte) 1));
        TopicPartition power = new TopicPartition("upgrade-power", 0);
        SnapshotImages images = new SnapshotImages(new SeriesSettings(GAP, Retention.DEFAULT), any -> true, () -> 0L);
        compacted.forEach((key, value) -> images.add(key, value));
        PartitionImage image = images.image(power).orElseThrow();
        assertThat(image.problem()).isEmpty();
        assertThat(image.marker()).isEqualTo(5999);

        PartitionState restored = image.take();
        for (String device : List.of("washer", "dryer", "ac")) {
            List<Sample> samples = sent.get(device + "/power");
            SeriesOracle expected = SeriesOracle.of(samples, GAP);
            Series series = restored.series(new SeriesKey(device, Channel.POWER)).orElseThrow().series();
            assertThat(series.allTime().count()).isEqualTo(2000);
            assertThat(series.allTime().mean()).as(device).isCloseTo(expected.mean(), within(1e-6));
            assertThat(series.allTime().max()).isEqualTo(expected.max());
            assertThat(series.allTime().energyWh()).isCloseTo(expected.energyWh(), within(1e-6));
            Map<Instant, Long> hourly = new HashMap<>();
            samples.forEach(sample -> hourly.merge(sample.at().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum));
            Map<Instant, Long> actual = new HashMap<>();
            series.buckets(Resolution.HOUR).forEach(bucket -> actual.put(bucket.start(), bucket.stats().count()));
            assertThat(actual).isEqualTo(hourly);
        }

        // Its first save as the new monitor writes every series again, in format 2: header and buckets apart.
        compacted.clear();
        producer.initTransactions();
        PartitionSaver saver = new PartitionSaver("snapshots", restored, producer, image.marker(), PartitionSaver.FailPoint.NONE);
        List<ProducerRecord<String, byte[]>> records = save(saver);
        assertThat(records).extracting(ProducerRecord::key).filteredOn(key -> key.startsWith("s|")).hasSize(3);
        assertThat(records).filteredOn(record -> !record.key().startsWith("m|"))
                .allSatisfy(record -> assertThat(record.value()[0]).isEqualTo(SnapshotCodec.CHANGELOG));
        PartitionState again = restore(power, new SeriesSettings(GAP, Retention.DEFAULT)).take();
        for (String device : List.of("washer", "dryer", "ac")) {
            SeriesKey key = new SeriesKey(device, Channel.POWER);
            assertSameSeries(again.series(key).orElseThrow().series(), restored.series(key).orElseThrow().series());
            assertThat(again.series(key).orElseThrow().appliedOffset()).isEqualTo(restored.series(key).orElseThrow().appliedOffset());
        }
    }

    private PartitionImage restore(TopicPartition which, SeriesSettings settings) {
        SnapshotImages images = new SnapshotImages(settings, which::equals, () -> 0L);
        compacted.forEach((key, value) -> images.add(key, value));
        return images.image(which).orElseThrow();
    }
}

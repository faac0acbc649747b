package io.telemetry.monitor.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.PreviousSnapshots;
import io.telemetry.monitor.SeriesOracle.Sample;

/**
 * The snapshot topic as a changelog, on a real broker with the packaged monitor: a save writes what
 * changed, not whole series; a bucket that leaves retention is tombstoned, and a monitor killed after
 * that restarts exact; a topic the previous monitor wrote (format 1) restores exactly and is then saved
 * in the new format. Keys as {@code SnapshotCodec} documents them, written out here by hand.
 */
class SnapshotChangelogIT {

    /** A day of readings 10 s apart. */
    private static final int DAY = 8640;

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "changelog-it-kafka"));

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    @Test
    void steadyReadingsOnSeriesWithADayOfHistoryWriteOnlyTheirHeadersAndBuckets() throws Exception {
        Scenario scenario = new Scenario(broker, "steady");
        scenario.send(DAY);
        String snapshots = scenario.snapshots();
        try (AppProcess monitor = AppProcess.monitor("steady-1", scenario.env("PT0.5S", "none")).awaitReady()) {
            awaitSaved(scenario, 3L * DAY - 1);
            long before = broker.endOffset(snapshots);

            // One reading of each series at a time, each saved before the next: the costliest steady load.
            int rounds = 20;
            long readingBytes = 0;
            for (int round = 1; round <= rounds; round++) {
                readingBytes += scenario.send(1);
                awaitSaved(scenario, 3L * (DAY + round) - 1);
            }
            List<ConsumerRecord<String, byte[]>> written = broker.committed(snapshots, before);
            Map<Character, long[]> byKind = new TreeMap<>(); // kind → {records, bytes}
            for (ConsumerRecord<String, byte[]> record : written) {
                long[] kind = byKind.computeIfAbsent(record.key().charAt(0), k -> new long[2]);
                kind[0]++;
                kind[1] += record.serializedKeySize() + Math.max(0, record.serializedValueSize());
            }
            long snapshotBytes = byKind.values().stream().mapToLong(kind -> kind[1]).sum();
            System.out.printf("steady: %d rounds of 6 readings (%d bytes) wrote %d snapshot records, %d bytes (%.2f x);"
                    + " by kind (records, bytes): %s%n", rounds, readingBytes, written.size(), snapshotBytes,
                    (double) snapshotBytes / readingBytes, byKind.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1]).toList());

            // Each series changed once a round: its header and its minute, hour and day buckets, nothing else of the
            // day of buckets it holds; a marker per partition and save (a round's records may reach two saves). A
            // power reading that starts a bucket also adds the energy since the one before to the bucket before.
            long energyBuckets = 0;
            for (int round = 1; round <= rounds; round++) {
                long at = Scenario.T0.getEpochSecond() + 10L * (DAY + round - 1);
                for (long width : new long[] { 60, 3600, 86400 }) {
                    energyBuckets += at % width == 0 ? Scenario.DEVICES.size() : 0;
                }
            }
            assertThat(byKind.get('s')[0]).as("headers").isEqualTo(6L * rounds);
            assertThat(byKind.get('b')[0]).as("buckets").isEqualTo(3 * 6L * rounds + energyBuckets);
            assertThat(byKind.get('m')[0]).as("markers").isBetween(2L * rounds, 4L * rounds);
            assertThat(byKind.get('b')[1] / byKind.get('b')[0]).as("bytes per bucket record").isLessThanOrEqualTo(120);
            assertThat(byKind.get('s')[1] / byKind.get('s')[0]).as("bytes per header record").isLessThanOrEqualTo(160);
            monitor.kill();
        }
        try (AppProcess second = AppProcess.monitor("steady-2", scenario.env("PT0.5S", "none")).awaitReady()) {
            scenario.assertExact(second);
        }
    }

    @Test
    void bucketsThatLeftRetentionAreTombstonedAndAMonitorKilledAfterThatRestartsExact() throws Exception {
        Scenario scenario = new Scenario(broker, "retention").with("MONITOR_RETENTION_MINUTE", "PT1H");
        scenario.send(720); // two hours, every minute bucket saved
        scenario.applyAndSaveAll("retention-1");
        scenario.send(720); // two more: the first monitor's minute buckets leave the hour kept
        try (AppProcess second = AppProcess.monitor("retention-2", scenario.env("PT0.5S", "none")).awaitReady()) {
            awaitSaved(scenario, 3L * 1440 - 1);
            second.kill();
        }

        // The newest reading is at 03:59:50, so minute buckets from 02:59 on are kept: 61 a series.
        Instant oldestKept = Scenario.T0.plus(Duration.ofHours(3)).minus(Duration.ofMinutes(1));
        Map<String, byte[]> latest = broker.latest(scenario.snapshots());
        for (String device : Scenario.DEVICES) {
            for (String channel : Scenario.CHANNELS) {
                String prefix = "b|" + scenario.topic(channel) + "|0|" + channel + "|" + device + "|m";
                Map<Long, Boolean> minutes = new TreeMap<>(); // minute since the epoch → whether it has a value
                latest.forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        minutes.put(Long.parseLong(key.substring(prefix.length())), value != null);
                    }
                });
                long kept = oldestKept.getEpochSecond() / 60;
                // The first monitor's last save held the minutes from 00:59 to 01:59; the first hour's may have left
                // its retention before any save took them, and then were never written.
                long firstSaved = Scenario.T0.plus(Duration.ofMinutes(59)).getEpochSecond() / 60;
                for (long minute = firstSaved; minute <= firstSaved + 60; minute++) {
                    assertThat(minutes.get(minute)).as(device + "/" + channel + " minute " + minute
                            + " saved by the first monitor: a tombstone").isFalse();
                }
                assertThat(minutes.entrySet()).filteredOn(Map.Entry::getValue).extracting(Map.Entry::getKey)
                        .as(device + "/" + channel + " minute buckets with a value")
                        .containsExactlyElementsOf(LongStream.rangeClosed(kept, kept + 60).boxed().toList());
            }
        }

        try (AppProcess third = AppProcess.monitor("retention-3", scenario.env("PT0.5S", "none")).awaitReady()) {
            scenario.assertExact(third);
            for (Map.Entry<String, List<Sample>> series : scenario.sent.entrySet()) {
                Map<Instant, Long> expected = new TreeMap<>();
                series.getValue().stream().map(sample -> sample.at().truncatedTo(ChronoUnit.MINUTES))
                        .filter(minute -> !minute.isBefore(oldestKept)).forEach(minute -> expected.merge(minute, 1L, Long::sum));
                List<Map<String, Object>> buckets = third.http().queryParam("resolution", "PT1M")
                        .queryParam("from", Scenario.T0.toString()).queryParam("to", Scenario.T0.plus(Duration.ofDays(1)).toString())
                        .get("/api/devices/" + series.getKey() + "/series").jsonPath().getList("buckets");
                Map<Instant, Long> actual = new TreeMap<>();
                buckets.forEach(bucket -> actual.put(Instant.parse((String) bucket.get("start")),
                        ((Number) bucket.get("count")).longValue()));
                assertThat(actual).as(series.getKey() + " minute counts after the restart").isEqualTo(expected);
            }
        }
    }

    /**
     * {@code snapshot-v1/upgrade-snapshots.tsv} holds what the previous monitor saved of the readings that
     * {@link Scenario#send} sends first (see the README beside it).
     */
    @Test
    void aTopicWrittenByThePreviousMonitorRestoresExactlyAndIsThenSavedInTheNewFormat() throws Exception {
        Scenario scenario = new Scenario(broker, "upgrade");
        scenario.send(2000);
        broker.createCompacted(scenario.snapshots());
        Map<String, byte[]> previous = PreviousSnapshots.read();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers,
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> record : previous.entrySet()) {
                producer.send(new ProducerRecord<>(scenario.snapshots(), record.getKey(), record.getValue())).get();
            }
        }
        assertThat(previous.keySet()).filteredOn(key -> key.startsWith("s|")).hasSize(6);

        try (AppProcess monitor = AppProcess.monitor("upgrade-1", scenario.env("PT0.5S", "none")).awaitReady()) {
            assertThat(monitor.logText()).contains("Partition upgrade-power-0: restored 3 series from snapshots, "
                    + "reading from offset 6000");
            scenario.assertExact(monitor);
            scenario.send(10);
            awaitSaved(scenario, 3L * 2010 - 1);
            monitor.kill();
        }
        Map<String, byte[]> latest = broker.latest(scenario.snapshots());
        for (String device : Scenario.DEVICES) {
            for (String channel : Scenario.CHANNELS) {
                String header = "s|" + scenario.topic(channel) + "|0|" + channel + "|" + device;
                assertThat(latest.get(header)[0]).as(header + ": format 2").isEqualTo((byte) 2);
                long hours = latest.keySet().stream().filter(key -> key.startsWith("b|" + header.substring(2) + "|h")).count();
                assertThat(hours).as(header + ": hour buckets of its own (2,010 readings from midnight)").isEqualTo(6);
            }
        }
        try (AppProcess second = AppProcess.monitor("upgrade-2", scenario.env("PT0.5S", "none")).awaitReady()) {
            scenario.assertExact(second);
        }
    }

    /** Waits until both partitions' saved markers have reached {@code offset}. */
    private static void awaitSaved(Scenario scenario, long offset) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> Scenario.CHANNELS.stream()
                .allMatch(channel -> broker.savedMarker(scenario.snapshots(), scenario.topic(channel), 0) >= offset));
    }
}

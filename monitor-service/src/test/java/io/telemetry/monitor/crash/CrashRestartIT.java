package io.telemetry.monitor.crash;

import static io.telemetry.monitor.TestReadings.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.restassured.path.json.JsonPath;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;

/**
 * The monitor killed with SIGKILL at several moments and restarted: every reading in the topics must
 * count exactly once, in all-time stats and in buckets, compared with an oracle computed here.
 */
class CrashRestartIT {

    private static final List<String> DEVICES = List.of("washer", "dryer", "ac");
    private static final List<String> CHANNELS = List.of("temp", "power");
    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "crash-it-kafka"));

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    /** One scenario's topics, readings sent so far, and how to run monitors on them. */
    private static final class Scenario {
        final String name;
        final Map<String, List<Sample>> sent = new HashMap<>();
        final Random random = new Random(7);
        int next;

        Scenario(String name) {
            this.name = name;
        }

        String topic(String channel) {
            return name + "-" + channel;
        }

        String snapshots() {
            return name + "-snapshots";
        }

        /** Runs a monitor until every reading sent so far is applied and in its snapshots, then kills it. */
        void applyAndSaveAll(String process) throws Exception {
            try (AppProcess monitor = AppProcess.monitor(process, env("PT0.5S", "none")).awaitReady()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> monitor.applied("power") + monitor.applied("temp") == total());
                Thread.sleep(1500); // snapshots with their markers include everything so far
                monitor.kill();
            }
        }

        Map<String, String> env(String snapshotInterval, String failPoint) {
            return Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers),
                    Map.entry("TEMP_TOPIC", topic("temp")),
                    Map.entry("POWER_TOPIC", topic("power")),
                    Map.entry("MONITOR_SNAPSHOT_TOPIC", snapshots()),
                    Map.entry("MONITOR_SNAPSHOT_INTERVAL", snapshotInterval),
                    Map.entry("MONITOR_SNAPSHOT_FAIL_POINT", failPoint),
                    Map.entry("MP_MESSAGING_INCOMING_TEMP_GROUP_ID", name),
                    Map.entry("MP_MESSAGING_INCOMING_POWER_GROUP_ID", name),
                    // Static membership: the restarted monitor takes the killed one's place without waiting.
                    Map.entry("MP_MESSAGING_INCOMING_TEMP_GROUP_INSTANCE_ID", name + "-temp"),
                    Map.entry("MP_MESSAGING_INCOMING_POWER_GROUP_INSTANCE_ID", name + "-power"));
        }

        /** Sends {@code perSeries} more readings of every device on every channel, 10 s apart. */
        void send(int perSeries) throws ExecutionException, InterruptedException {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers, "acks", "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < perSeries; i++, next++) {
                    Instant at = T0.plusSeconds(10L * next);
                    for (String device : DEVICES) {
                        for (String channel : CHANNELS) {
                            double value = Math.round(random.nextDouble() * (channel.equals("power") ? 200_000 : 4_000)) / 100.0;
                            sent.computeIfAbsent(device + "/" + channel, key -> new ArrayList<>()).add(new Sample(at, value));
                            producer.send(new ProducerRecord<>(topic(channel), device, json(device, channel, at, value)));
                        }
                    }
                }
                producer.flush();
            }
        }

        long total() {
            return sent.values().stream().mapToLong(List::size).sum();
        }

        /** Every series' all-time stats and hourly buckets equal the oracle's. */
        void assertExact(AppProcess monitor) {
            sent.forEach((series, samples) -> {
                String path = "/api/devices/" + series;
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                        monitor.http().get(path).jsonPath().getLong("count")).isEqualTo(samples.size()));
                JsonPath stats = monitor.http().get(path).jsonPath();
                SeriesOracle expected = SeriesOracle.of(samples, Duration.ofMinutes(5));
                assertThat(stats.getDouble("mean")).as(series + " mean").isCloseTo(expected.mean(), within(1e-6));
                assertThat(stats.getDouble("stddev")).as(series + " stddev").isCloseTo(expected.stddev(), within(1e-6));
                assertThat(stats.getDouble("min")).as(series + " min").isEqualTo(expected.min(), within(1e-9));
                assertThat(stats.getDouble("max")).as(series + " max").isEqualTo(expected.max(), within(1e-9));
                if (series.endsWith("power")) {
                    assertThat(stats.getDouble("energyWh")).as(series + " energy").isCloseTo(expected.energyWh(), within(1e-6));
                }
                Map<Instant, Long> hourly = new HashMap<>();
                samples.forEach(sample -> hourly.merge(sample.at().truncatedTo(java.time.temporal.ChronoUnit.HOURS), 1L, Long::sum));
                JsonPath buckets = monitor.http().queryParam("resolution", "PT1H").queryParam("from", T0.toString())
                        .queryParam("to", T0.plus(Duration.ofDays(2)).toString()).get(path + "/series").jsonPath();
                Map<Instant, Long> actual = new HashMap<>();
                List<Map<String, Object>> list = buckets.getList("buckets");
                list.forEach(bucket -> actual.put(Instant.parse((String) bucket.get("start")),
                        ((Number) bucket.get("count")).longValue()));
                assertThat(actual).as(series + " hourly counts").isEqualTo(hourly);
            });
        }
    }

    @Test
    void killedBeforeTheFirstSnapshotItReadsEverythingAgainAndCountsItOnce() throws Exception {
        Scenario scenario = new Scenario("before-first");
        scenario.send(3000);
        try (AppProcess first = AppProcess.monitor("before-first-1", scenario.env("PT1H", "none")).awaitReady()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> first.applied("power") > 0);
            first.kill();
        }
        try (AppProcess second = AppProcess.monitor("before-first-2", scenario.env("PT1H", "none")).awaitReady()) {
            scenario.assertExact(second);
            assertThat(second.logText()).contains("reading from offset 0 (no snapshot yet)");
        }
    }

    @Test
    void killedBetweenSnapshotsItResumesFromTheLastOneAndCountsEachReadingOnce() throws Exception {
        Scenario scenario = new Scenario("between");
        scenario.send(2000);
        try (AppProcess first = AppProcess.monitor("between-1", scenario.env("PT0.5S", "none")).awaitReady()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> first.applied("power") + first.applied("temp") == scenario.total());
            Thread.sleep(1500); // a snapshot or two include everything so far
            scenario.send(2000);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.applied("power") > 3 * 2000);
            first.kill();
        }
        try (AppProcess second = AppProcess.monitor("between-2", scenario.env("PT0.5S", "none")).awaitReady()) {
            assertThat(second.logText()).containsPattern("Partition between-power-0: restored 3 series from snapshots, "
                    + "reading from offset [1-9][0-9]*");
            scenario.assertExact(second);
        }
    }

    @Test
    void killedDuringASnapshotWriteItCountsEachReadingOnce() throws Exception {
        Scenario scenario = new Scenario("during");
        scenario.send(1500);
        scenario.applyAndSaveAll("during-1");
        scenario.send(1500);
        // Restored from those markers, it applies the new readings; its first snapshot then halts the
        // process after writing the series and before writing the marker.
        try (AppProcess second = AppProcess.monitor("during-2", scenario.env("PT0.5S", "before-marker"))) {
            assertThat(second.awaitExit(Duration.ofSeconds(90))).isEqualTo(137);
            assertThat(second.logText()).contains("fail point before-marker");
        }
        try (AppProcess third = AppProcess.monitor("during-3", scenario.env("PT0.5S", "none")).awaitReady()) {
            scenario.assertExact(third);
        }
    }

    @Test
    void aSnapshotItCannotReadStopsItBeforeItOverwritesAnything() throws Exception {
        Scenario scenario = new Scenario("unreadable");
        scenario.send(500);
        scenario.applyAndSaveAll("unreadable-1");
        // A series snapshot in a format no monitor knows (a newer monitor's, say), in the power partition; the
        // key as SnapshotCodec documents it, written out by hand.
        String snapshots = scenario.snapshots();
        String ghost = "s|" + scenario.topic("power") + "|0|power|ghost";
        sendSnapshot(snapshots, ghost, new byte[] { 99 });
        long end = broker.endOffset(snapshots);

        try (AppProcess second = AppProcess.monitor("unreadable-2", scenario.env("PT0.5S", "none"))) {
            assertThat(second.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
            assertThat(second.logText()).contains("Cannot restore [" + scenario.topic("power") + "-0]")
                    .contains("the snapshot " + ghost + " cannot be read: unknown series snapshot format 99");
        }
        // Counting power from offset 0 and saving it would have written series and a marker.
        assertThat(broker.endOffset(snapshots)).as("records written to the snapshot topic").isEqualTo(end);

        sendSnapshot(snapshots, ghost, null); // the unknown snapshot deleted, the monitor restores the rest exactly
        try (AppProcess third = AppProcess.monitor("unreadable-3", scenario.env("PT0.5S", "none")).awaitReady()) {
            assertThat(third.logText()).containsPattern("Partition unreadable-power-0: restored 3 series from snapshots, "
                    + "reading from offset [1-9][0-9]*");
            scenario.assertExact(third);
        }
    }

    @Test
    void aMonitorWhosePartitionWasTakenOverCannotSaveItAnyMore() throws Exception {
        Scenario scenario = new Scenario("fenced");
        scenario.send(500);
        String snapshots = scenario.snapshots();
        long lastPowerOffset = 3 * 500 - 1;
        try (AppProcess first = AppProcess.monitor("fenced-1", scenario.env("PT0.5S", "none")).awaitReady()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.savedMarker(snapshots, scenario.topic("power"), 0) == lastPowerOffset);
            // What another monitor does when the group gives it the partition (this one having stalled past the
            // session timeout, say): it opens the partition's snapshot producer, its transactional id as README
            // gives it, which fences this one's.
            try (KafkaProducer<String, byte[]> newOwner = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers, "transactional.id", snapshots + "-" + scenario.topic("power") + "-0"),
                    new StringSerializer(), new ByteArraySerializer())) {
                newOwner.initTransactions();
            }
            scenario.send(500);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.applied("power") == 3 * 1000);
            Thread.sleep(2000); // four save intervals after every new reading is applied
            assertThat(broker.savedMarker(snapshots, scenario.topic("power"), 0)).as("the power partition's saved marker").isEqualTo(lastPowerOffset);
            assertThat(first.logText()).contains("Partition " + scenario.topic("power") + "-0 was taken over by another monitor");
            first.kill();
        }
        // The next owner restores the last snapshot saved before the takeover and reads on from there.
        try (AppProcess second = AppProcess.monitor("fenced-2", scenario.env("PT0.5S", "none")).awaitReady()) {
            assertThat(second.logText()).contains("Partition " + scenario.topic("power") + "-0: restored 3 series from "
                    + "snapshots, reading from offset " + (lastPowerOffset + 1));
            scenario.assertExact(second);
        }
    }

    private static void sendSnapshot(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers,
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}

package io.telemetry.monitor.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.telemetry.monitor.JsonNumbers;

/**
 * The monitor killed with SIGKILL at several moments and restarted: every reading in the topics must
 * count exactly once, in all-time stats and in buckets, compared with an oracle computed here.
 */
class CrashRestartIT {

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "crash-it-kafka"));

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    @Test
    void killedBeforeTheFirstSnapshotItReadsEverythingAgainAndCountsItOnce() throws Exception {
        Scenario scenario = new Scenario(broker, "before-first");
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
        Scenario scenario = new Scenario(broker, "between");
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
        Scenario scenario = new Scenario(broker, "during");
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
        Scenario scenario = new Scenario(broker, "unreadable");
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
        Scenario scenario = new Scenario(broker, "fenced");
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

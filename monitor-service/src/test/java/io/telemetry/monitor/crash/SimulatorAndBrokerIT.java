package io.telemetry.monitor.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.restassured.path.json.JsonPath;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;

/**
 * The simulator killed and restarted, and the broker stopped mid-stream and restarted with its data:
 * each CSV row is in the topics exactly once, and the monitor counts each exactly once.
 */
class SimulatorAndBrokerIT {

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "simulator-broker-it-kafka"));

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    private static Map<String, String> simulatorEnv(String device, Path data, String speed, String prefix) {
        return Map.of("SIMULATOR_DEVICE_ID", device, "SIMULATOR_DATA_DIR", data.toAbsolutePath().toString(),
                "SIMULATOR_REPLAY_SPEED", speed, "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers,
                "TEMP_TOPIC", prefix + "-temp", "POWER_TOPIC", prefix + "-power", "SIMULATOR_PROGRESS_INTERVAL", "2s");
    }

    /** Every record of a topic, from the beginning to its current end. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<String> timestampsOf(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(record -> JsonPath.from(record.value()).getString("timestamp")).toList();
    }

    private static long records(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty() ? 0
                    : consumer.endOffsets(List.of(partition)).get(partition);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Test
    void aSimulatorWithAnInvalidDeviceIdSaysSoInOneLineAndExitsWithStatus2() throws Exception {
        Map<String, String> env = new HashMap<>(simulatorEnv("not valid!", Path.of("../data/ac"), "0", "invalid"));
        try (AppProcess simulator = AppProcess.simulator("invalid-simulator", env)) {
            assertThat(simulator.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(simulator.logText().lines().filter(line -> line.contains("ERROR")).toList()).containsExactly(
                    simulator.logText().lines().filter(line -> line.contains("Cannot simulate: SIMULATOR_DEVICE_ID: "
                            + "deviceId 'not valid!' is invalid")).findFirst().orElseThrow());
        }
    }

    @Test
    void aSimulatorKilledAndRestartedSendsEachRowExactlyOnce() throws Exception {
        Path data = Path.of("target", "resume-device");
        Recordings.write(data, 3000);
        try (AppProcess first = AppProcess.simulator("resume-1", simulatorEnv("resumer", data, "200", "resume"))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> records("resume-power") >= 500);
            first.kill();
        }
        long sentBefore = records("resume-power");
        assertThat(sentBefore).as("the first run was killed mid-file").isLessThan(3000);
        try (AppProcess second = AppProcess.simulator("resume-2", simulatorEnv("resumer", data, "0", "resume"))) {
            assertThat(second.awaitExit(Duration.ofSeconds(90))).isZero();
            assertThat(second.logText()).contains("Resuming power after").contains("Resuming temp after");
        }

        for (String channel : List.of("power", "temp")) {
            List<ConsumerRecord<String, String>> records = readAll("resume-" + channel);
            assertThat(records).extracting(ConsumerRecord::key).containsOnly("resumer");
            assertThat(timestampsOf(records)).as(channel + " rows in the topic")
                    .containsExactlyElementsOf(Recordings.timestamps(data.resolve(channel + ".csv")));
        }
    }

    @Test
    void theBrokerStoppedMidStreamLosesAndDoublesNothingAndReadinessFollowsIt() throws Exception {
        Path data = Path.of("target", "broker-restart-device");
        List<Sample> power = Recordings.write(data, 1200);
        Map<String, String> monitorEnv = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers,
                "TEMP_TOPIC", "restart-temp", "POWER_TOPIC", "restart-power",
                "MONITOR_SNAPSHOT_TOPIC", "restart-snapshots", "MONITOR_SNAPSHOT_INTERVAL", "PT1S",
                "MP_MESSAGING_INCOMING_TEMP_GROUP_ID", "restart", "MP_MESSAGING_INCOMING_POWER_GROUP_ID", "restart"));
        try (AppProcess monitor = AppProcess.monitor("restart-monitor", monitorEnv).awaitReady();
                AppProcess simulator = AppProcess.simulator("restart-simulator",
                        simulatorEnv("restarter", data, "60", "restart"))) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> monitor.applied("power") >= 200);

            broker.stop();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().pollInterval(Duration.ofMillis(500))
                    .until(() -> monitor.http().get("/q/health/ready").statusCode() == 503);
            Thread.sleep(3000);
            broker.start();
            monitor.awaitReady();

            assertThat(simulator.awaitExit(Duration.ofSeconds(120))).isZero();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                    monitor.http().get("/api/devices/restarter/power").jsonPath().getLong("count")).isEqualTo(1200));
            JsonPath stats = monitor.http().get("/api/devices/restarter/power").jsonPath();
            SeriesOracle expected = SeriesOracle.of(power, Duration.ofMinutes(5));
            assertThat(stats.getDouble("mean")).isCloseTo(expected.mean(), within(1e-6));
            assertThat(stats.getDouble("energyWh")).isCloseTo(expected.energyWh(), within(1e-6));
            assertThat(monitor.http().get("/api/devices/restarter/temp").jsonPath().getLong("count")).isEqualTo(1200);
            // Saving resumed after the outage: the power partition's snapshot includes its last record.
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.savedMarker("restart-snapshots", "restart-power", 0) == 1199);
        }
        assertThat(timestampsOf(readAll("restart-power")))
                .containsExactlyElementsOf(Recordings.timestamps(data.resolve("power.csv")));
        assertThat(new String(java.nio.file.Files.readAllBytes(Path.of("target", "restart-monitor.log")),
                StandardCharsets.UTF_8)).doesNotContain("Dead-lettered");
    }
}

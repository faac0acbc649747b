package io.telemetry.monitor;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.telemetry.monitor.SeriesOracle.Sample;

/**
 * End to end: the packaged simulator, as its own process configured by environment only, replays the
 * washing machine's recording into the broker this monitor reads; the monitor's stats must equal the
 * CSV's own.
 */
@QuarkusTest
class SimulatorToMonitorTest {

    private static final Path SIMULATOR = Path.of("../device-simulator/target/quarkus-app/quarkus-run.jar");
    private static final Path RECORDING = Path.of("../data/washing-machine");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    @Test
    void theMonitorsStatsEqualTheCsvsOwn() throws Exception {
        assertThat(SIMULATOR).as("the simulator's jar; build it first with ./mvnw verify from the top").exists();
        String device = newDevice("e2e-washer");

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", SIMULATOR.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "simulator-e2e.log").toFile());
        builder.environment().putAll(Map.of(
                "SIMULATOR_DEVICE_ID", device,
                "SIMULATOR_DATA_DIR", RECORDING.toString(),
                "SIMULATOR_REPLAY_SPEED", "0",
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "QUARKUS_HTTP_PORT", "0"));
        Process simulator = builder.start();
        try {
            assertThat(simulator.waitFor(120, TimeUnit.SECONDS)).as("simulator finished within two minutes").isTrue();
            assertThat(simulator.exitValue()).as("simulator exit code; see target/simulator-e2e.log").isZero();
        } finally {
            simulator.destroyForcibly();
        }

        for (String channel : List.of("power", "temp")) {
            List<Sample> rows = csv(RECORDING.resolve(channel + ".csv"));
            SeriesOracle expected = SeriesOracle.of(rows, Duration.ofMinutes(5));
            String path = "/api/devices/" + device + "/" + channel;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(path).then().statusCode(200)
                    .body("count", equalTo(rows.size())));
            JsonPath stats = given().get(path).jsonPath();

            assertThat(stats.getDouble("min")).as(channel + " min").isEqualTo(expected.min(), within(1e-9));
            assertThat(stats.getDouble("max")).as(channel + " max").isEqualTo(expected.max(), within(1e-9));
            assertThat(stats.getDouble("mean")).as(channel + " mean").isCloseTo(expected.mean(), within(1e-3));
            assertThat(Instant.parse(stats.getString("last.timestamp"))).isEqualTo(expected.lastAt());
        }
    }

    /** The recording's rows, read with nothing but string splitting. */
    private static List<Sample> csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().skip(1).filter(line -> !line.isBlank())
                .map(line -> line.split(","))
                .map(cells -> new Sample(Instant.parse(cells[0]), Double.parseDouble(cells[1])))
                .toList();
    }
}

package io.telemetry.monitor.api;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.json;
import static io.telemetry.monitor.TestReadings.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;
import io.telemetry.monitor.cluster.Hop;
import io.telemetry.reading.Topics;

/** The monitor fed through a real broker, asked over real HTTP. Each test uses devices of its own. */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class MonitorApiTest {

    private static final Duration DEFAULT_MAX_GAP = Duration.ofMinutes(5);
    private static final Instant START = Instant.parse("2024-05-01T22:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    @Test
    void powerStatsEqualAnIndependentOracle() {
        String device = newDevice("washer");
        List<Sample> samples = new ArrayList<>();
        Random random = new Random(11);
        Instant at = START;
        for (int i = 0; i < 300; i++) {
            at = at.plusSeconds(i == 150 ? 900 : 10); // one gap of fifteen minutes: no energy across it
            samples.add(new Sample(at, Math.round(random.nextDouble() * 220000) / 100.0));
        }
        send(Topics.POWER, device, samples);

        JsonPath stats = awaitCount("/api/devices/" + device + "/power", samples.size());
        SeriesOracle expected = SeriesOracle.of(samples, DEFAULT_MAX_GAP);

        assertThat(stats.getString("deviceId")).isEqualTo(device);
        assertThat(stats.getString("channel")).isEqualTo("power");
        assertThat(stats.getString("unit")).isEqualTo("W");
        assertThat(stats.getDouble("min")).isEqualTo(expected.min(), within(1e-9));
        assertThat(stats.getDouble("max")).isEqualTo(expected.max(), within(1e-9));
        assertThat(stats.getDouble("mean")).isCloseTo(expected.mean(), within(1e-9));
        assertThat(stats.getDouble("stddev")).isCloseTo(expected.stddev(), within(1e-9));
        assertThat(Instant.parse(stats.getString("first.timestamp"))).isEqualTo(expected.firstAt());
        assertThat(stats.getDouble("first.value")).isEqualTo(expected.first(), within(1e-9));
        assertThat(Instant.parse(stats.getString("last.timestamp"))).isEqualTo(expected.lastAt());
        assertThat(stats.getDouble("last.value")).isEqualTo(expected.last(), within(1e-9));
        assertThat(stats.getDouble("energyWh")).isCloseTo(expected.energyWh(), within(1e-6));
    }

    @Test
    void temperatureStatsHaveNoEnergyAndKeepANegativeMaximum() {
        String device = newDevice("freezer");
        List<Sample> samples = List.of(new Sample(START, -18.5), new Sample(START.plusSeconds(10), -17.25),
                new Sample(START.plusSeconds(20), -19.0));
        send(Topics.TEMP, device, samples);

        JsonPath stats = awaitCount("/api/devices/" + device + "/temp", 3);

        assertThat(stats.getDouble("max")).isEqualTo(-17.25);
        assertThat(stats.getDouble("min")).isEqualTo(-19.0);
        assertThat(stats.getDouble("mean")).isCloseTo(-54.75 / 3, within(1e-9));
        assertThat(stats.getString("unit")).isEqualTo("°C");
        assertThat(stats.getMap("").containsKey("energyWh")).isFalse();
    }

    @Test
    void aDeviceListsEachChannelItSentOn() {
        String device = newDevice("ac");
        send(Topics.TEMP, device, List.of(new Sample(START, 24.0)));
        send(Topics.POWER, device, List.of(new Sample(START.plusSeconds(30), 1100.0)));
        awaitCount("/api/devices/" + device + "/power", 1);
        awaitCount("/api/devices/" + device + "/temp", 1);

        given().get("/api/devices/" + device).then().statusCode(200)
                .body("deviceId", equalTo(device))
                .body("series.channel", equalTo(List.of("temp", "power")))
                .body("series[0].count", equalTo(1))
                .body("series[1].energyWh", equalTo(0.0));
        given().get("/api/devices").then().statusCode(200)
                .body("find { it.deviceId == '" + device + "' }.channels", equalTo(List.of("temp", "power")))
                .body("find { it.deviceId == '" + device + "' }.lastReadingAt", equalTo("2024-05-01T22:00:30Z"));
        given().get("/api/channels/temp").then().statusCode(200)
                .body("deviceId", hasItem(device))
                .body("find { it.deviceId == '" + device + "' }.mean", equalTo(24.0));
    }

    @Test
    void aMalformedRecordIsSkippedAndTheNextGoodOneIsCounted() {
        String device = newDevice("bad-neighbour");
        long rejectedBefore = given().get("/api/status").jsonPath().getLong("rejected.power");
        kafka.produce(String.class, String.class).fromRecords(
                record(Topics.POWER, device, new Sample(START, 100)),
                new ProducerRecord<>(Topics.POWER, device, "{not json"),
                new ProducerRecord<>(Topics.POWER, device, json(device, "power", START.plusSeconds(5), -40)),
                new ProducerRecord<>(Topics.POWER, "someone-else", json(device, "power", START.plusSeconds(6), 5)),
                new ProducerRecord<>(Topics.POWER, device, json(device, "temp", START.plusSeconds(7), 5)),
                record(Topics.POWER, device, new Sample(START.plusSeconds(10), 300))).awaitCompletion();

        JsonPath stats = awaitCount("/api/devices/" + device + "/power", 2);

        assertThat(stats.getDouble("mean")).isEqualTo(200.0);
        assertThat(stats.getDouble("max")).isEqualTo(300.0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                given().get("/api/status").jsonPath().getLong("rejected.power")).isEqualTo(rejectedBefore + 4));
    }

    @Test
    void anUnknownDeviceIsA404Problem() {
        given().get("/api/devices/never-seen-device").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("never-seen-device"))
                .body("instance", equalTo("/api/devices/never-seen-device"));
    }

    @Test
    void anUnknownChannelIsA404ProblemNamingIt() {
        given().get("/api/channels/humidity").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("unknown channel 'humidity': expected one of temp, power"));
        given().get("/api/devices/some-device/humidity").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("humidity"));
    }

    @Test
    void aMalformedDeviceIdIsA400ProblemNamingTheParameter() {
        given().get("/api/devices/not a device!").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("path parameter deviceId: 'not a device!' is invalid"))
                .body("instance", equalTo("/api/devices/not%20a%20device%21"));
    }

    @Test
    void aHopAskingForAPartitionTheDeviceIsNotOnIsMisdirectedNotAServerError() {
        String device = newDevice("hopped");
        send(Topics.POWER, device, List.of(new Sample(START, 5.0)));
        awaitCount("/api/devices/" + device + "/power", 1);

        given().header(Hop.FROM, "monitor-elsewhere").header(Hop.PARTITIONS, "no-such-topic-7")
                .get("/api/devices/" + device + "/power").then()
                .statusCode(421)
                .contentType("application/problem+json")
                .body("detail", containsString("was asked for no-such-topic-7"))
                .body("detail", containsString(Topics.POWER + "-"));
    }

    @Test
    void escapesOfNoTextAreProblemsNamingWhatTheyDecodeToAndBrokenEscapesA400() throws IOException {
        // Bytes that are no UTF-8 decode to U+FFFD: no device id has it (400), no channel is named so (404).
        given().urlEncodingEnabled(false).get("/api/devices/%FF").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("deviceId"));
        given().urlEncodingEnabled(false).get("/api/devices/dryer-7/%C3%28").then()
                .statusCode(404).contentType("application/problem+json").body("detail", containsString("unknown channel"));
        given().urlEncodingEnabled(false).get("/api/devices/dryer-7/power?window=%FF").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("window"));
        // Not even a URI (RFC 3986): Quarkus' HTTP layer refuses it before any of the API's code runs, with an
        // empty 400 (quarkusio/quarkus#37804: its maintainers keep that check on, for safety).
        // No Java client sends such a request line, so it goes over a socket as written.
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write("GET /api/devices/dryer-7/%ZZ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 400 Bad Request");
        }
    }

    @Test
    void anUnknownPathIsA404ProblemToo() {
        given().get("/api/nothing-here").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", nullValue())
                .body("status", equalTo(404));
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/devices/{deviceId}/{channel}'.get.responses.'404'.description", containsString("Unknown"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private void send(String topic, String device, List<Sample> samples) {
        kafka.produce(String.class, String.class)
                .fromRecords(samples.stream().map(sample -> record(topic, device, sample)).toList())
                .awaitCompletion();
    }

    private static ProducerRecord<String, String> record(String topic, String device, Sample sample) {
        return new ProducerRecord<>(topic, device, json(device, topic, sample.at(), sample.value()));
    }

    private static JsonPath awaitCount(String path, int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("count", equalTo(count)));
        return given().get(path).jsonPath();
    }
}

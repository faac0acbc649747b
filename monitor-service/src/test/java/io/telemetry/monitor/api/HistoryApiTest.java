package io.telemetry.monitor.api;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.newDevice;
import static io.telemetry.monitor.TestReadings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;
import io.telemetry.reading.Topics;

/** Bucketed history and windows over the real broker, with the washing machine's day of power readings. */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class HistoryApiTest {

    private static final Path RECORDING = Path.of("../data/washing-machine/power.csv");
    private static final String DEVICE = newDevice("history-washer");
    private static final String SERIES = "/api/devices/" + DEVICE + "/power";
    private static List<Sample> samples;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @BeforeAll
    static void readTheRecording() throws IOException {
        JsonNumbers.readAsDoubles();
        samples = Files.readAllLines(RECORDING).stream().skip(1).map(line -> line.split(","))
                .map(cells -> new Sample(Instant.parse(cells[0]), Double.parseDouble(cells[1]))).toList();
    }

    private void sendTheRecordingOnce() {
        if (given().get(SERIES).statusCode() == 200) {
            return;
        }
        kafka.produce(String.class, String.class).fromRecords(samples.stream()
                .map(sample -> record(DEVICE, Topics.POWER, sample.at(), sample.value()))
                .toList()).awaitCompletion();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(SERIES).then().statusCode(200)
                .body("count", equalTo(samples.size())));
    }

    @Test
    void hourlyBucketsCountEveryReadingAndTheirEnergyAddsUpToTheDay() {
        sendTheRecordingOnce();

        JsonPath hours = given().queryParam("resolution", "PT1H").queryParam("from", "2024-05-01T00:00:00Z")
                .queryParam("to", "2024-05-02T00:00:00Z").get(SERIES + "/series").then().statusCode(200).extract().jsonPath();
        JsonPath days = given().queryParam("resolution", "P1D").queryParam("from", "2024-05-01T00:00:00Z")
                .get(SERIES + "/series").then().statusCode(200).extract().jsonPath();

        List<Integer> counts = hours.getList("buckets.count", Double.class).stream().map(Double::intValue).toList();
        assertThat(counts).hasSize(24).containsOnly(360);
        assertThat(hours.getString("buckets[8].start")).isEqualTo("2024-05-01T08:00:00Z");
        assertThat(hours.getString("buckets[8].end")).isEqualTo("2024-05-01T09:00:00Z");
        assertThat(days.getList("buckets")).hasSize(1);
        assertThat(days.getDouble("buckets[0].count")).isEqualTo(samples.size());
        double dayEnergy = SeriesOracle.of(samples, Duration.ofMinutes(5)).energyWh();
        assertThat(days.getDouble("buckets[0].energyWh")).isCloseTo(dayEnergy, within(1e-6));
        assertThat(hours.getList("buckets.energyWh", Double.class).stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(dayEnergy, within(1e-6));
    }

    @Test
    void minuteBucketsAreLimitedAndSayWhereToContinue() {
        sendTheRecordingOnce();

        JsonPath first = given().queryParam("resolution", "PT1M").queryParam("from", "2024-05-01T00:00:00Z")
                .queryParam("to", "2024-05-02T00:00:00Z").queryParam("limit", "1000")
                .get(SERIES + "/series").then().statusCode(200).extract().jsonPath();
        JsonPath rest = given().queryParam("resolution", "PT1M").queryParam("from", first.getString("next"))
                .queryParam("to", "2024-05-02T00:00:00Z").queryParam("limit", "1000")
                .get(SERIES + "/series").then().statusCode(200).extract().jsonPath();

        assertThat(first.getBoolean("truncated")).isTrue();
        assertThat(first.getString("next")).isEqualTo("2024-05-01T16:40:00Z");
        assertThat(rest.getBoolean("truncated")).isFalse();
        assertThat(first.getList("buckets").size() + rest.getList("buckets").size()).isEqualTo(1440);
        double total = first.getList("buckets.count", Double.class).stream().mapToDouble(Double::doubleValue).sum()
                + rest.getList("buckets.count", Double.class).stream().mapToDouble(Double::doubleValue).sum();
        assertThat(total).isEqualTo(samples.size());
    }

    @Test
    void withoutARangeTheLast24HoursOfEventTimeAreShown() {
        sendTheRecordingOnce();

        given().queryParam("resolution", "PT1M").get(SERIES + "/series").then().statusCode(200)
                .body("to", equalTo("2024-05-02T00:00:00Z"))
                .body("from", equalTo("2024-05-01T00:00:00Z"))
                .body("buckets.size()", equalTo(1440));
    }

    @Test
    void aWindowSummarisesTheLastMinutesUpToTheLatestReading() {
        sendTheRecordingOnce();

        JsonPath window = given().queryParam("window", "PT15M").get(SERIES).then().statusCode(200).extract().jsonPath();

        // The latest reading is at 23:59:50; the window starts with the minute of 23:44:50: 23:44:00 to 23:59:50.
        List<Sample> inside = samples.stream().filter(s -> !s.at().isBefore(Instant.parse("2024-05-01T23:44:00Z"))).toList();
        SeriesOracle expected = SeriesOracle.of(inside, Duration.ofMinutes(5));
        assertThat(window.getDouble("count")).isEqualTo(96);
        assertThat(window.getDouble("count")).isEqualTo(inside.size());
        assertThat(window.getDouble("mean")).isCloseTo(expected.mean(), within(1e-9));
        assertThat(window.getDouble("max")).isEqualTo(expected.max());
        assertThat(window.getString("window.from")).isEqualTo("2024-05-01T23:44:00Z");
        assertThat(window.getString("window.to")).isEqualTo("2024-05-01T23:59:50Z");
        assertThat(window.getString("window.resolution")).isEqualTo("PT1M");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(textBlock = """
            resolution, PT5M,       query parameter resolution: 'PT5M' is not one of PT1M, PT1H, P1D
            from,       yesterday,  query parameter from: 'yesterday' is not an ISO-8601 instant
            to,         2024-05-01, query parameter to: '2024-05-01' is not an ISO-8601 instant
            to,         +999999999-01-01T00:00:00Z, query parameter to: +999999999-01-01T00:00:00Z is outside 1900
            limit,      0,          query parameter limit: '0' is not a whole number from 1 to 10000
            limit,      many,       query parameter limit: 'many' is not a whole number from 1 to 10000
            """)
    void aBadSeriesParameterIsA400NamingIt(String parameter, String value, String detail) {
        given().queryParam(parameter, value).get(SERIES + "/series").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString(detail));
    }

    @Test
    void fromAfterToIsA400NamingBoth() {
        given().queryParam("from", "2024-05-02T00:00:00Z").queryParam("to", "2024-05-01T00:00:00Z")
                .get(SERIES + "/series").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("query parameters from and to: from (2024-05-02T00:00:00Z) must be before to"));
    }

    @ParameterizedTest(name = "window={0}")
    @CsvSource(textBlock = """
            PT0S,    query parameter window: PT0S must be longer than zero
            -PT5M,   query parameter window: -PT5M must be longer than zero
            15min,   query parameter window: '15min' is not an ISO-8601 duration such as PT15M
            P2000D,  query parameter window: P2000D is longer than the history kept (P1826D)
            """)
    void aBadWindowIsA400NamingIt(String window, String detail) {
        given().queryParam("window", window).get(SERIES).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }
}

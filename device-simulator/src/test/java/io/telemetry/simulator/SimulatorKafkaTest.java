package io.telemetry.simulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.reading.Topics;

/**
 * The simulator replays src/test/resources/test-device/*.csv (see application.properties) into the
 * real broker at full speed; what lands in the topics must be exactly the valid CSV rows, as JSON,
 * keyed by the device id, in file order.
 */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class SimulatorKafkaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    /** The valid rows of power.csv, by hand: line 6 is not a row and line 8 has negative power. */
    private static final List<String> POWER = List.of(
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:00Z\",\"value\":0.8}",
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:10Z\",\"value\":95.5}",
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:20Z\",\"value\":2100.0}",
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:30Z\",\"value\":2150.25}",
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:40Z\",\"value\":2080.0}",
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:01:00Z\",\"value\":310.5}",
            "{\"deviceId\":\"test-device\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:01:10Z\",\"value\":290.0}");

    /** The rows of temp.csv, by hand: the blank line 5 is not a row. */
    private static final List<String> TEMP = List.of(
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:00Z\",\"value\":19.5}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:10Z\",\"value\":19.75}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:20Z\",\"value\":21.0}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:30Z\",\"value\":24.5}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:40Z\",\"value\":28.0}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:50Z\",\"value\":31.25}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:01:00Z\",\"value\":35.0}",
            "{\"deviceId\":\"test-device\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:01:10Z\",\"value\":38.5}");

    @Test
    void eachValidPowerRowIsOneRecordKeyedByTheDevice() throws Exception {
        assertTopicHoldsExactly(Topics.POWER, POWER);
    }

    @Test
    void eachTemperatureRowIsOneRecordKeyedByTheDevice() throws Exception {
        assertTopicHoldsExactly(Topics.TEMP, TEMP);
    }

    @Test
    void theStatusCountsSentReadingsAndSkippedRowsAndEndsDone() {
        awaitDone();
        given().get("/simulator/status").then()
                .body("deviceId", equalTo("test-device"))
                .body("sent", equalTo(POWER.size() + TEMP.size()))
                .body("channels.power.sent", equalTo(POWER.size()))
                .body("channels.power.badRows", equalTo(2))
                .body("channels.temp.sent", equalTo(TEMP.size()))
                .body("channels.temp.badRows", equalTo(0))
                .body("channels.temp.failed", equalTo(0));
    }

    @Test
    void theMetricsCountSentReadingsAndBadRowsPerChannel() {
        awaitDone();
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("simulator_readings_sent_total{channel=\"power\",device=\"test-device\"} " + POWER.size() + ".0")
                .contains("simulator_readings_sent_total{channel=\"temp\",device=\"test-device\"} " + TEMP.size() + ".0")
                .contains("simulator_bad_rows_total{channel=\"power\",device=\"test-device\"} 2.0")
                .contains("simulator_readings_failed_total{channel=\"temp\",device=\"test-device\"} 0.0")
                .containsPattern("simulator_send_rate\\{device=\"test-device\"} ");
    }

    private static void awaitDone() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/simulator/status").then()
                .statusCode(200)
                .body("done", equalTo(true)));
    }

    private void assertTopicHoldsExactly(String topic, List<String> expected) throws Exception {
        List<ConsumerRecord<String, String>> records = kafka.consumeStrings().fromTopics(topic, expected.size())
                .awaitCompletion(Duration.ofSeconds(30)).getRecords();
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("test-device");
        for (int i = 0; i < expected.size(); i++) {
            assertThat(JSON.readTree(records.get(i).value())).as("record %d of %s", i, topic)
                    .isEqualTo(JSON.readTree(expected.get(i)));
        }
        // Nothing more than the file: once the simulator is done, the topic ends after these records.
        awaitDone();
        assertThat(kafka.offsets().get(new TopicPartition(topic, 0), OffsetSpec.latest()).offset())
                .isEqualTo(expected.size());
    }

}

package io.telemetry.monitor.ingest;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.newDevice;
import static io.telemetry.monitor.TestReadings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.reading.Topics;

/** Records delivered again (the consumer seeks back over applied offsets) change no stats. */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class DuplicateDeliveryTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    KafkaClientService clients;

    @Test
    void redeliveredOffsetsAreSkippedAndStatsDoNotChange() {
        String device = newDevice("redelivered");
        Instant t0 = Instant.parse("2024-05-01T06:00:00Z");
        List<ProducerRecord<String, String>> records = IntStream.range(0, 50)
                .mapToObj(i -> record(device, Topics.POWER, t0.plusSeconds(10L * i), 100 + i))
                .toList();
        long firstOffset = kafka.produceStrings().fromRecords(records).awaitCompletion().getFirstRecord().offset();
        String path = "/api/devices/" + device + "/power";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("count", equalTo(50)));
        String before = given().get(path).asString();
        long duplicatesBefore = given().get("/api/status").jsonPath().getLong("duplicates.power");

        clients.getConsumer(Topics.POWER).runOnPollingThread(consumer -> {
            consumer.seek(new TopicPartition(Topics.POWER, 0), firstOffset);
        }).await().atMost(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                given().get("/api/status").jsonPath().getLong("duplicates.power")).isGreaterThanOrEqualTo(duplicatesBefore + 50));
        assertThat(given().get(path).asString()).isEqualTo(before);
    }
}

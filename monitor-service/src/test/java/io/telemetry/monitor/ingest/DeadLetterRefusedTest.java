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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Topics;

/**
 * When Kafka will not take a dead letter, the bad record is logged and counted, and the channel goes on
 * consuming: a refused dead letter must not stop every good reading behind it.
 */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class DeadLetterRefusedTest {

    private static final String DEVICE = newDevice("refused-dlq");
    private static final Instant T0 = Instant.parse("2024-05-02T08:00:00Z");
    private static final Pattern UNSENT = Pattern
            .compile("monitor_dead_letters_unsent_total\\{channel=\"power\"[^}]*} ([0-9.E]+)");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void aDeadLetterKafkaRefusesIsCountedAndTheStreamGoesOn() throws Exception {
        String dlq = DeadLetters.topicFor(Channel.POWER);
        if (!kafka.topics().list().contains(dlq)) {
            kafka.topics().createAndWait(dlq, 1);
        }
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, dlq);
        Admin admin = kafka.getOrCreateAdminClient();
        // The broker refuses (RecordTooLargeException, not retried) any dead letter over 300 bytes.
        alter(admin, topic, new AlterConfigOp(new ConfigEntry("max.message.bytes", "300"), AlterConfigOp.OpType.SET));
        try {
            double unsentBefore = unsent();
            String notJson = "{" + "x".repeat(1000); // not a reading, and too large for the dead-letter topic
            kafka.produceStrings().fromRecords(List.of(
                    new ProducerRecord<>(Topics.POWER, DEVICE, notJson),
                    record(DEVICE, "power", T0, 100))).awaitCompletion();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(unsent()).isEqualTo(unsentBefore + 1));
            // Sent after the failure was counted, so in a later batch: only a channel still consuming applies it.
            kafka.produceStrings().fromRecords(List.of(record(DEVICE, "power", T0.plusSeconds(10), 300))).awaitCompletion();
            String path = "/api/devices/" + DEVICE + "/power";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path)
                    .then().statusCode(200).body("count", equalTo(2)));
            assertThat(given().get(path).jsonPath().getDouble("max")).isEqualTo(300.0);
        } finally {
            alter(admin, topic, new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
        }
    }

    private static void alter(Admin admin, ConfigResource topic, AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(30, TimeUnit.SECONDS);
    }

    private static double unsent() {
        Matcher matcher = UNSENT.matcher(given().get("/q/metrics").asString());
        assertThat(matcher.find()).as("monitor_dead_letters_unsent_total{channel=\"power\"} in /q/metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}

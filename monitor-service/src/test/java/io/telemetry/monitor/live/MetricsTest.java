package io.telemetry.monitor.live;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.newDevice;
import static io.telemetry.monitor.TestReadings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.reading.Topics;

/** What an operator's Prometheus and health probes see, against the real broker. */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class MetricsTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    static double metric(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(matcher.find()).as(series + " in /q/metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void appliedReadingsCountPerChannelAndLagAlertsAndWatchersAreExported() {
        given().get("/q/health/live").then().statusCode(200);
        String before = given().get("/q/metrics").asString();
        double power = metric(before, "monitor_readings_applied_total{channel=\"power\"}");
        metric(before, "monitor_readings_applied_total{channel=\"temp\"}");
        metric(before, "monitor_sse_clients"); // present, whatever their number
        metric(before, "monitor_alert_firings_total{rule=\"configured\"}"); // registered with its rule, before any firing

        String device = newDevice("metered");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Instant t0 = Instant.parse("2024-07-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            records.add(record(device, Topics.POWER, t0.plusSeconds(i), i));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion();

        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/devices/" + device + "/power").statusCode() == 200
                && given().get("/api/devices/" + device + "/power").jsonPath().getInt("count") == 7);
        String after = given().get("/q/metrics").asString();
        assertThat(metric(after, "monitor_readings_applied_total{channel=\"power\"}")).isGreaterThanOrEqualTo(power + 7);
        assertThat(after).containsPattern(
                // the power consumer's client id: <instance id>@<advertised URL>/power (docs/scale-out.md)
                "kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"monitor-[0-9]+@http://localhost:[0-9]+/power\"[^}]*} [0-9.]+");
    }
}

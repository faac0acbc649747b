package io.telemetry.monitor.alerts;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.API_KEY;
import static io.telemetry.monitor.TestReadings.newDevice;
import static io.telemetry.monitor.TestReadings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.reading.Topics;

/** Alert rules over real HTTP, readings through the real broker, events read back from the alerts topic. */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class AlertsApiTest {

    static final Instant T0 = Instant.parse("2024-06-01T08:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    static String rule(String id, String device, String condition) {
        return "{\"id\":\"" + id + "\",\"device\":\"" + device + "\"," + condition + "}";
    }

    /** The device's events at /api/alerts, newest first. */
    static List<Map<String, Object>> eventsOf(String device) {
        return given().get("/api/alerts?limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.deviceId == '" + device + "' }");
    }

    @Test
    void anonymousOrWrongKeyRuleChangesAreRefusedWith401() {
        String body = rule("sneaky", "ac", "\"channel\":\"temp\",\"above\":1");
        given().contentType(ContentType.JSON).body(body).post("/api/alerts/rules").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("X-API-Key"))
                .body("detail", equalTo("changing alert rules needs the X-API-Key header"));
        given().contentType(ContentType.JSON).header("X-API-Key", "guess").body(body).post("/api/alerts/rules").then()
                .statusCode(401).body("detail", equalTo("the X-API-Key header does not match the monitor's API key"));
        given().delete("/api/alerts/rules/configured").then().statusCode(401);

        given().get("/api/alerts/rules").then().statusCode(200).body("id", not(hasItem("sneaky")))
                .body("id", hasItem("configured"));
        given().get("/api/alerts/rules/sneaky").then().statusCode(404);
    }

    @Test
    void aBadRuleIsA400ThatNamesTheField() {
        given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                .body("{\"id\":\"bad\",\"channel\":\"temp\",\"above\":\"hot\"}").post("/api/alerts/rules").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("rule field above: must be a number, got \"hot\""));
        given().contentType(ContentType.JSON).header("X-API-Key", API_KEY).body("{\"id\":").post("/api/alerts/rules").then()
                .statusCode(400).body("detail", containsString("the body is not JSON"));
        given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                .body("{\"id\":\"configured\",\"channel\":\"temp\",\"above\":1}").post("/api/alerts/rules").then()
                .statusCode(409);
    }

    @Test
    void aThresholdHeldFor30sFiresOnceAtTheReadingThatCompletesItClearsAndReachesTopicHistoryAndMetrics() {
        String device = newDevice("washer");
        String id = "hot-" + device;
        try (ConsumerTask<String, String> topic = kafka.consumeStrings().fromTopics("alerts")) {
            given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                    .body(rule(id, device, "\"channel\":\"temp\",\"above\":70,\"for\":\"PT30S\"")).post("/api/alerts/rules")
                    .then().statusCode(201).header("Location", containsString("/api/alerts/rules/" + id))
                    .body("description", equalTo(device + " temp > 70 °C for PT30S"));

            // Crossed from t=10 s, held 30 s at t=40 s (74 °C), back at t=60 s (69 °C), crossed again at t=70 s.
            double[] values = { 65, 71, 72, 73, 74, 75, 69, 71 };
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                records.add(record(device, Topics.TEMP, T0.plusSeconds(10L * i), values[i]));
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(device).size() >= 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> eventsOf(device).size() == 2);
            List<Map<String, Object>> events = eventsOf(device); // newest first
            assertThat(events).extracting(event -> event.get("state")).containsExactly("cleared", "firing");
            assertThat(events.get(1).get("at")).isEqualTo(T0.plusSeconds(40).toString());
            assertThat(events.get(1).get("value")).isEqualTo(74.0);
            assertThat(events.get(1).get("rule")).isEqualTo(id);
            assertThat(events.get(0).get("at")).isEqualTo(T0.plusSeconds(60).toString());
            assertThat(events.get(0).get("value")).isEqualTo(69.0);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> topic.getRecords().stream().filter(record -> device.equals(record.key())).count() >= 2);
            List<JsonPath> published = topic.getRecords().stream().filter(record -> device.equals(record.key()))
                    .map(ConsumerRecord::value).map(JsonPath::from).toList();
            assertThat(published).extracting(event -> event.getString("state") + "@" + event.getString("at"))
                    .containsExactly("firing@" + T0.plusSeconds(40), "cleared@" + T0.plusSeconds(60));

            assertThat(given().get("/q/metrics").asString())
                    .containsPattern("monitor_alert_firings_total\\{rule=\"" + id + "\"[^}]*} 1\\.0");
        } finally {
            given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/" + id).then().statusCode(204);
        }
        given().get("/api/alerts/rules/" + id).then().statusCode(404);
    }

    @Test
    void aSilenceRuleFiresWhenADeviceStopsAndClearsWhenItSendsAgain() {
        String device = newDevice("ac");
        String id = "quiet-" + device;
        given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                .body(rule(id, device, "\"channel\":\"power\",\"silentFor\":\"PT2S\"")).post("/api/alerts/rules")
                .then().statusCode(201);
        try {
            kafka.produceStrings().fromRecords(record(device, Topics.POWER, T0, 900),
                    record(device, Topics.POWER, T0.plusSeconds(1), 910),
                    record(device, Topics.POWER, T0.plusSeconds(2), 920)).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(device).size() == 1);
            Map<String, Object> fired = eventsOf(device).get(0);
            assertThat(fired.get("state")).isEqualTo("firing");
            assertThat(fired.get("at")).as("the last reading plus 2 s").isEqualTo(T0.plusSeconds(4).toString());
            assertThat((String) fired.get("detail")).contains("sent no power reading for PT2S");

            kafka.produceStrings().fromRecords(record(device, Topics.POWER, T0.plusSeconds(60), 500)).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(device).size() == 2);
            Map<String, Object> cleared = eventsOf(device).get(0);
            assertThat(cleared.get("state")).isEqualTo("cleared");
            assertThat(cleared.get("at")).isEqualTo(T0.plusSeconds(60).toString());
        } finally {
            given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/" + id).then().statusCode(204);
        }
    }

    @Test
    void rulesAreSharedThroughTheRulesTopicBothWays() {
        String topic = "monitor-service-alert-rules"; // MONITOR_ALERTS_RULES_TOPIC's default
        String posted = newDevice("posted");
        given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                .body(rule(posted, posted, "\"channel\":\"power\",\"below\":1")).post("/api/alerts/rules")
                .then().statusCode(201);
        try (ConsumerTask<String, String> rules = kafka.consumeStrings().fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> rules.getRecords().stream().anyMatch(r -> posted.equals(r.key())));
            String written = rules.getRecords().stream().filter(r -> posted.equals(r.key())).findFirst().orElseThrow().value();
            assertThat(JsonPath.from(written).getString("channel")).isEqualTo("power");
            assertThat(JsonPath.from(written).getDouble("below")).isEqualTo(1.0);
        }

        // Another monitor of the group posts a rule: this one takes it from the topic.
        String other = newDevice("other");
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, other,
                rule(other, other, "\"channel\":\"temp\",\"above\":90,\"for\":\"PT1M\""))).awaitCompletion();
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/alerts/rules/" + other).statusCode() == 200);
        given().get("/api/alerts/rules/" + other).then().body("description", equalTo(other + " temp > 90 °C for PT1M"));

        // …and deletes it (a tombstone), and this one's rule too.
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, other, null)).awaitCompletion();
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/alerts/rules/" + other).statusCode() == 404);
        given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/" + posted).then().statusCode(204);
        given().get("/api/alerts/rules/" + posted).then().statusCode(404);
        given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/configured").then().statusCode(409)
                .body("detail", containsString("comes from MONITOR_ALERTS_RULES"));
    }

    @Test
    void aRuleFromConfigurationIsInForce() {
        given().get("/api/alerts/rules/configured").then().statusCode(200)
                .body("description", equalTo("configured-device power > 5000 W"));
        kafka.produceStrings().fromRecords(record("configured-device", Topics.POWER, T0, 6000)).awaitCompletion();
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf("configured-device").size() == 1);
        assertThat(eventsOf("configured-device").get(0).get("state")).isEqualTo("firing");
    }
}

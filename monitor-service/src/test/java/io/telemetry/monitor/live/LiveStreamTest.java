package io.telemetry.monitor.live;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.API_KEY;
import static io.telemetry.monitor.TestReadings.newDevice;
import static io.telemetry.monitor.TestReadings.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.reading.Topics;

/** A real HTTP client on the Server-Sent Events stream, fed through the real broker. */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class LiveStreamTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @TestHTTPResource("/api/stream")
    URL stream;

    @Test
    void aClientFilteringOnADeviceGetsExactlyThatDevicesReadingsInOrder() throws Exception {
        String watched = newDevice("watched");
        String other = newDevice("other");
        BlockingQueue<JsonPath> events = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stream + "?device=" + watched)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> response.body().filter(line -> line.startsWith("data:"))
                .forEach(line -> events.add(JsonPath.from(line.substring(5)))));
        reader.setDaemon(true);
        reader.start();
        try {
            JsonPath first = events.poll(30, TimeUnit.SECONDS);
            assertThat(first).as("the heartbeat that opens the stream").isNotNull();
            assertThat(first.getString("type")).isEqualTo("heartbeat");

            Instant t0 = Instant.parse("2024-05-01T12:00:00Z");
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                for (String device : List.of(watched, other)) {
                    records.add(record(device, i % 2 == 0 ? Topics.POWER : Topics.TEMP, t0.plusSeconds(10L * i), 100 + i));
                }
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion();

            List<JsonPath> readings = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (readings.size() < 20 && System.nanoTime() < deadline) {
                JsonPath event = events.poll(1, TimeUnit.SECONDS);
                if (event != null && event.getString("type").equals("reading")) {
                    readings.add(event);
                }
            }
            assertThat(readings).extracting(event -> event.getString("deviceId")).hasSize(20).containsOnly(watched);
            List<Double> powerValues = readings.stream().filter(event -> event.getString("channel").equals("power"))
                    .map(event -> event.getDouble("value")).toList();
            assertThat(powerValues).containsExactly(100.0, 102.0, 104.0, 106.0, 108.0, 110.0, 112.0, 114.0, 116.0, 118.0);
            JsonPath lastPower = readings.stream().filter(event -> event.getString("channel").equals("power"))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(lastPower.getDouble("stats.count")).isEqualTo(10.0);
            Thread.sleep(500);
            assertThat(events.stream().filter(event -> "reading".equals(event.getString("type")))).isEmpty();
        } finally {
            response.body().close();
        }
    }

    @Test
    void alertsComeOnTheStreamFilteredLikeReadings() throws Exception {
        String watched = newDevice("alerted");
        String other = newDevice("unwatched");
        String rule = "surge-" + watched;
        // One rule for every device: both devices fire, the stream filtered on one device and channel shows one.
        given().contentType("application/json").header("X-API-Key", API_KEY)
                .body("{\"id\":\"" + rule + "\",\"channel\":\"power\",\"above\":3000}").post("/api/alerts/rules")
                .then().statusCode(201);
        BlockingQueue<JsonPath> events = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stream + "?device=" + watched + "&channel=power")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> response.body().filter(line -> line.startsWith("data:"))
                .forEach(line -> events.add(JsonPath.from(line.substring(5)))));
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(events.poll(30, TimeUnit.SECONDS)).as("the opening heartbeat").isNotNull();
            Instant t0 = Instant.parse("2024-09-01T00:00:00Z");
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (String device : List.of(other, watched)) {
                records.add(record(device, Topics.POWER, t0, 3500));
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion();

            List<JsonPath> alerts = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (alerts.isEmpty() && System.nanoTime() < deadline) {
                JsonPath event = events.poll(1, TimeUnit.SECONDS);
                if (event != null && event.getString("type").equals("alert")) {
                    alerts.add(event);
                }
            }
            Thread.sleep(500); // room for a wrongly passed alert of the other device
            events.stream().filter(event -> "alert".equals(event.getString("type"))).forEach(alerts::add);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).getString("alert.deviceId")).isEqualTo(watched);
            assertThat(alerts.get(0).getString("alert.rule")).isEqualTo(rule);
            assertThat(alerts.get(0).getString("alert.state")).isEqualTo("firing");
            assertThat(alerts.get(0).getString("alert.at")).isEqualTo(t0.toString());
        } finally {
            response.body().close();
            given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/" + rule).then()
                    .statusCode(204);
        }
    }

    @Test
    void anUnknownChannelFilterIsA400() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stream + "?channel=humidity")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("query parameter channel: unknown channel 'humidity'");
    }
}

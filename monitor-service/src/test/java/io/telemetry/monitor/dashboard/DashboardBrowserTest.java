package io.telemetry.monitor.dashboard;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.API_KEY;
import static io.telemetry.monitor.TestReadings.newDevice;
import static io.telemetry.monitor.TestReadings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.reading.Topics;

/**
 * The dashboard in a real headless Chromium: it shows the stats the monitor already has, then follows
 * the live stream, alerts included, without a JavaScript error.
 */
@Tag("browser")
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class DashboardBrowserTest {

    static final Instant T0 = Instant.parse("2024-08-01T12:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @TestHTTPResource("/")
    URL dashboard;

    void send(String device, int second, double watts) {
        kafka.produceStrings().fromRecords(record(device, Topics.POWER, T0.plusSeconds(second), watts)).awaitCompletion();
    }

    static String text(HeadlessBrowser browser, String selector) throws Exception {
        JsonNode value = browser.eval("document.querySelector('" + selector + "')?.textContent ?? null");
        return value == null || value.isNull() ? null : value.asText();
    }

    @Test
    void onAPhoneThePageFitsItsWidthAndEveryResourceLoads() throws Exception {
        String device = newDevice("phone-with-a-rather-long-device-id");
        send(device, 0, 1234.5);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/devices/" + device + "/power").statusCode() == 200);
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.viewport(400, 800);
            browser.open(dashboard.toString());
            String card = ".device[data-device=\"" + device + "\"]";
            await().atMost(Duration.ofSeconds(30)).until(() -> text(browser, card + " h3") != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(text(browser, "#connection")));
            // The header at its widest: the ingest rate shows from the second poll of /api/status on.
            await().atMost(Duration.ofSeconds(30)).until(() -> !text(browser, "#rate").isEmpty());
            assertThat(browser.eval("window.innerWidth").asInt())
                    .as("the layout width: a phone widens it to fit what overflows 400 px").isEqualTo(400);
            assertThat(browser.eval("document.documentElement.scrollWidth").asInt()).as("the page's width at 400 px")
                    .isLessThanOrEqualTo(400);
            JsonNode link = browser.eval("document.querySelector('link[rel=icon]')?.href ?? null");
            String icon = link == null || link.isNull() ? null : link.asText();
            assertThat(icon).as("the page's icon").isNotNull();
            assertThat(given().get(new URL(icon).getPath()).then().statusCode(200).extract().contentType()).startsWith("image/");
            assertThat(browser.errors()).as("errors of the page and the browser (a resource that failed to load)").isEmpty();
            browser.screenshot(java.nio.file.Path.of("target/dashboard-phone.png")); // for people to look at
        }
    }

    static int count(HeadlessBrowser browser, String selector) throws Exception {
        return browser.eval("document.querySelectorAll('" + selector + "').length").asInt();
    }

    @Test
    void alertsShowWhatIsFiringNowFirstThenTheLatestEventsBounded() throws Exception {
        String flapping = newDevice("flapping");
        String hot = newDevice("hot");
        for (String device : new String[] { flapping, hot }) {
            given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                    .body("{\"id\":\"" + device + "\",\"device\":\"" + device + "\",\"channel\":\"power\",\"above\":1000}")
                    .post("/api/alerts/rules").then().statusCode(201);
        }
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.open(dashboard.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(text(browser, "#connection")));
            // 13 times above then below 1000 W: 26 events of one rule, the last one cleared; then one that stays firing.
            for (int i = 0; i < 26; i++) {
                send(flapping, 10 * i, i % 2 == 0 ? 1500 : 500);
            }
            send(hot, 0, 2000);
            String hotFiring = "#firing li.firing[data-device=\"" + hot + "\"]";
            await().atMost(Duration.ofSeconds(30)).until(() -> count(browser, hotFiring) == 1);
            // The flapping rule's last event, cleared by the reading at 250 s (12:04:10), has arrived too.
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.eval("[...document.querySelectorAll('#alerts "
                    + "li.cleared[data-device=\"" + flapping + "\"] .when')].some((w) => w.textContent === "
                    + "'2024-08-01 12:04:10 UTC')").asBoolean());
            assertThat(count(browser, "#firing li[data-device=\"" + flapping + "\"]")).as("the cleared rule, firing now").isZero();
            assertThat(count(browser, "#alerts li")).as("latest events shown").isEqualTo(20);
            assertThat(browser.eval("document.querySelector('.device[data-device=\"" + hot
                    + "\"]').classList.contains('alerting')").asBoolean()).as("the firing device's card is marked").isTrue();
            assertThat(browser.eval("document.querySelector('.device[data-device=\"" + flapping
                    + "\"]').classList.contains('alerting')").asBoolean()).as("the cleared device's card").isFalse();

            assertThat(given().get("/api/alerts?limit=100").then().statusCode(200).extract().jsonPath().getList("$"))
                    .as("alert events the monitor has").hasSizeGreaterThanOrEqualTo(27);
            assertThat(browser.eval("!document.querySelector('#more-alerts').hidden").asBoolean()).as("More shown").isTrue();
            browser.eval("document.querySelector('#more-alerts').click()");
            // Asked again at each try: a silence rule of another test may fire meanwhile, on the monitor and the page.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                int known = given().get("/api/alerts?limit=100").jsonPath().getList("$").size();
                assertThat(count(browser, "#alerts li")).as("events shown after More; the monitor has %d", known)
                        .isEqualTo(Math.min(40, known));
            });
            assertThat(browser.errors()).as("errors of the page and the browser").isEmpty();
        } finally {
            for (String device : new String[] { flapping, hot }) {
                given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/" + device).then().statusCode(204);
            }
        }
    }

    @Test
    void theDashboardShowsKnownStatsThenFollowsReadingsAndAlertsLive() throws Exception {
        String device = newDevice("dash");
        String series = "[data-series=\"" + device + "/power\"]";
        given().contentType(ContentType.JSON).header("X-API-Key", API_KEY)
                .body("{\"id\":\"" + device + "\",\"device\":\"" + device + "\",\"channel\":\"power\",\"above\":1000}")
                .post("/api/alerts/rules").then().statusCode(201);
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            double[] before = { 100, 200, 300, 400, 500 };
            for (int i = 0; i < before.length; i++) {
                send(device, 10 * i, before[i]);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> given().get("/api/devices/" + device + "/power").statusCode() == 200);

            browser.open(dashboard.toString());

            // Loaded from /api/channels: 5 readings, mean (100+…+500)/5 = 300.
            await().atMost(Duration.ofSeconds(30)).until(() -> text(browser, series + " .facts") != null);
            assertThat(text(browser, series + " .facts")).isEqualTo("n 5 · mean 300.0 · min 100.0 · max 500.0 · 0.00 kWh");
            assertThat(text(browser, series + " .number")).isEqualTo("500.0");
            await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(text(browser, "#connection")));

            // Then from the stream: 600, 700, 1500 make 8 readings, mean 4300/8 = 537.5; 1500 W fires the rule.
            send(device, 50, 600);
            send(device, 60, 700);
            send(device, 70, 1500);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(text(browser, series + " .facts"))
                    .isEqualTo("n 8 · mean 537.5 · min 100.0 · max 1,500.0 · 0.01 kWh"));
            assertThat(text(browser, series + " .number")).isEqualTo("1,500.0");
            assertThat(text(browser, series + " .at")).isEqualTo("2024-08-01 12:01:10 UTC");

            String alert = "#alerts li.firing[data-device=\"" + device + "\"]";
            await().atMost(Duration.ofSeconds(30)).until(() -> text(browser, alert + " .rule") != null);
            assertThat(text(browser, alert + " .when")).isEqualTo("2024-08-01 12:01:10 UTC");
            assertThat(browser.eval("document.querySelector('.device[data-device=\"" + device
                    + "\"]').classList.contains('alerting')").asBoolean()).as("the device's card is marked").isTrue();
            assertThat(browser.errors()).as("JavaScript errors").isEmpty();
            browser.screenshot(java.nio.file.Path.of("target/dashboard.png")); // for people to look at
        } finally {
            given().header("X-API-Key", API_KEY).delete("/api/alerts/rules/" + device).then().statusCode(204);
        }
    }
}

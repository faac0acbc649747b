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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerRecord;

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
 * The dashboard in a real headless Chromium: it shows the stats and the history the monitor already has,
 * then follows the live stream, alerts included, without a JavaScript error or a request leaving the host.
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
        return browser.text(selector);
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

    static final Instant H0 = Instant.parse("2024-09-01T10:00:00Z");
    static final int DEVICES = 8;
    static final int READINGS = 360; // an hour, one every 10 s

    /** Device d's i-th reading, at H0 + 10 i seconds: a saw-tooth of its own height. */
    static double watts(int d, int i) {
        return 50.0 * d + 10 * (i % 37);
    }

    /** The means of the readings' buckets of this width that start at or after {@code from}, by bucket start. */
    static TreeMap<Instant, Double> means(int d, int readings, Duration step, Instant from) {
        TreeMap<Instant, double[]> sums = new TreeMap<>();
        for (int i = 0; i < readings; i++) {
            Instant t = H0.plusSeconds(10L * i);
            Instant start = Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), step.toSeconds()) * step.toSeconds());
            if (!start.isBefore(from)) {
                double[] sum = sums.computeIfAbsent(start, k -> new double[2]);
                sum[0] += watts(d, i);
                sum[1]++;
            }
        }
        TreeMap<Instant, Double> means = new TreeMap<>();
        sums.forEach((start, sum) -> means.put(start, sum[0] / sum[1]));
        return means;
    }

    /** The first bucket a chart of this range shows: the one holding latest − range. */
    static Instant firstBucket(Instant latest, Duration range, Duration step) {
        long at = latest.minus(range).getEpochSecond();
        return Instant.ofEpochSecond(Math.floorDiv(at, step.toSeconds()) * step.toSeconds());
    }

    static String chart(String device) {
        return ".chart[data-series=\"" + device + "/power\"]";
    }

    static String data(HeadlessBrowser browser, String device, String name) throws Exception {
        return browser.data(chart(device), name);
    }

    @Test
    void chartsDrawTheHistoryThatArrivedBeforeThePageOpenedThenFollowTheStreamAndTheRange() throws Exception {
        List<String> devices = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            devices.add(newDevice("history-" + d));
            for (int i = 0; i < READINGS; i++) {
                records.add(record(devices.get(d), Topics.POWER, H0.plusSeconds(10L * i), watts(d, i)));
            }
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
        for (String device : devices) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var answer = given().get("/api/devices/" + device + "/power");
                return answer.statusCode() == 200 && answer.jsonPath().getLong("count") == READINGS;
            });
        }
        Instant latest = H0.plusSeconds(10L * (READINGS - 1));
        Duration minute = Duration.ofMinutes(1), hour = Duration.ofHours(1);
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.open(dashboard.toString());

            // The default range, an hour of minute buckets, drawn for every device at once (no reading after the page opened).
            for (int d = 0; d < DEVICES; d++) {
                String device = devices.get(d);
                TreeMap<Instant, Double> expected = means(d, READINGS, minute, firstBucket(latest, hour, minute));
                await().atMost(Duration.ofSeconds(30)).until(() -> data(browser, device, "points") != null);
                assertThat(data(browser, device, "resolution")).isEqualTo("PT1M");
                assertThat(Integer.parseInt(data(browser, device, "points"))).as("minute buckets drawn for %s", device)
                        .isEqualTo(expected.size()).isEqualTo(60);
                assertThat(data(browser, device, "lastStart")).isEqualTo(expected.lastKey().toString());
                assertThat(Double.parseDouble(data(browser, device, "lastMean"))).isCloseTo(expected.lastEntry().getValue(),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
            // The card's stats are the API's.
            JsonNode stats = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    given().get("/api/devices/" + devices.get(3) + "/power").asString());
            assertThat(text(browser, "[data-series=\"" + devices.get(3) + "/power\"] .facts")).isEqualTo(String.format(Locale.ENGLISH,
                    "n %,d · mean %,.1f · min %,.1f · max %,.1f · %,.2f kWh", stats.get("count").asLong(), stats.get("mean").asDouble(),
                    stats.get("min").asDouble(), stats.get("max").asDouble(), stats.get("energyWh").asDouble() / 1000));
            JsonNode replay = browser.eval("document.querySelector('#replay').hidden ? null : document.querySelector('#replay').textContent");
            assertThat(replay == null || replay.isNull() ? null : replay.asText()).as("the notice that event time is far from now")
                    .startsWith("replay · event time ");

            // A live reading opens the next minute bucket; the first one leaves the range. No other chart is drawn again.
            await().atMost(Duration.ofSeconds(30)).until(() -> "live".equals(text(browser, "#connection")));
            List<String> draws = new ArrayList<>();
            for (String device : devices) {
                draws.add(data(browser, device, "draws"));
            }
            String first = devices.get(0);
            send(first, H0.plusSeconds(3600), 777.0);
            await().atMost(Duration.ofSeconds(30)).until(() -> H0.plusSeconds(3600).toString().equals(data(browser, first, "lastStart")));
            assertThat(Integer.parseInt(data(browser, first, "draws"))).as("draws of the chart that got a reading")
                    .isGreaterThan(Integer.parseInt(draws.get(0)));
            for (int d = 1; d < DEVICES; d++) {
                assertThat(data(browser, devices.get(d), "draws")).as("draws of a chart that got nothing").isEqualTo(draws.get(d));
            }
            assertThat(data(browser, first, "lastMean")).isEqualTo("777");
            assertThat(Integer.parseInt(data(browser, first, "points"))).as("buckets 10:00 to 11:00")
                    .isEqualTo(means(0, READINGS, minute, firstBucket(H0.plusSeconds(3600), hour, minute)).size() + 1).isEqualTo(61);

            // Seven days: hourly buckets, asked again from the monitor.
            browser.eval("(() => { const r = document.querySelector('#range'); r.value = '7d'; r.dispatchEvent(new Event('change')); })()");
            for (int d = 0; d < DEVICES; d++) {
                String device = devices.get(d);
                await().atMost(Duration.ofSeconds(30)).until(() -> "PT1H".equals(data(browser, device, "resolution")));
                double all = means(d, READINGS, hour, Instant.EPOCH).firstEntry().getValue();
                if (d == 0) {
                    assertThat(data(browser, device, "points")).as("10:00 and 11:00").isEqualTo("2");
                    assertThat(data(browser, device, "lastMean")).isEqualTo("777");
                } else {
                    assertThat(data(browser, device, "points")).isEqualTo("1");
                    assertThat(Double.parseDouble(data(browser, device, "lastMean"))).isCloseTo(all, org.assertj.core.data.Offset.offset(1e-9));
                }
            }
            assertThat(browser.requests()).as("the page asked for hourly buckets")
                    .anyMatch(url -> url.contains("/" + devices.get(5) + "/power/series?resolution=PT1H"));

            // Fifteen minutes: minute buckets again, 10:44 to 10:59 for a device whose last reading is at 10:59:50.
            browser.eval("(() => { const r = document.querySelector('#range'); r.value = '15m'; r.dispatchEvent(new Event('change')); })()");
            String second = devices.get(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> "PT1M".equals(data(browser, second, "resolution")));
            assertThat(Integer.parseInt(data(browser, second, "points")))
                    .isEqualTo(means(1, READINGS, minute, firstBucket(latest, Duration.ofMinutes(15), minute)).size()).isEqualTo(16);

            String origin = dashboard.getProtocol() + "://" + dashboard.getAuthority() + "/";
            assertThat(browser.requests()).as("requests of the page").isNotEmpty()
                    .allMatch(url -> url.startsWith(origin), "made to " + origin)
                    .anyMatch(url -> url.contains("/webjars/uplot/"));
            assertThat(browser.errors()).as("errors of the page and the browser").isEmpty();
            browser.screenshot(java.nio.file.Path.of("target/dashboard-history.png")); // for people to look at
        }
    }

    void send(String device, Instant at, double watts) {
        kafka.produceStrings().fromRecords(record(device, Topics.POWER, at, watts)).awaitCompletion();
    }

    static final Instant D0 = Instant.parse("2024-10-01T00:00:00Z");
    static final int TWO_DAYS = 576; // one reading every 5 minutes (the monitor integrates energy across gaps up to 5 minutes)

    static double dayWatts(int i) {
        return 100.0 * (i % 13) + 50;
    }

    /** The energy in Wh of the straight lines between readings {@code from} to {@code to} (exclusive of the last's next). */
    static double wh(int from, int to) {
        double wh = 0;
        for (int i = from; i < to; i++) {
            wh += (dayWatts(i) + dayWatts(i + 1)) / 2 * 300 / 3600;
        }
        return wh;
    }

    @Test
    void aDeviceViewShowsItsStatsOverTheRangeAndItsDailyEnergyAndTheFilterFindsDevices() throws Exception {
        String device = newDevice("day-view");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < TWO_DAYS; i++) {
            records.add(record(device, Topics.POWER, D0.plusSeconds(300L * i), dayWatts(i)));
            records.add(record(device, Topics.TEMP, D0.plusSeconds(300L * i), 20 + 0.5 * (i % 7)));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
        for (String channel : new String[] { "power", "temp" }) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var answer = given().get("/api/devices/" + device + "/" + channel);
                return answer.statusCode() == 200 && answer.jsonPath().getLong("count") == TWO_DAYS;
            });
        }
        String other = newDevice("other");
        send(other, 0, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/devices/" + other + "/power").statusCode() == 200);
        try (HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.open(dashboard.toString() + "#range=1h&device=" + device);
            String card = ".device[data-device=\"" + device + "\"]";
            String window = "[data-series=\"" + device + "/power\"] .window";
            await().atMost(Duration.ofSeconds(30)).until(() -> text(browser, window) != null && !text(browser, window).isEmpty());
            assertThat(browser.eval("[...document.querySelectorAll('.device')].filter((c) => !c.hidden).map((c) => c.dataset.device)"))
                    .as("the cards shown").hasSize(1).first().extracting(JsonNode::asText).isEqualTo(device);
            assertThat(browser.eval("document.querySelector('" + card + "').classList.contains('large')").asBoolean()).isTrue();

            // The last hour of event time: from the minute holding latest − 1 h (46:55 of the two days) on, 13 readings.
            int first = TWO_DAYS - 13;
            double sum = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
            for (int i = first; i < TWO_DAYS; i++) {
                sum += dayWatts(i);
                min = Math.min(min, dayWatts(i));
                max = Math.max(max, dayWatts(i));
            }
            assertThat(text(browser, window)).isEqualTo(String.format(Locale.ENGLISH,
                    "last hour: n 13 · mean %,.1f · min %,.1f · max %,.1f · last %,.1f W · %,.2f kWh", sum / 13, min, max,
                    dayWatts(TWO_DAYS - 1), wh(first, TWO_DAYS - 1) / 1000));
            assertThat(text(browser, "[data-series=\"" + device + "/temp\"] .window")).startsWith("last hour: n 13 · ");

            // Daily energy: the lines of the first day end at midnight with reading 288; the second day's at its last reading.
            String daily = ".daily[data-series=\"" + device + "/power\"]";
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.data(daily, "kwh") != null);
            String[] kwh = browser.data(daily, "kwh").split(",");
            assertThat(kwh).hasSize(2);
            assertThat(Double.parseDouble(kwh[0])).isCloseTo(wh(0, 288) / 1000, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(Double.parseDouble(kwh[1])).isCloseTo(wh(288, TWO_DAYS - 1) / 1000, org.assertj.core.data.Offset.offset(1e-9));

            browser.screenshot(java.nio.file.Path.of("target/dashboard-device.png")); // for people to look at
            String self = given().get("/api/cluster/self").jsonPath().getString("id");
            assertThat(text(browser, "#served")).isEqualTo("served by " + self);

            // Back to all devices, then a filter that only the other device matches.
            browser.eval("document.querySelector('#back').click()");
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.eval("document.querySelector('" + card + "').hidden").asBoolean());
            assertThat(browser.eval("document.querySelector('" + card + "').classList.contains('large')").asBoolean()).isFalse();
            assertThat(count(browser, ".daily")).as("daily energy, in the large view only").isZero();
            browser.eval("(() => { const f = document.querySelector('#filter'); f.value = '" + other.toUpperCase(Locale.ROOT)
                    + "'; f.dispatchEvent(new Event('input')); })()");
            assertThat(browser.eval("[...document.querySelectorAll('.device')].filter((c) => !c.hidden).map((c) => c.dataset.device)"))
                    .as("the cards the filter shows").hasSize(1).first().extracting(JsonNode::asText).isEqualTo(other);
            assertThat(browser.errors()).as("errors of the page and the browser").isEmpty();
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
            // The cards come with the devices' readings, which may reach the page after their alerts.
            await().atMost(Duration.ofSeconds(30)).until(() -> count(browser, ".device[data-device=\"" + hot + "\"]") == 1
                    && count(browser, ".device[data-device=\"" + flapping + "\"]") == 1);
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

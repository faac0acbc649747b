package io.telemetry.monitor.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.DeserializationFeature;

import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;
import io.telemetry.monitor.client.ApiClient;
import io.telemetry.monitor.client.ApiException;
import io.telemetry.monitor.client.api.AlertsApi;
import io.telemetry.monitor.client.api.DevicesApi;
import io.telemetry.monitor.client.model.AlertRule;
import io.telemetry.monitor.client.model.BucketStats;
import io.telemetry.monitor.client.model.ChannelId;
import io.telemetry.monitor.client.model.DeviceSummary;
import io.telemetry.monitor.client.model.Problem;
import io.telemetry.monitor.client.model.ResolutionId;
import io.telemetry.monitor.client.model.SeriesHistory;
import io.telemetry.monitor.client.model.SeriesStats;

/**
 * The packaged monitor used through a Java client that OpenAPI Generator wrote from the committed
 * document ({@code src/main/openapi/openapi.json}, kept equal to the served one by
 * {@code OpenApiContractTest}), as a user of the API would: if the document changes so that such a
 * client breaks, this fails to compile or to run. The client reads strictly (a field the document does
 * not declare fails it); the expected figures come from the readings sent, not from the monitor.
 */
class ApiClientIT {

    private static final String KEY = "it-key";

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "api-client-it-kafka"));

    private static ApiClient client(AppProcess monitor) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(monitor.url());
        client.setObjectMapper(ApiClient.createDefaultObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        return client;
    }

    private static Problem problemOf(ApiException e, ApiClient client) throws Exception {
        assertThat(e.getResponseHeaders().firstValue("Content-Type")).as("content type of the %d", e.getCode())
                .hasValue("application/problem+json");
        return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    }

    @Test
    void aGeneratedClientReadsDevicesStatsAWindowAndHistoryAndChangesRulesWithTheKey() throws Exception {
        Scenario scenario = new Scenario(broker, "client");
        scenario.send(720); // two hours, 10 s apart, of each device's temp and power
        Map<String, String> env = scenario.env("PT1S", "none");
        env.put("MONITOR_ALERTS_API_KEY", KEY);
        try (AppProcess monitor = AppProcess.monitor("client-1", env).awaitReady()) {
            ApiClient client = client(monitor);
            DevicesApi devices = new DevicesApi(client);
            await().atMost(Duration.ofSeconds(60)).until(() -> monitor.applied("temp") + monitor.applied("power")
                    == scenario.total());

            List<DeviceSummary> listed = devices.listDevices();
            assertThat(listed).extracting(DeviceSummary::getDeviceId).containsExactlyInAnyOrderElementsOf(Scenario.DEVICES);
            assertThat(listed).allSatisfy(device -> assertThat(device.getChannels()).containsExactlyInAnyOrder("temp", "power"));

            String device = "washer";
            List<Sample> power = scenario.sent.get(device + "/power");
            SeriesOracle all = SeriesOracle.of(power, Duration.ofMinutes(5));
            SeriesStats stats = devices.getSeriesStats(ChannelId.POWER, device, null);
            assertThat(stats.getCount()).isEqualTo(power.size());
            assertThat(stats.getMean()).isCloseTo(all.mean(), within(1e-6));
            assertThat(stats.getMin()).isEqualTo(all.min());
            assertThat(stats.getMax()).isEqualTo(all.max());
            assertThat(stats.getEnergyWh()).isCloseTo(all.energyWh(), within(1e-6));
            assertThat(stats.getUnit()).isEqualTo("W");

            // PT15M from the latest reading, in whole minute buckets: from the minute holding latest − 15 min.
            Instant latest = power.get(power.size() - 1).at();
            Instant from = latest.minus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.MINUTES);
            List<Sample> inWindow = power.stream().filter(sample -> !sample.at().isBefore(from)).toList();
            SeriesStats window = devices.getSeriesStats(ChannelId.POWER, device, "PT15M");
            assertThat(window.getWindow().getFrom().toInstant()).isEqualTo(from);
            assertThat(window.getCount()).isEqualTo(inWindow.size());
            assertThat(window.getMean()).isCloseTo(SeriesOracle.of(inWindow, Duration.ofMinutes(5)).mean(), within(1e-6));

            SeriesHistory hourly = devices.getSeriesHistory(ChannelId.TEMP, device, at(Scenario.T0), null,
                    ResolutionId.PT1_H, at(Scenario.T0.plus(Duration.ofDays(1))));
            Map<Instant, List<Sample>> byHour = scenario.sent.get(device + "/temp").stream().collect(
                    Collectors.groupingBy(sample -> sample.at().truncatedTo(ChronoUnit.HOURS), TreeMap::new, Collectors.toList()));
            assertThat(hourly.getBuckets()).extracting(bucket -> bucket.getStart().toInstant())
                    .containsExactlyElementsOf(byHour.keySet());
            for (BucketStats bucket : hourly.getBuckets()) {
                List<Sample> expected = byHour.get(bucket.getStart().toInstant());
                assertThat(bucket.getCount()).as("count of %s", bucket.getStart()).isEqualTo(expected.size());
                assertThat(bucket.getMean()).as("mean of %s", bucket.getStart())
                        .isCloseTo(SeriesOracle.of(expected, Duration.ofMinutes(5)).mean(), within(1e-6));
            }
            assertThat(hourly.getTruncated()).isFalse();

            ApiException unknown = catchApi(() -> devices.getDevice("nobody"));
            assertThat(unknown.getCode()).isEqualTo(404);
            Problem notFound = problemOf(unknown, client);
            assertThat(notFound.getStatus()).isEqualTo(404);
            assertThat(notFound.getDetail()).isEqualTo("no device 'nobody' has sent readings");
            Problem badWindow = problemOf(catchApi(() -> devices.getSeriesStats(ChannelId.TEMP, device, "soon")), client);
            assertThat(badWindow.getStatus()).isEqualTo(400);
            assertThat(badWindow.getDetail()).contains("window").contains("soon");

            AlertRule rule = new AlertRule().id("hot-washer").device(device).channel("temp").above(90.0)._for("PT30S");
            AlertsApi alerts = new AlertsApi(client);
            ApiException keyless = catchApi(() -> alerts.createRule(rule));
            assertThat(keyless.getCode()).isEqualTo(401);
            assertThat(problemOf(keyless, client).getStatus()).isEqualTo(401);
            assertThat(alerts.listRules()).extracting(AlertRule::getId).doesNotContain("hot-washer");

            ApiClient keyed = client(monitor).setRequestInterceptor(request -> request.header("X-API-Key", KEY));
            AlertsApi withKey = new AlertsApi(keyed);
            AlertRule created = withKey.createRule(rule);
            assertThat(created.getId()).isEqualTo("hot-washer");
            assertThat(created.getAbove()).isEqualTo(90.0);
            assertThat(created.getFor()).isEqualTo("PT30S");
            assertThat(alerts.getRule("hot-washer").getDevice()).isEqualTo(device);
            assertThat(alerts.listRules()).extracting(AlertRule::getId).contains("hot-washer");
            assertThat(catchApi(() -> alerts.deleteRule("hot-washer")).getCode()).isEqualTo(401);
            withKey.deleteRule("hot-washer");
            ApiException gone = catchApi(() -> alerts.getRule("hot-washer"));
            assertThat(gone.getCode()).isEqualTo(404);
            assertThat(problemOf(gone, client).getDetail()).contains("hot-washer");
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private interface Call {
        void run() throws ApiException;
    }

    private static ApiException catchApi(Call call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail with an ApiException");
    }
}

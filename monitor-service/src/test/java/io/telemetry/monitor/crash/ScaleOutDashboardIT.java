package io.telemetry.monitor.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.telemetry.monitor.dashboard.HeadlessBrowser;

/**
 * The dashboard of each of two packaged monitors sharing the partitions, in a real Chromium: every device's
 * charts, those of the other monitor's devices included, draw their history (read through the owner), and
 * the page says which monitor served it.
 */
@Tag("browser")
class ScaleOutDashboardIT {

    static final int READINGS = 200; // per series, 10 s apart from Scenario.T0

    @RegisterExtension
    static final LocalBroker broker = new LocalBroker(Path.of("target", "scale-out-dashboard-it-kafka"));

    @Test
    void eitherMonitorsDashboardDrawsEveryDevicesHistoryAndSaysWhichMonitorServedIt() throws Exception {
        Scenario scenario = new Scenario(broker, "dashboard", ScaleOutIT.DEVICES).partitions(ScaleOutIT.PARTITIONS);
        scenario.send(READINGS);
        // An hour's chart of minute buckets holds every reading here: the minutes of 0, 10, ..., 1990 s.
        long minutes = IntStream.range(0, READINGS).mapToLong(i -> 10L * i / 60).distinct().count();
        try (Group group = new Group(scenario).start("m1", "m2")) {
            ScaleOutIT.awaitSettled(group.monitors, scenario);
            for (AppProcess monitor : group.monitors) {
                String self = monitor.http().get("/api/cluster/self").jsonPath().getString("id");
                try (HeadlessBrowser browser = HeadlessBrowser.start()) {
                    browser.open(monitor.url() + "/");
                    for (String device : scenario.devices()) {
                        for (String channel : Scenario.CHANNELS) {
                            String series = device + "/" + channel;
                            String chart = ".chart[data-series=\"" + series + "\"]";
                            await(series + " on " + self).atMost(Duration.ofSeconds(45))
                                    .until(() -> String.valueOf(minutes).equals(browser.data(chart, "points")));
                            assertThat(browser.text("[data-series=\"" + series + "\"] .facts")).as(series)
                                    .startsWith("n " + READINGS + " · ");
                        }
                    }
                    await().atMost(Duration.ofSeconds(10)).until(() -> ("served by " + self).equals(browser.text("#served")));
                    assertThat(browser.requests()).as("requests of the page").allMatch(url -> url.startsWith(monitor.url() + "/"));
                    assertThat(browser.errors()).as("errors of the page on " + self).isEmpty();
                }
            }
        }
    }
}

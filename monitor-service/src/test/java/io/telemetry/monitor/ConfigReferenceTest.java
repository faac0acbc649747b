package io.telemetry.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.telemetry.testing.ConfigReference;

/** The README's table of the monitor's environment variables is the configuration the code reads. */
class ConfigReferenceTest {

    private static final Map<String, String> README = ConfigReference.readmeTable(Path.of("../docs/monitor-service.md"),
            "# monitor-service");
    /** Read through application.properties or by Quarkus itself, not through MonitorConfig. */
    private static final Set<String> PLATFORM = Set.of("TEMP_TOPIC", "POWER_TOPIC", "ALERTS_TOPIC", "KAFKA_BOOTSTRAP_SERVERS",
            "QUARKUS_HTTP_PORT");

    @Test
    void everyMonitorKeyIsInTheReadmeWithItsDefault() {
        Map<String, String> keys = ConfigReference.variables(MonitorConfig.class, "monitor");

        assertThat(keys).containsKeys("MONITOR_ENERGY_MAX_GAP", "MONITOR_RETENTION_MINUTE", "MONITOR_SNAPSHOT_INTERVAL");
        keys.forEach((variable, fallback) -> {
            assertThat(README).as("README row of " + variable).containsKey(variable);
            if (fallback == null) { // optional, unset by default
                assertThat(README.get(variable)).as("README default of " + variable).startsWith("none");
            } else {
                assertThat(README.get(variable)).as("README default of " + variable)
                        .isEqualTo(fallback.replace("${quarkus.application.name}", "monitor-service"));
            }
        });
    }

    @Test
    void everyReadmeRowIsAKeyTheMonitorReads() {
        Map<String, String> keys = ConfigReference.variables(MonitorConfig.class, "monitor");

        README.keySet().forEach(variable -> assertThat(keys.containsKey(variable) || PLATFORM.contains(variable))
                .as(variable + " is read by the monitor").isTrue());
    }
}

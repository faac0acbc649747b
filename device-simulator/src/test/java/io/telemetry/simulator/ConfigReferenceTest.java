package io.telemetry.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.telemetry.testing.ConfigReference;

/** The README's table of the simulator's environment variables is the configuration the code reads. */
class ConfigReferenceTest {

    private static final Map<String, String> README = ConfigReference.readmeTable(Path.of("../docs/device-simulator.md"),
            "# device-simulator");

    @Test
    void everySimulatorKeyIsInTheReadmeWithItsDefault() {
        Map<String, String> keys = ConfigReference.variables(SimulatorConfig.class, "simulator");

        assertThat(keys).isNotEmpty();
        keys.forEach((variable, fallback) -> {
            assertThat(README).as("README row of " + variable).containsKey(variable);
            if (fallback != null) {
                assertThat(README.get(variable)).as("README default of " + variable).isEqualToIgnoringCase(fallback);
            }
        });
    }

    @Test
    void everyReadmeRowIsAKeyOfTheSimulatorOrOneItsPropertiesRead() {
        Map<String, String> keys = ConfigReference.variables(SimulatorConfig.class, "simulator");

        README.keySet().forEach(variable -> assertThat(keys.containsKey(variable)
                || Map.of("TEMP_TOPIC", "temp", "POWER_TOPIC", "power", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                        "QUARKUS_HTTP_PORT", "8081").containsKey(variable)).as(variable + " is read by the simulator").isTrue());
    }
}

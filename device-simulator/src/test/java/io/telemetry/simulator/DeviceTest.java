package io.telemetry.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.telemetry.reading.Channel;

class DeviceTest {

    @TempDir
    Path dir;

    record Config(Optional<String> deviceId, Optional<Path> dataDir, List<Channel> channels, double replaySpeed)
            implements SimulatorConfig {

        @Override
        public boolean loop() {
            return false;
        }

        @Override
        public BadRows badRows() {
            return BadRows.SKIP;
        }

        @Override
        public Duration progressInterval() {
            return Duration.ofSeconds(10);
        }

        @Override
        public boolean exitWhenDone() {
            return true;
        }

        @Override
        public boolean startOver() {
            return false;
        }
    }

    private Config config(String deviceId, List<Channel> channels, double speed) {
        return new Config(Optional.ofNullable(deviceId), Optional.of(dir), channels, speed);
    }

    @Test
    void aValidConfigurationNamesEachChannelsFile() throws IOException {
        Files.writeString(dir.resolve("temp.csv"), "timestamp,value\n");
        Files.writeString(dir.resolve("power.csv"), "timestamp,value\n");

        Device device = Device.from(config("ac", List.of(Channel.TEMP, Channel.POWER), 60));

        assertThat(device.deviceId()).isEqualTo("ac");
        assertThat(device.files()).containsEntry(Channel.TEMP, dir.resolve("temp.csv"))
                .containsEntry(Channel.POWER, dir.resolve("power.csv"));
    }

    @Test
    void aMissingDeviceIdNamesTheVariable() {
        assertThatThrownBy(() -> Device.from(config(null, List.of(Channel.TEMP), 1)))
                .hasMessageStartingWith("SIMULATOR_DEVICE_ID is not set");
    }

    @Test
    void anInvalidDeviceIdNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> Device.from(config("my device", List.of(Channel.TEMP), 1)))
                .hasMessageStartingWith("SIMULATOR_DEVICE_ID: deviceId 'my device' is invalid");
    }

    @Test
    void aNegativeSpeedIsRefused() {
        assertThatThrownBy(() -> Device.from(config("ac", List.of(Channel.TEMP), -1)))
                .hasMessageStartingWith("SIMULATOR_REPLAY_SPEED must be 0");
    }

    @Test
    void aMissingCsvNamesItsPathAndTheVariables() {
        assertThatThrownBy(() -> Device.from(config("ac", List.of(Channel.POWER), 1)))
                .hasMessageContaining("no readable CSV for channel power: " + dir.resolve("power.csv").toAbsolutePath())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("SIMULATOR_DATA_DIR");
    }

    @Test
    void noChannelsIsRefused() {
        assertThatThrownBy(() -> Device.from(config("ac", List.of(), 1))).hasMessageStartingWith("SIMULATOR_CHANNELS is empty");
    }
}

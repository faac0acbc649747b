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

    record Config(Optional<String> deviceId, Optional<Path> dataDir, List<Channel> channels, double replaySpeed,
            String loop, Duration progressInterval) implements SimulatorConfig {

        Config withLoop(String value) {
            return new Config(deviceId, dataDir, channels, replaySpeed, value, progressInterval);
        }

        Config withProgressInterval(Duration value) {
            return new Config(deviceId, dataDir, channels, replaySpeed, loop, value);
        }

        @Override
        public BadRows badRows() {
            return BadRows.SKIP;
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
        return new Config(Optional.ofNullable(deviceId), Optional.of(dir), channels, speed, "false", Duration.ofSeconds(10));
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

    @Test
    void aZeroProgressIntervalNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> Device.from(config("ac", List.of(Channel.TEMP), 1).withProgressInterval(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SIMULATOR_PROGRESS_INTERVAL must be a positive duration such as 10s, got 0s");
    }

    @Test
    void aNegativeProgressIntervalNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> Device.from(config("ac", List.of(Channel.TEMP), 1)
                .withProgressInterval(Duration.ofSeconds(-5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SIMULATOR_PROGRESS_INTERVAL must be a positive duration such as 10s, got -5s");
    }

    @Test
    void aLoopValueOtherThanTrueOrFalseNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> Device.from(config("ac", List.of(Channel.TEMP), 1).withLoop("treu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SIMULATOR_LOOP must be true or false, got 'treu'");
    }

    @Test
    void loopIsTrueOrFalseInAnyCase() throws IOException {
        Files.writeString(dir.resolve("temp.csv"), "timestamp,value\n");

        assertThat(Device.from(config("ac", List.of(Channel.TEMP), 1).withLoop("TRUE")).loop()).isTrue();
        assertThat(Device.from(config("ac", List.of(Channel.TEMP), 1).withLoop("False")).loop()).isFalse();
    }
}

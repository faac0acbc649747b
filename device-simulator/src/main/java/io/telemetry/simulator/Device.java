package io.telemetry.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * The simulated device, checked: its id, the CSV file of each channel it sends, and how to replay them.
 * Every check names the environment variable to fix.
 */
public record Device(String deviceId, Map<Channel, Path> files, double replaySpeed, boolean loop,
        SimulatorConfig.BadRows badRows, boolean startOver) {

    /** No device: what a simulator with an invalid configuration runs while it exits. */
    static final Device NONE = new Device("none", Map.of(), 0, false, SimulatorConfig.BadRows.SKIP, true);

    public static Device from(SimulatorConfig config) {
        String deviceId = config.deviceId().filter(id -> !id.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "SIMULATOR_DEVICE_ID is not set: give the device's id, e.g. SIMULATOR_DEVICE_ID=washing-machine"));
        try {
            Reading.requireValidDeviceId(deviceId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SIMULATOR_DEVICE_ID: " + e.getMessage());
        }
        double speed = config.replaySpeed();
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("SIMULATOR_REPLAY_SPEED must be 0 (as fast as Kafka accepts) or a positive "
                    + "factor (1 = the CSV's own pace), got " + speed);
        }
        boolean loop = switch (config.loop().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("SIMULATOR_LOOP must be true or false, got '" + config.loop() + "'");
        };
        // Not part of the device, but checked here with the rest: a bad value then exits with status 2 and
        // this one line, where ProgressReporter's timer would fail start-up with a stack trace.
        Duration progressInterval = config.progressInterval();
        if (progressInterval.isZero() || progressInterval.isNegative()) {
            throw new IllegalArgumentException("SIMULATOR_PROGRESS_INTERVAL must be a positive duration such as 10s, got "
                    + progressInterval.toString().substring(2).toLowerCase(Locale.ROOT));
        }
        if (config.channels().isEmpty()) {
            throw new IllegalArgumentException("SIMULATOR_CHANNELS is empty: name at least one of " + Channel.names());
        }
        Path dataDir = config.dataDir().orElse(Path.of("data", deviceId));
        Map<Channel, Path> files = new EnumMap<>(Channel.class);
        for (Channel channel : config.channels()) {
            Path file = dataDir.resolve(channel.id() + ".csv");
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("no readable CSV for channel " + channel + ": " + file.toAbsolutePath()
                        + (Files.exists(file) ? " cannot be read" : " does not exist")
                        + " (SIMULATOR_DATA_DIR names the folder holding <channel>.csv; SIMULATOR_CHANNELS the channels)");
            }
            files.put(channel, file);
        }
        return new Device(deviceId, Map.copyOf(files), speed, loop, config.badRows(), config.startOver());
    }
}

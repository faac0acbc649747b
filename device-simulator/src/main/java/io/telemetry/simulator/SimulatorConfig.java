package io.telemetry.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.telemetry.reading.Channel;

/**
 * One simulated device, configured from the environment: {@code SIMULATOR_DEVICE_ID=ac} sets
 * {@code simulator.device-id}, and so on for each key.
 */
@ConfigMapping(prefix = "simulator")
public interface SimulatorConfig {

    /** The device id, {@code [A-Za-z0-9._-]{1,64}}; also the Kafka key of every reading. Required. */
    Optional<String> deviceId();

    /** Folder holding one {@code <channel>.csv} per channel; default {@code data/<device id>}. */
    Optional<Path> dataDir();

    /** Which channels to send, comma separated. */
    @WithDefault("temp,power")
    List<Channel> channels();

    /** 1 replays at the CSV's own pace, N is N times faster, 0 sends as fast as Kafka accepts. */
    @WithDefault("1")
    double replaySpeed();

    /**
     * {@code true}: at the end of the data, start over with timestamps shifted by the recording's length. A
     * string, checked by {@link Device#from}: as a boolean, SmallRye would read a typo such as {@code treu} as
     * {@code false} with no more than a warning.
     */
    @WithDefault("false")
    String loop();

    /**
     * Send everything from the first row, instead of resuming after the last reading of this device
     * found in each channel's topic.
     */
    @WithDefault("false")
    boolean startOver();

    /** What a bad CSV row does: {@code skip} it with a warning naming file and line, or {@code fail}. */
    @WithDefault("skip")
    BadRows badRows();

    /** How often progress is logged; positive. */
    @WithDefault("10s")
    Duration progressInterval();

    /** Stop the process once every reading has been sent and acknowledged (unless looping). */
    @WithDefault("true")
    boolean exitWhenDone();

    enum BadRows {
        /** Warn with file, line and reason, and go on. */
        SKIP,
        /** Stop the simulator with an error naming file, line and reason. */
        FAIL
    }
}

package io.telemetry.monitor;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The monitor's settings; each can be set from the environment, e.g. {@code MONITOR_ENERGY_MAX_GAP=PT15M}. */
@ConfigMapping(prefix = "monitor")
public interface MonitorConfig {

    /** Energy is not integrated across a longer gap between two readings of a device (ISO-8601 duration). */
    @WithDefault("PT5M")
    Duration energyMaxGap();
}

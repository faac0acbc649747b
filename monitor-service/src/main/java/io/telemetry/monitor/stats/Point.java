package io.telemetry.monitor.stats;

import java.time.Instant;

/** One value at one instant of event time: the first or last reading of a series. */
public record Point(Instant timestamp, double value) {
}

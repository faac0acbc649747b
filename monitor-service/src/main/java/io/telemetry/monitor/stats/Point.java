package io.telemetry.monitor.stats;

import java.time.Instant;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One value at one instant of event time: the first or last reading of a series. */
@RegisterForReflection
public record Point(Instant timestamp, double value) {
}

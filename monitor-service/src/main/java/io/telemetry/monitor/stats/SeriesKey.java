package io.telemetry.monitor.stats;

import io.telemetry.reading.Channel;

/** Identifies a series: one device's readings on one channel. */
public record SeriesKey(String deviceId, Channel channel) {
}

package io.telemetry.monitor.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.stats.Point;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

/**
 * The stats of one series as the API shows them: all-time, or over a window of event time.
 *
 * @param energyWh energy in watt-hours; only on the power channel
 * @param window   for a window, the event time it covers and the buckets it was merged from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record SeriesStats(String deviceId, String channel, String unit, long count, Double min, Double max, Double mean,
        Double stddev, Point first, Point last, Double energyWh, WindowInfo window) {

    /**
     * @param resolution the width of the buckets merged
     */
    @RegisterForReflection
    public record WindowInfo(Instant from, Instant to, String resolution) {
    }

    static SeriesStats of(String deviceId, Channel channel, Stats stats) {
        return of(deviceId, channel, stats, null);
    }

    static SeriesStats of(String deviceId, Channel channel, Series.Window window) {
        return of(deviceId, channel, window.stats(),
                new WindowInfo(window.from(), window.to(), window.resolution().iso()));
    }

    private static SeriesStats of(String deviceId, Channel channel, Stats stats, WindowInfo window) {
        boolean empty = stats.isEmpty();
        return new SeriesStats(deviceId, channel.id(), channel.unit(), stats.count(), empty ? null : stats.min(),
                empty ? null : stats.max(), empty ? null : stats.mean(), empty ? null : stats.stddev(), stats.first(),
                stats.last(), channel.hasEnergy() ? stats.energyWh() : null, window);
    }
}

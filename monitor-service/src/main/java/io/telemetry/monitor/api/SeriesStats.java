package io.telemetry.monitor.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.telemetry.monitor.stats.Point;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

/**
 * The stats of one series as the API shows them.
 *
 * @param energyWh energy in watt-hours; only on the power channel
 */
public record SeriesStats(String deviceId, String channel, String unit, long count, double min, double max,
        double mean, double stddev, Point first, Point last,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double energyWh) {

    static SeriesStats of(String deviceId, Channel channel, Stats stats) {
        return new SeriesStats(deviceId, channel.id(), channel.unit(), stats.count(), stats.min(), stats.max(),
                stats.mean(), stats.stddev(), stats.first(), stats.last(),
                channel == Channel.POWER ? stats.energyWh() : null);
    }
}

package io.telemetry.monitor.stats;

import java.time.Duration;

import io.telemetry.reading.Channel;

/**
 * How every series is made: the longest gap energy is integrated across, and how long buckets are kept.
 *
 * @param maxGap    energy is not integrated across a longer gap between two readings of a series
 * @param retention how long time buckets are kept
 */
public record SeriesSettings(Duration maxGap, Retention retention) {

    /** A new, empty series of a channel: power integrates energy, temperature does not. */
    public Series newSeries(Channel channel) {
        return new Series(maxGap, retention, channel.hasEnergy());
    }
}

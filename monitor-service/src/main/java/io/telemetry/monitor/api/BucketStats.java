package io.telemetry.monitor.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.telemetry.monitor.stats.Point;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One time bucket, {@code [start, end)}, as the API shows it. A bucket crossed by the straight line
 * between two readings of a power series may hold energy and no reading: its count is 0 and the
 * figures of readings are absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record BucketStats(Instant start, Instant end, long count, Double min, Double max, Double mean, Double stddev,
        Point first, Point last, Double energyWh) {

    static BucketStats of(Channel channel, Series.Bucket bucket) {
        Stats stats = bucket.stats();
        boolean empty = stats.isEmpty();
        return new BucketStats(bucket.start(), bucket.end(), stats.count(), empty ? null : stats.min(),
                empty ? null : stats.max(), empty ? null : stats.mean(), empty ? null : stats.stddev(), stats.first(),
                stats.last(), channel.hasEnergy() ? stats.energyWh() : null);
    }
}

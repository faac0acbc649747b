package io.telemetry.monitor.state;

import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

/**
 * One series' all-time figures as a holder of its partition has them: what lists and device answers are
 * made of, whichever monitor holds the partition.
 *
 * @param partition the partition of the channel's topic the series lives in
 * @param heardAt   when the holder last applied a reading of it (epoch ms); {@code Long.MIN_VALUE} if never
 */
public record SeriesEntry(String deviceId, Channel channel, int partition, Stats stats, long heardAt) {
}

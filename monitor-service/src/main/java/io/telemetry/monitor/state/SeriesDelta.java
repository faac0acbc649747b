package io.telemetry.monitor.state;

import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;

/**
 * What a snapshot writes of one series: what changed in it since the last snapshot, and the offset of
 * the last record it includes.
 */
public record SeriesDelta(SeriesKey key, long appliedOffset, Series.Changes changes) {

    /** A series' changes and offset, before they are told which series they are. */
    record Taken(long appliedOffset, Series.Changes changes) {
    }
}

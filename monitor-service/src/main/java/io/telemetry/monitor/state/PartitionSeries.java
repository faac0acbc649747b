package io.telemetry.monitor.state;

import java.util.Optional;

import io.telemetry.monitor.stats.Series;
import io.telemetry.reading.Reading;

/**
 * One series of a partition: its fold, the offset of the last record of the partition folded into it,
 * and when this process last applied one. The offset and the fold change together, under the series'
 * lock, so that a snapshot never holds one without the other.
 */
public final class PartitionSeries {

    private final Series series;
    /** Guarded by {@link #series}. */
    private long appliedOffset;
    /** Wall clock, epoch ms; never heard by this process: {@code Long.MIN_VALUE}. */
    private volatile long heardAt = Long.MIN_VALUE;

    /**
     * @param appliedOffset the offset of the last record in {@code series}; -1 for none
     */
    public PartitionSeries(Series series, long appliedOffset) {
        this.series = series;
        this.appliedOffset = appliedOffset;
    }

    /** The fold, for queries. */
    public Series series() {
        return series;
    }

    /** The offset of the last record applied, -1 if none. */
    public long appliedOffset() {
        synchronized (series) {
            return appliedOffset;
        }
    }

    /** When this process last applied a reading of the series (epoch ms); {@code Long.MIN_VALUE} if never. */
    public long heardAt() {
        return heardAt;
    }

    /**
     * Applies the reading at {@code offset}, unless a record at that offset or a later one is in already.
     *
     * @param nowMillis the wall clock, for {@link #heardAt()}
     * @return whether it was applied
     */
    boolean apply(Reading reading, long offset, long nowMillis) {
        synchronized (series) {
            if (offset <= appliedOffset) {
                return false;
            }
            series.apply(reading.timestamp(), reading.value());
            appliedOffset = offset;
        }
        heardAt = nowMillis;
        return true;
    }

    /** What changed since the last call, with the offset it includes; empty if nothing did. */
    Optional<SeriesDelta.Taken> takeChanges() {
        synchronized (series) {
            return series.takeChanges().map(changes -> new SeriesDelta.Taken(appliedOffset, changes));
        }
    }

    /** Sets the offset as a snapshot has it. */
    public void restoreOffset(long offset) {
        synchronized (series) {
            appliedOffset = offset;
        }
    }
}

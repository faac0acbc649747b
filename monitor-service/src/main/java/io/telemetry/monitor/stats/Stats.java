package io.telemetry.monitor.stats;

import java.time.Duration;
import java.time.Instant;

import io.telemetry.reading.Reading;

/**
 * The summary of a series of readings: a mergeable value, so that the stats of a whole equal the
 * merge of the stats of its parts, whatever the split.
 *
 * <p>Mean and variance use Welford's update and Chan's merge, which stay accurate over millions of
 * readings where a running sum of squares would not. Standard deviation is the population one.
 *
 * <p>Energy (meaningful for power, in watt-hours) is the trapezoid integral between consecutive
 * readings in event-time order, skipping any gap longer than {@code maxGap}: a device that was off
 * the air is not assumed to have drawn power meanwhile. A reading older than the series' last one
 * (late or out of order) is counted in every other figure but adds no energy. Merging two series
 * that follow each other in time also integrates the segment that joins them.
 *
 * @param count    readings summarised
 * @param min      smallest value; {@code +Infinity} when empty
 * @param max      largest value; {@code -Infinity} when empty
 * @param mean     arithmetic mean; 0 when empty
 * @param m2       sum of squared deviations from the mean
 * @param first    earliest reading by event time; {@code null} when empty
 * @param last     latest reading by event time (of equal timestamps, the one applied last);
 *                 {@code null} when empty
 * @param energyWh integrated energy in watt-hours
 * @param maxGap   the longest gap between two readings that is integrated
 */
public record Stats(long count, double min, double max, double mean, double m2, Point first, Point last,
        double energyWh, Duration maxGap) {

    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    /** No readings yet. */
    public static Stats empty(Duration maxGap) {
        return new Stats(0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, null, null, 0, maxGap);
    }

    /** These stats with one more reading. */
    public Stats with(Reading reading) {
        return with(reading.timestamp(), reading.value());
    }

    /**
     * These stats with one more value measured at {@code timestamp}.
     *
     * @throws IllegalArgumentException if the value is not finite: one NaN would poison every figure
     */
    public Stats with(Instant timestamp, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be a finite number, got " + value);
        }
        Point point = new Point(timestamp, value);
        if (count == 0) {
            return new Stats(1, value, value, value, 0, point, point, 0, maxGap);
        }
        long n = count + 1;
        double delta = value - mean;
        double newMean = mean + delta / n;
        double newM2 = m2 + delta * (value - newMean);
        Point newFirst = timestamp.isBefore(first.timestamp()) ? point : first;
        Point newLast = timestamp.isBefore(last.timestamp()) ? last : point;
        double newEnergy = timestamp.isAfter(last.timestamp()) ? energyWh + segmentWh(last, point) : energyWh;
        return new Stats(n, Math.min(min, value), Math.max(max, value), newMean, newM2, newFirst, newLast, newEnergy,
                maxGap);
    }

    /** The stats of both series together. */
    public Stats merge(Stats other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        double newMean = mean + delta * other.count / n;
        double newM2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
        Point newFirst = other.first.timestamp().isBefore(first.timestamp()) ? other.first : first;
        Point newLast = other.last.timestamp().isBefore(last.timestamp()) ? last : other.last;
        double joint = 0;
        if (last.timestamp().isBefore(other.first.timestamp())) {
            joint = segmentWh(last, other.first);
        } else if (other.last.timestamp().isBefore(first.timestamp())) {
            joint = segmentWh(other.last, first);
        }
        return new Stats(n, Math.min(min, other.min), Math.max(max, other.max), newMean, newM2, newFirst, newLast,
                energyWh + other.energyWh + joint, maxGap);
    }

    /** Population standard deviation; {@code NaN} when empty. */
    public double stddev() {
        return count == 0 ? Double.NaN : Math.sqrt(Math.max(0, m2 / count));
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The energy of the straight line between two readings, or 0 across a gap longer than {@link #maxGap}. */
    private double segmentWh(Point from, Point to) {
        long millis = to.timestamp().toEpochMilli() - from.timestamp().toEpochMilli();
        if (millis <= 0 || millis > maxGap.toMillis()) {
            return 0;
        }
        return (from.value() + to.value()) / 2 * millis / MILLIS_PER_HOUR;
    }
}

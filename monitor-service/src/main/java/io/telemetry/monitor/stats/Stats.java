package io.telemetry.monitor.stats;

import java.time.Instant;

import io.telemetry.reading.Reading;

/**
 * The summary of a set of readings: a mergeable value, so that the stats of a whole equal the merge of
 * the stats of its parts, however it was split. A time bucket, a window and a series' whole history
 * are all {@code Stats}.
 *
 * <p>Mean and variance use Welford's update and Chan's merge, which stay accurate over millions of
 * readings where a running sum of squares would not. Standard deviation is the population one.
 *
 * <p>Energy is carried, not computed, here: which readings it joins and how is {@link Energy}'s rule,
 * applied by the {@link Series} that owns these stats. A bucket may hold energy and no reading (a
 * segment between two readings can cross a whole bucket).
 *
 * @param count    readings summarised
 * @param min      smallest value; {@code +Infinity} when there is none
 * @param max      largest value; {@code -Infinity} when there is none
 * @param mean     arithmetic mean; 0 when there is no reading
 * @param m2       sum of squared deviations from the mean
 * @param first    earliest reading by event time; {@code null} when there is none
 * @param last     latest reading by event time (of equal timestamps, the one applied last);
 *                 {@code null} when there is none
 * @param energyWh energy in watt-hours
 */
public record Stats(long count, double min, double max, double mean, double m2, Point first, Point last,
        double energyWh) {

    private static final Stats EMPTY = new Stats(0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, null, null,
            0);

    /** No readings, no energy. */
    public static Stats empty() {
        return EMPTY;
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
            return new Stats(1, value, value, value, 0, point, point, energyWh);
        }
        long n = count + 1;
        double delta = value - mean;
        double newMean = mean + delta / n;
        double newM2 = m2 + delta * (value - newMean);
        Point newFirst = timestamp.isBefore(first.timestamp()) ? point : first;
        Point newLast = timestamp.isBefore(last.timestamp()) ? last : point;
        return new Stats(n, Math.min(min, value), Math.max(max, value), newMean, newM2, newFirst, newLast, energyWh);
    }

    /** These stats with more energy. */
    public Stats plusEnergy(double wh) {
        return wh == 0 ? this : new Stats(count, min, max, mean, m2, first, last, energyWh + wh);
    }

    /** The stats of both sets together; energies add up. */
    public Stats merge(Stats other) {
        if (other.count == 0) {
            return plusEnergy(other.energyWh);
        }
        if (count == 0) {
            return other.plusEnergy(energyWh);
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        double newMean = mean + delta * other.count / n;
        double newM2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
        Point newFirst = other.first.timestamp().isBefore(first.timestamp()) ? other.first : first;
        Point newLast = other.last.timestamp().isBefore(last.timestamp()) ? last : other.last;
        return new Stats(n, Math.min(min, other.min), Math.max(max, other.max), newMean, newM2, newFirst, newLast,
                energyWh + other.energyWh);
    }

    /** Population standard deviation; {@code NaN} when there is no reading. */
    public double stddev() {
        return count == 0 ? Double.NaN : Math.sqrt(Math.max(0, m2 / count));
    }

    /** No reading (there may still be energy). */
    public boolean isEmpty() {
        return count == 0;
    }
}

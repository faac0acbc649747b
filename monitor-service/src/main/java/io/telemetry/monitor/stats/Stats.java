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
 * @param firstAt    event time of the earliest reading, in epoch milliseconds
 * @param firstValue value of the earliest reading
 * @param lastAt     event time of the latest reading (of equal timestamps, the one applied last)
 * @param lastValue  value of the latest reading
 * @param energyWh   energy in watt-hours
 */
public record Stats(long count, double min, double max, double mean, double m2, long firstAt, double firstValue,
        long lastAt, double lastValue, double energyWh) {

    // First and last are primitives rather than Points: a bucket is then one object of 96 bytes, not
    // five of 192, which is most of the monitor's memory (see bench/series-memory).
    private static final Stats EMPTY = new Stats(0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, 0, 0, 0, 0,
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
        return with(timestamp.toEpochMilli(), value, 0);
    }

    /**
     * These stats with one more value measured at {@code at} (epoch milliseconds) and {@code wh} more
     * energy: what {@code with(timestamp, value).plusEnergy(wh)} gives, as one object instead of two (the
     * fold makes four of these per reading).
     *
     * @throws IllegalArgumentException if the value is not finite: one NaN would poison every figure
     */
    public Stats with(long at, double value, double wh) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be a finite number, got " + value);
        }
        if (count == 0) {
            return new Stats(1, value, value, value, 0, at, value, at, value, energyWh + wh);
        }
        long n = count + 1;
        double delta = value - mean;
        double newMean = mean + delta / n;
        double newM2 = m2 + delta * (value - newMean);
        boolean earliest = at < firstAt;
        boolean latest = at >= lastAt;
        return new Stats(n, Math.min(min, value), Math.max(max, value), newMean, newM2, earliest ? at : firstAt,
                earliest ? value : firstValue, latest ? at : lastAt, latest ? value : lastValue, energyWh + wh);
    }

    /** These stats with more energy. */
    public Stats plusEnergy(double wh) {
        return wh == 0 ? this
                : new Stats(count, min, max, mean, m2, firstAt, firstValue, lastAt, lastValue, energyWh + wh);
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
        boolean otherFirst = other.firstAt < firstAt;
        boolean otherLast = other.lastAt >= lastAt;
        return new Stats(n, Math.min(min, other.min), Math.max(max, other.max), newMean, newM2,
                otherFirst ? other.firstAt : firstAt, otherFirst ? other.firstValue : firstValue,
                otherLast ? other.lastAt : lastAt, otherLast ? other.lastValue : lastValue, energyWh + other.energyWh);
    }

    /** The earliest reading by event time; {@code null} when there is none. */
    public Point first() {
        return count == 0 ? null : new Point(Instant.ofEpochMilli(firstAt), firstValue);
    }

    /** The latest reading by event time; {@code null} when there is none. */
    public Point last() {
        return count == 0 ? null : new Point(Instant.ofEpochMilli(lastAt), lastValue);
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

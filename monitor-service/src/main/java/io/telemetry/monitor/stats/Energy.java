package io.telemetry.monitor.stats;

import java.time.Duration;

/**
 * How energy is integrated from power readings: the trapezoid between two consecutive readings (by
 * event time), unless they are further apart than a maximum gap, in which case the device is taken to
 * have been off the air and nothing is counted. A segment that crosses bucket boundaries is cut there,
 * with the power at each cut interpolated on the straight line, so that the energy of buckets adds up
 * exactly to the energy of the whole.
 */
public final class Energy {

    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    private Energy() {
    }

    /** Receives the energy of one bucket's part of a segment. */
    @FunctionalInterface
    public interface Sink {
        void add(long bucketStart, double wh);
    }

    /**
     * The energy in watt-hours of the segment from {@code (t1, w1)} to {@code (t2, w2)} (epoch milliseconds,
     * watts): 0 if {@code t2} is not after {@code t1} or the gap exceeds {@code maxGap}.
     */
    public static double segmentWh(long t1, double w1, long t2, double w2, Duration maxGap) {
        long millis = t2 - t1;
        if (millis <= 0 || millis > maxGap.toMillis()) {
            return 0;
        }
        return trapezoidWh(w1, w2, millis);
    }

    /**
     * Hands each bucket of {@code resolution} its part of the segment's energy. Call only for a segment
     * whose {@link #segmentWh} is counted.
     */
    public static void split(long t1, double w1, long t2, double w2, Resolution resolution, Sink sink) {
        double slope = (w2 - w1) / (t2 - t1);
        for (long start = resolution.startOf(t1); start < t2; start += resolution.millis()) {
            long a = Math.max(t1, start);
            long b = Math.min(t2, start + resolution.millis());
            if (b > a) {
                sink.add(start, trapezoidWh(w1 + slope * (a - t1), w1 + slope * (b - t1), b - a));
            }
        }
    }

    private static double trapezoidWh(double fromWatts, double toWatts, long millis) {
        return (fromWatts + toWatts) / 2 * millis / MILLIS_PER_HOUR;
    }
}

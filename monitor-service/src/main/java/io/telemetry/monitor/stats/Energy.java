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

    /** The segment's energy in watt-hours: 0 if {@code to} is not after {@code from} or the gap exceeds {@code maxGap}. */
    public static double segmentWh(Point from, Point to, Duration maxGap) {
        long millis = millisBetween(from, to);
        if (millis <= 0 || millis > maxGap.toMillis()) {
            return 0;
        }
        return trapezoidWh(from.value(), to.value(), millis);
    }

    /**
     * Hands each bucket of {@code resolution} its part of the segment's energy. Call only for a segment
     * whose {@link #segmentWh} is counted.
     */
    public static void split(Point from, Point to, Resolution resolution, Sink sink) {
        long t1 = from.timestamp().toEpochMilli();
        long t2 = to.timestamp().toEpochMilli();
        double slope = (to.value() - from.value()) / (t2 - t1);
        for (long start = resolution.startOf(t1); start < t2; start += resolution.millis()) {
            long a = Math.max(t1, start);
            long b = Math.min(t2, start + resolution.millis());
            if (b > a) {
                double va = from.value() + slope * (a - t1);
                double vb = from.value() + slope * (b - t1);
                sink.add(start, trapezoidWh(va, vb, b - a));
            }
        }
    }

    private static long millisBetween(Point from, Point to) {
        return to.timestamp().toEpochMilli() - from.timestamp().toEpochMilli();
    }

    private static double trapezoidWh(double fromWatts, double toWatts, long millis) {
        return (fromWatts + toWatts) / 2 * millis / MILLIS_PER_HOUR;
    }
}

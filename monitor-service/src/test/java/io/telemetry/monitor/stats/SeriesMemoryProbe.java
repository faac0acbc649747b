package io.telemetry.monitor.stats;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the heap one series holds at the default retention once every bucket is filled: a device
 * that has reported for five years, every 10 seconds for the last 48 hours (a reading in each minute
 * bucket retained), and at least hourly before. Not a test: run it with {@code bench/series-memory}.
 */
public final class SeriesMemoryProbe {

    public static void main(String[] args) {
        int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Instant newest = Instant.parse("2024-05-01T00:00:00Z");
        Instant start = newest.minus(Duration.ofDays(1827));
        long before = usedHeapAfterGc();
        List<Series> held = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            Series series = new Series(Duration.ofMinutes(5), Retention.DEFAULT);
            Instant at = start;
            while (!at.isAfter(newest)) {
                series.apply(at, 100 + s);
                Duration untilNewest = Duration.between(at, newest);
                at = at.plus(untilNewest.compareTo(Duration.ofHours(49)) <= 0 ? Duration.ofSeconds(10)
                        : untilNewest.compareTo(Duration.ofDays(91)) <= 0 ? Duration.ofMinutes(10) : Duration.ofHours(1));
            }
            held.add(series);
        }
        long after = usedHeapAfterGc();
        Series one = held.get(0);
        long buckets = 0;
        StringBuilder counts = new StringBuilder();
        for (Resolution resolution : Resolution.values()) {
            buckets += one.bucketCount(resolution);
            counts.append(String.format(Locale.ROOT, " %s=%d (max %d)", resolution, one.bucketCount(resolution),
                    Retention.DEFAULT.maxBuckets(resolution)));
        }
        double perSeries = (after - before) / (double) seriesCount;
        System.out.printf(Locale.ROOT, "series: %d, buckets per series:%s%n", seriesCount, counts);
        System.out.printf(Locale.ROOT, "heap per series at default retention, full: %.0f bytes (%.1f KiB), %.0f bytes per bucket%n",
                perSeries, perSeries / 1024, perSeries / buckets);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

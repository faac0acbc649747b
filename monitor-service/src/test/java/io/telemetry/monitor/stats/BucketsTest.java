package io.telemetry.monitor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** {@link Buckets} against a {@link TreeMap} doing the same, the structure it replaced. */
class BucketsTest {

    private static Stats stats(long count) {
        return new Stats(count, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void emptyHoldsNothing() {
        Buckets buckets = new Buckets(1, 1);
        assertThat(buckets.size()).isZero();
        assertThat(buckets.get(60_000)).isSameAs(Stats.empty());
        assertThat(buckets.ceiling(0)).isZero();
    }

    @Test
    void keepsBucketsInTimeOrderWhateverOrderTheyCameIn() {
        Buckets buckets = new Buckets(1, 1);
        for (long start : new long[] {300, 100, 500, 200, 400, 0, 600, 250}) {
            buckets.put(start, stats(start));
        }
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            starts.add(buckets.start(i));
            assertThat(buckets.stats(i).count()).isEqualTo(buckets.start(i));
        }
        assertThat(starts).containsExactly(0L, 100L, 200L, 250L, 300L, 400L, 500L, 600L);
        assertThat(buckets.ceiling(201)).isEqualTo(3);
        assertThat(buckets.ceiling(250)).isEqualTo(3);
        assertThat(buckets.ceiling(601)).isEqualTo(8);
    }

    @Test
    void dropsTheOldestAndAcceptsNewOnesAfter() {
        Buckets buckets = new Buckets(1, 1);
        for (long start = 0; start < 10; start++) {
            buckets.put(start, stats(start));
        }
        buckets.dropBefore(7);
        assertThat(buckets.size()).isEqualTo(3);
        assertThat(buckets.start(0)).isEqualTo(7);
        assertThat(buckets.get(3)).isSameAs(Stats.empty());
        buckets.dropBefore(100);
        assertThat(buckets.size()).isZero();
        buckets.put(5, stats(5));
        assertThat(buckets.size()).isEqualTo(1);
        assertThat(buckets.get(5).count()).isEqualTo(5);
    }

    @Test
    void agreesWithATreeMapOverRandomWork() {
        Random random = new Random(42);
        Buckets buckets = new Buckets(1, 1);
        NavigableMap<Long, Stats> oracle = new TreeMap<>();
        long newest = 0;
        for (int step = 0; step < 200_000; step++) {
            int kind = random.nextInt(100);
            if (kind < 70) { // mostly the newest bucket or the next, as readings in order do
                newest += random.nextInt(2);
                long start = newest;
                Stats updated = stats(buckets.get(start).count() + 1);
                assertThat(oracle.getOrDefault(start, Stats.empty()).count()).isEqualTo(updated.count() - 1);
                buckets.put(start, updated);
                oracle.put(start, updated);
            } else if (kind < 90) { // late: anywhere in the last hundred
                long start = newest - random.nextInt(100);
                Stats updated = stats(buckets.get(start).count() + 1);
                assertThat(oracle.getOrDefault(start, Stats.empty()).count()).isEqualTo(updated.count() - 1);
                buckets.put(start, updated);
                oracle.put(start, updated);
            } else if (kind < 97) { // retention moves on
                long limit = newest - 50 - random.nextInt(50);
                buckets.dropBefore(limit);
                oracle.headMap(limit).clear();
            } else {
                long from = newest - random.nextInt(120);
                Map.Entry<Long, Stats> expected = oracle.ceilingEntry(from);
                int at = buckets.ceiling(from);
                if (expected == null) {
                    assertThat(at).isEqualTo(buckets.size());
                } else {
                    assertThat(buckets.start(at)).isEqualTo(expected.getKey());
                    assertThat(buckets.stats(at)).isSameAs(expected.getValue());
                }
            }
            assertThat(buckets.size()).isEqualTo(oracle.size());
        }
        int i = 0;
        for (Map.Entry<Long, Stats> entry : oracle.entrySet()) {
            assertThat(buckets.start(i)).isEqualTo(entry.getKey());
            assertThat(buckets.stats(i++)).isSameAs(entry.getValue());
        }
    }

    @Test
    void aSeriesAtItsFullRetentionKeepsItsArraysWithinABoundOfWhatItHolds() {
        // A reading a minute for ten days, 48 hours of minute buckets kept: 2,881 held at a time.
        long minute = 60_000;
        Buckets buckets = new Buckets(minute, 48 * 60 * minute);
        int most = 0;
        for (long at = 0; at < 10 * 24 * 60 * minute; at += minute) {
            buckets.put(at, stats(1));
            buckets.dropBefore(buckets.oldestKept(at));
            most = Math.max(most, buckets.size());
        }
        assertThat(most).isEqualTo(2_881);
        assertThat(buckets.size()).isEqualTo(2_881);
        assertThat(buckets.start(0)).isEqualTo(10 * 24 * 60 * minute - 2_881 * minute);
        assertThat(buckets.capacity()).isLessThanOrEqualTo(most * 8 / 3);
    }
}

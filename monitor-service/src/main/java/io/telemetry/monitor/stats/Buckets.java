package io.telemetry.monitor.stats;

import java.util.Arrays;

/**
 * The time buckets of one resolution of a {@link Series}: bucket starts and their stats, in time order,
 * in two parallel arrays.
 *
 * <p>Arrays rather than a tree because readings arrive in time order nearly always: a reading lands in
 * the newest bucket or opens the next one, which is a look at the last element here, where a tree walks
 * its whole height and misses the CPU cache at every level (that walk was 48 % of the event loop's
 * samples in the ingest benchmark). A late reading costs a binary search, and one that opens a bucket
 * between two others an array copy; buckets leave from the oldest end, by moving an index. Not thread
 * safe: the series guards it.
 */
final class Buckets {

    /** The width of a bucket, in milliseconds. */
    private final long width;
    /** How far back from a series' newest reading buckets are kept, in milliseconds. */
    private final long keep;
    private long[] starts = new long[4];
    private Stats[] stats = new Stats[4];
    /** Index of the oldest bucket held. */
    private int head;
    /** Index after the newest bucket held. */
    private int tail;

    Buckets(long width, long keep) {
        this.width = width;
        this.keep = keep;
    }

    /** The start of the oldest bucket kept while the newest reading of the series is at {@code newest}. */
    long oldestKept(long newest) {
        return Math.floorDiv(newest - keep, width) * width;
    }

    int size() {
        return tail - head;
    }

    /** The start of the bucket at {@code index} (0 is the oldest held), in epoch milliseconds. */
    long start(int index) {
        return starts[head + index];
    }

    /** The stats of the bucket at {@code index} (0 is the oldest held). */
    Stats stats(int index) {
        return stats[head + index];
    }

    /** The index of the oldest bucket that starts at or after {@code start}; {@link #size()} if none does. */
    int ceiling(long start) {
        if (tail == head || starts[tail - 1] < start) {
            return size();
        }
        int found = Arrays.binarySearch(starts, head, tail, start);
        return (found >= 0 ? found : -found - 1) - head;
    }

    /** The stats of the bucket that starts at {@code start}; empty stats if there is none. */
    Stats get(long start) {
        int at = indexOf(start);
        return at >= 0 ? stats[at] : Stats.empty();
    }

    /** Sets the stats of the bucket that starts at {@code start}, adding the bucket if there is none. */
    void put(long start, Stats bucket) {
        int at = indexOf(start);
        if (at >= 0) {
            stats[at] = bucket;
            return;
        }
        int insertAt = -at - 1;
        if (tail == starts.length) {
            makeRoom();
            insertAt = -indexOf(start) - 1;
        }
        System.arraycopy(starts, insertAt, starts, insertAt + 1, tail - insertAt);
        System.arraycopy(stats, insertAt, stats, insertAt + 1, tail - insertAt);
        starts[insertAt] = start;
        stats[insertAt] = bucket;
        tail++;
    }

    /** Drops the buckets that start before {@code start}. */
    void dropBefore(long start) {
        while (head < tail && starts[head] < start) {
            stats[head++] = null;
        }
        if (head == tail) {
            head = tail = 0;
        }
    }

    /** The array index of the bucket at {@code start}, or {@code -(insertion point) - 1}; the newest first. */
    private int indexOf(long start) {
        if (tail == head || starts[tail - 1] < start) {
            return -tail - 1;
        }
        if (starts[tail - 1] == start) {
            return tail - 1;
        }
        return Arrays.binarySearch(starts, head, tail, start);
    }

    /**
     * Moves the buckets to the front if at least a quarter of the arrays was left free there, or doubles
     * the arrays: either way at least a quarter of them is free after, so a bucket is moved at most a few
     * times on average, and the arrays stay within 8/3 of the most buckets held (a series at its full
     * retention of 2,881 minute buckets fits in 4,096 slots, where compacting only at half free took 8,192).
     */
    private void makeRoom() {
        int size = size();
        boolean compact = size <= starts.length / 4 * 3;
        long[] newStarts = compact ? starts : new long[starts.length * 2];
        Stats[] newStats = compact ? stats : new Stats[stats.length * 2];
        System.arraycopy(starts, head, newStarts, 0, size);
        System.arraycopy(stats, head, newStats, 0, size);
        if (compact) {
            Arrays.fill(stats, size, tail, null);
        }
        starts = newStarts;
        stats = newStats;
        head = 0;
        tail = size;
    }

    /** How many buckets the arrays have room for, for tests. */
    int capacity() {
        return starts.length;
    }
}

package io.telemetry.monitor.stats;

import java.util.Arrays;

/**
 * The time buckets of one resolution of a {@link Series}: bucket starts and their stats, in time order,
 * in parallel arrays, and what changed since the changes were last taken.
 *
 * <p>Arrays rather than a tree because readings arrive in time order nearly always: a reading lands in
 * the newest bucket or opens the next one, which is a look at the last element here, where a tree walks
 * its whole height and misses the CPU cache at every level. A late reading costs a binary search, and
 * one that opens a bucket between two others an array copy; buckets leave from the oldest end, by
 * moving an index. Not thread safe: the series guards it.
 *
 * <p>Changes: a bucket put since the last {@link #takeChanged} is listed once (a flag per slot keeps the
 * list free of repeats), and a bucket that leaves while it is {@link #SAVED} is listed as dropped, so
 * that a snapshot writes only those, and a tombstone for each dropped one.
 */
final class Buckets {

    /** The bucket changed since its changes were last taken. */
    private static final byte CHANGED = 1;
    /** The bucket's changes were taken at least once: it exists outside this process, and leaves with a tombstone. */
    private static final byte SAVED = 2;

    /** The width of a bucket, in milliseconds. */
    private final long width;
    /** How far back from a series' newest reading buckets are kept, in milliseconds. */
    private final long keep;
    private long[] starts = new long[4];
    private Stats[] stats = new Stats[4];
    private byte[] flags = new byte[4];
    /** Index of the oldest bucket held. */
    private int head;
    /** Index after the newest bucket held. */
    private int tail;
    /** The starts of the buckets flagged {@link #CHANGED}, in the order they were first changed. */
    private final StartList changed = new StartList();
    /** The starts of {@link #SAVED} buckets that left since the changes were last taken. */
    private final StartList dropped = new StartList();

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

    /** Whether the bucket that starts at {@code start} changed since the changes were last taken. */
    boolean isChanged(long start) {
        int at = indexOf(start);
        return at >= 0 && (flags[at] & CHANGED) != 0;
    }

    /** Counts the bucket that starts at {@code start}, if there is one, as changed. */
    void markChanged(long start) {
        int at = indexOf(start);
        if (at >= 0 && (flags[at] & CHANGED) == 0) {
            flags[at] |= CHANGED;
            changed.add(start);
        }
    }

    /** Sets the stats of the bucket that starts at {@code start}, adding the bucket if there is none; a change. */
    void put(long start, Stats bucket) {
        int at = set(start, bucket);
        if ((flags[at] & CHANGED) == 0) {
            flags[at] |= CHANGED;
            changed.add(start);
        }
    }

    /** Sets the stats of the bucket that starts at {@code start} to what it already answers as: not a change. */
    void replace(long start, Stats bucket) {
        set(start, bucket);
    }

    /** Sets a bucket as a snapshot has it: saved, and not a change. */
    void putSaved(long start, Stats bucket) {
        int at = set(start, bucket);
        flags[at] |= SAVED;
    }

    /** Removes the bucket that starts at {@code start}, if there is one, as a snapshot's tombstone says; not a change. */
    void remove(long start) {
        int at = indexOf(start);
        if (at < 0) {
            return;
        }
        System.arraycopy(starts, at + 1, starts, at, tail - at - 1);
        System.arraycopy(stats, at + 1, stats, at, tail - at - 1);
        System.arraycopy(flags, at + 1, flags, at, tail - at - 1);
        tail--;
        stats[tail] = null;
        flags[tail] = 0;
    }

    /** Drops the buckets that start before {@code start}; saved ones are listed for their tombstones. */
    void dropBefore(long start) {
        while (head < tail && starts[head] < start) {
            if ((flags[head] & SAVED) != 0) {
                dropped.add(starts[head]);
            }
            stats[head] = null;
            flags[head] = 0;
            head++;
        }
        if (head == tail) {
            head = tail = 0;
        }
    }

    /**
     * Hands each bucket changed since the last call to {@code sink}, with its stats now, and each saved
     * bucket dropped since, with {@code null} stats; from then on they count as saved.
     */
    void takeChanged(Sink sink) {
        for (int i = 0; i < dropped.size; i++) {
            sink.bucket(dropped.starts[i], null);
        }
        dropped.clear();
        for (int i = 0; i < changed.size; i++) {
            long start = changed.starts[i];
            int at = indexOf(start);
            if (at >= 0) { // else dropped again before it was ever saved: nothing to write
                flags[at] = SAVED;
                sink.bucket(start, stats[at]);
            }
        }
        changed.clear();
    }

    /** Counts a bucket as changed again (a save that held it did not happen), or as dropped if it has left. */
    void unsaved(long start) {
        int at = indexOf(start);
        if (at < 0) {
            dropped.add(start);
        } else if ((flags[at] & CHANGED) == 0) {
            flags[at] |= CHANGED;
            changed.add(start);
        }
    }

    /** Counts every bucket held as changed, so that the next changes hold them all. */
    void changeAll() {
        for (int at = head; at < tail; at++) {
            if ((flags[at] & CHANGED) == 0) {
                flags[at] |= CHANGED;
                changed.add(starts[at]);
            }
        }
    }

    /** Whether anything changed or was dropped since the changes were last taken. */
    boolean hasChanges() {
        return changed.size > 0 || dropped.size > 0;
    }

    /** Receives the changes of {@link #takeChanged}. */
    @FunctionalInterface
    interface Sink {
        /** @param stats the bucket's stats, {@code null} if it was dropped */
        void bucket(long start, Stats stats);
    }

    /** Sets a bucket's stats, adding the bucket if it is new; returns its array index. */
    private int set(long start, Stats bucket) {
        int at = indexOf(start);
        if (at >= 0) {
            stats[at] = bucket;
            return at;
        }
        int insertAt = -at - 1;
        if (tail == starts.length) {
            makeRoom();
            insertAt = -indexOf(start) - 1;
        }
        System.arraycopy(starts, insertAt, starts, insertAt + 1, tail - insertAt);
        System.arraycopy(stats, insertAt, stats, insertAt + 1, tail - insertAt);
        System.arraycopy(flags, insertAt, flags, insertAt + 1, tail - insertAt);
        starts[insertAt] = start;
        stats[insertAt] = bucket;
        flags[insertAt] = 0;
        tail++;
        return insertAt;
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
        byte[] newFlags = compact ? flags : new byte[flags.length * 2];
        System.arraycopy(starts, head, newStarts, 0, size);
        System.arraycopy(stats, head, newStats, 0, size);
        System.arraycopy(flags, head, newFlags, 0, size);
        if (compact) {
            Arrays.fill(stats, size, tail, null);
            Arrays.fill(flags, size, tail, (byte) 0);
        }
        starts = newStarts;
        stats = newStats;
        flags = newFlags;
        head = 0;
        tail = size;
    }

    /** How many buckets the arrays have room for, for tests. */
    int capacity() {
        return starts.length;
    }

    /** A growable list of bucket starts. */
    private static final class StartList {
        /** Shared by every empty list: most series are unchanged between two saves. */
        private static final long[] NONE = {};

        private long[] starts = NONE;
        private int size;

        void add(long start) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, Math.max(2, size * 2));
            }
            starts[size++] = start;
        }

        void addAll(StartList other) {
            for (int i = 0; i < other.size; i++) {
                add(other.starts[i]);
            }
        }

        void clear() {
            size = 0;
            starts = NONE; // held by a series until its next change, not for as long as it lives
        }
    }
}

package io.telemetry.monitor.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the monitor keeps of one device's readings on one channel: all-time stats and, per
 * {@link Resolution}, the stats of each UTC-aligned time bucket that has readings or energy, for as
 * long as the {@link Retention} says.
 *
 * <p>Event time rules: a reading goes into the bucket of its own timestamp, however late it arrives,
 * as long as that bucket is retained; otherwise it counts in the all-time stats and as "too late" for
 * that resolution. Energy joins each reading to the one before it in event time, when it is the newest
 * so far (see {@link Energy}); a late reading adds none.
 *
 * <p>Work per reading: a reading in the newest minute, nearly every one, updates that minute's bucket
 * and the all-time stats only. The minute is merged into its hour and day once, when a reading in a later
 * minute closes it; until then they answer with it merged in. A late reading updates each of its buckets.
 * Answers are those of updating every resolution at each reading, up to rounding in the last digits.
 *
 * <p>Changes: {@link #takeChanges()} gives what changed since it was last called (the all-time
 * figures, each bucket put, each bucket that left retention after being taken once), so that a snapshot
 * writes only that.
 *
 * <p>Memory is bounded: each resolution holds at most {@link Retention#maxBuckets} buckets. Thread
 * safe: one lock per series, held for a reading or a query.
 */
public final class Series {

    // values() makes a new array at each call; this is read for every reading.
    private static final Resolution[] RESOLUTIONS = Resolution.values();
    /** The resolutions a closed minute is merged into. */
    private static final Resolution[] ROLLED_UP = {Resolution.HOUR, Resolution.DAY};
    /** No minute is open. */
    private static final long NONE = Long.MIN_VALUE;

    private final Duration maxGap;
    private final boolean integratesEnergy;
    private final Retention retention;
    /** By {@link Resolution#ordinal()}. */
    private final Buckets[] buckets = new Buckets[RESOLUTIONS.length];
    private final long[] tooLate = new long[RESOLUTIONS.length];
    private Stats allTime = Stats.empty();
    /** The all-time figures changed since the changes were last taken. */
    private boolean changed;
    /**
     * The start of the open minute, or {@link #NONE}: the minute of the newest reading, opened by the first
     * reading in it, whose readings and energy are held in it alone until a reading in a later minute closes
     * it, and are then merged into its hour and day. Until then those two answer with it merged in.
     */
    private long open = NONE;

    /**
     * A series whose energy is integrated (power).
     *
     * @param maxGap    energy is not integrated across a longer gap between two readings
     * @param retention how long buckets are kept
     */
    public Series(Duration maxGap, Retention retention) {
        this(maxGap, retention, true);
    }

    /**
     * @param maxGap           energy is not integrated across a longer gap between two readings
     * @param retention        how long buckets are kept
     * @param integratesEnergy whether readings are power, whose energy is integrated
     */
    public Series(Duration maxGap, Retention retention, boolean integratesEnergy) {
        this.maxGap = maxGap;
        this.integratesEnergy = integratesEnergy;
        this.retention = retention;
        for (Resolution resolution : RESOLUTIONS) {
            buckets[resolution.ordinal()] = new Buckets(resolution.millis(), retention.millis(resolution));
        }
    }

    /** Applies one reading. */
    public synchronized void apply(Instant timestamp, double value) {
        long at = timestamp.toEpochMilli();
        boolean first = allTime.isEmpty();
        long previousAt = allTime.lastAt();
        double previousValue = allTime.lastValue();
        double segmentWh = first || !integratesEnergy ? 0
                : Energy.segmentWh(previousAt, previousValue, at, value, maxGap);
        allTime = allTime.with(at, value, segmentWh);
        changed = true;
        long minute = Resolution.MINUTE.startOf(at);
        if (minute == open) {
            // The usual case: a reading in the newest minute, after the one before it in the same minute (or
            // late within it, with no energy). Both the reading and the segment go there, in one update, and
            // nowhere else: the minute reaches its hour and day when it closes.
            Buckets minutes = buckets[Resolution.MINUTE.ordinal()];
            minutes.put(minute, minutes.get(minute).with(at, value, segmentWh));
            return;
        }
        long newest = allTime.lastAt();
        if (first || minute > Resolution.MINUTE.startOf(previousAt)) {
            // The reading opens a newer minute, and the open one closes. (After a restore none is open: the
            // restored minute is in its hour and day, and a reading in it updates all three.)
            close(newest);
            open = minute;
        }
        // Energy in the reading's own minute, from a reading before it there: one update takes both.
        boolean energyHere = segmentWh > 0 && Resolution.MINUTE.startOf(previousAt) == minute;
        double wh = energyHere ? segmentWh : 0;
        for (Resolution resolution : RESOLUTIONS) {
            Buckets held = buckets[resolution.ordinal()];
            long start = resolution.startOf(at);
            if (start < held.oldestKept(newest)) {
                tooLate[resolution.ordinal()]++;
            } else if (resolution == Resolution.MINUTE || minute != open) {
                held.put(start, held.get(start).with(at, value, wh));
            } else {
                held.put(start, held.get(start)); // the open minute's hour and day exist from its first reading
            }
        }
        if (segmentWh > 0 && !energyHere) {
            Energy.split(previousAt, previousValue, at, value, Resolution.MINUTE, (bucket, part) -> addEnergy(bucket, part, newest));
        }
        for (Resolution resolution : RESOLUTIONS) {
            Buckets held = buckets[resolution.ordinal()];
            long oldestKept = held.oldestKept(newest);
            // Buckets fall out of retention only when the newest reading moves the limit on.
            if (first || oldestKept != held.oldestKept(previousAt)) {
                held.dropBefore(oldestKept);
            }
        }
    }

    /** Adds a minute's part of a segment's energy to that minute, and to its hour and day unless it is open. */
    private void addEnergy(long minute, double wh, long newest) {
        for (Resolution resolution : RESOLUTIONS) {
            Buckets held = buckets[resolution.ordinal()];
            long start = resolution.startOf(minute);
            if ((resolution == Resolution.MINUTE || minute != open) && start >= held.oldestKept(newest)) {
                held.put(start, held.get(start).plusEnergy(wh));
            }
        }
    }

    /** Merges the open minute into its hour and day, where they are retained while the newest reading is at {@code newest}. */
    private void close(long newest) {
        if (open == NONE) {
            return;
        }
        Buckets minutes = buckets[Resolution.MINUTE.ordinal()];
        Stats minute = minutes.get(open);
        // The hour and day already answered with the minute merged in: they changed only if it did since the
        // changes were last taken, else a snapshot would write them again as they are.
        boolean changedSinceTaken = minutes.isChanged(open);
        for (Resolution resolution : ROLLED_UP) {
            Buckets held = buckets[resolution.ordinal()];
            long start = resolution.startOf(open);
            if (start >= held.oldestKept(newest)) {
                Stats merged = held.get(start).merge(minute);
                if (changedSinceTaken) {
                    held.put(start, merged);
                } else {
                    held.replace(start, merged);
                }
            }
        }
        open = NONE;
    }

    /** A bucket's stats as answered: those held, and for the open minute's hour and day, that minute's too. */
    private Stats visible(Resolution resolution, long start, Stats held) {
        if (resolution == Resolution.MINUTE || open == NONE || resolution.startOf(open) != start) {
            return held;
        }
        return held.merge(buckets[Resolution.MINUTE.ordinal()].get(open));
    }

    public synchronized Stats allTime() {
        return allTime;
    }

    /**
     * The buckets of one resolution that start in {@code [from, to)}, in time order, at most {@code limit}.
     */
    public synchronized List<Bucket> buckets(Resolution resolution, Instant from, Instant to, int limit) {
        Buckets held = buckets[resolution.ordinal()];
        long end = to.toEpochMilli();
        List<Bucket> result = new ArrayList<>();
        for (int i = held.ceiling(resolution.startOf(from.toEpochMilli())); i < held.size() && held.start(i) < end
                && result.size() < limit; i++) {
            result.add(bucket(resolution, held, i));
        }
        return result;
    }

    /** Every bucket of one resolution, in time order. */
    public synchronized List<Bucket> buckets(Resolution resolution) {
        Buckets held = buckets[resolution.ordinal()];
        List<Bucket> result = new ArrayList<>(held.size());
        for (int i = 0; i < held.size(); i++) {
            result.add(bucket(resolution, held, i));
        }
        return result;
    }

    /**
     * The stats of the last {@code length} of event time, ending at the newest reading, merged from whole
     * buckets of the finest resolution that retains such a window: from the start of the bucket holding
     * {@code newest - length}, so up to one bucket more than asked, never less.
     *
     * @return empty if the series has no reading or no resolution retains a window this long
     */
    public synchronized Optional<Window> window(Duration length) {
        if (allTime.isEmpty()) {
            return Optional.empty();
        }
        return retention.finestCovering(length).map(resolution -> {
            Instant newest = Instant.ofEpochMilli(allTime.lastAt());
            long from = resolution.startOf(newest.minus(length).toEpochMilli());
            Stats merged = Stats.empty();
            Buckets held = buckets[resolution.ordinal()];
            for (int i = held.ceiling(from); i < held.size(); i++) {
                merged = merged.merge(visible(resolution, held.start(i), held.stats(i)));
            }
            return new Window(resolution, Instant.ofEpochMilli(from), newest, merged);
        });
    }

    /** How many buckets of a resolution are held now. */
    public synchronized int bucketCount(Resolution resolution) {
        return buckets[resolution.ordinal()].size();
    }

    /** How many readings were too old for any retained bucket of a resolution. */
    public synchronized long tooLate(Resolution resolution) {
        return tooLate[resolution.ordinal()];
    }

    /** The all-time stats and the counts of late readings, as they are now. */
    public synchronized Summary summary() {
        return new Summary(allTime, tooLate.clone());
    }

    /**
     * What changed since the last call: the summary, if anything changed at all, each bucket put since
     * (with its stats now) and each bucket that left retention after it was taken once (with null stats).
     * From then on they count as taken: a bucket taken once leaves with a change of its own.
     *
     * @return empty if nothing changed
     */
    public synchronized Optional<Changes> takeChanges() {
        if (!changed && !anyBucketChanged()) {
            return Optional.empty();
        }
        if (open != NONE && buckets[Resolution.MINUTE.ordinal()].isChanged(open)) {
            for (Resolution resolution : ROLLED_UP) {
                buckets[resolution.ordinal()].markChanged(resolution.startOf(open));
            }
        }
        List<Change> taken = new ArrayList<>(4);
        for (Resolution resolution : RESOLUTIONS) {
            buckets[resolution.ordinal()].takeChanged((start, stats) -> taken.add(new Change(resolution, start,
                    stats == null ? null : visible(resolution, start, stats))));
        }
        changed = false;
        return Optional.of(new Changes(new Summary(allTime, tooLate.clone()), taken));
    }

    /** Counts what these changes held as changed again: the save that took them did not happen. */
    public synchronized void unsaved(Changes changes) {
        changed = true;
        for (Change change : changes.buckets()) {
            buckets[change.resolution().ordinal()].unsaved(change.start());
        }
    }

    /** Counts everything held as changed, so that the next changes hold the whole series. */
    public synchronized void changeAll() {
        changed = true;
        for (Buckets held : buckets) {
            held.changeAll();
        }
    }

    /** Sets the all-time figures as a snapshot has them; not a change. */
    public synchronized void restore(Summary summary) {
        close(allTime.lastAt());
        allTime = summary.allTime();
        System.arraycopy(summary.tooLate(), 0, tooLate, 0, tooLate.length);
    }

    /** Sets a bucket as a snapshot has it, or removes it for {@code null} stats; not a change. */
    public synchronized void restore(Resolution resolution, long start, Stats stats) {
        close(allTime.lastAt());
        Buckets held = buckets[resolution.ordinal()];
        if (stats == null) {
            held.remove(start);
        } else {
            held.putSaved(start, stats);
        }
    }

    private Bucket bucket(Resolution resolution, Buckets held, int index) {
        long start = held.start(index);
        return new Bucket(resolution, Instant.ofEpochMilli(start), visible(resolution, start, held.stats(index)));
    }

    private boolean anyBucketChanged() {
        for (Buckets held : buckets) {
            if (held.hasChanges()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The all-time stats of a series and how many of its readings were too late for each resolution.
     *
     * @param tooLate by {@link Resolution#ordinal()}
     */
    public record Summary(Stats allTime, long[] tooLate) {

        public Summary {
            if (tooLate.length != RESOLUTIONS.length) {
                throw new IllegalArgumentException("one late count per resolution, got " + tooLate.length);
            }
        }

        public long tooLate(Resolution resolution) {
            return tooLate[resolution.ordinal()];
        }
    }

    /** A bucket that changed: its stats now, or {@code null} if it left retention. */
    public record Change(Resolution resolution, long start, Stats stats) {
    }

    /** What changed in a series since its changes were last taken. */
    public record Changes(Summary summary, List<Change> buckets) {
    }

    /** One time bucket: {@code [start, start + resolution)}. */
    public record Bucket(Resolution resolution, Instant start, Stats stats) {

        public Instant end() {
            return start.plus(resolution.width());
        }
    }

    /** The stats of a window of event time, {@code [from, to]}, and the resolution it was merged from. */
    public record Window(Resolution resolution, Instant from, Instant to, Stats stats) {
    }
}

package io.telemetry.monitor.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <p>Memory is bounded: each resolution holds at most {@link Retention#maxBuckets} buckets. Thread
 * safe: one lock per series, held for a reading or a query.
 */
public final class Series {

    // values() makes a new array at each call; this is read for every reading.
    private static final Resolution[] RESOLUTIONS = Resolution.values();

    /** The layout of {@link #snapshotIfChanged()}'s bytes; a change of layout gets a new number. */
    private static final byte SNAPSHOT_FORMAT = 1;

    private final Duration maxGap;
    private final boolean integratesEnergy;
    private final Retention retention;
    /** By {@link Resolution#ordinal()}. */
    private final Buckets[] buckets = new Buckets[RESOLUTIONS.length];
    private final long[] tooLate = new long[RESOLUTIONS.length];
    private Stats allTime = Stats.empty();
    private long appliedOffset = -1;
    private boolean dirty;
    /** When this monitor process last applied a reading of the series (wall clock, epoch ms); none yet: MIN_VALUE. */
    private volatile long heardAt = Long.MIN_VALUE;

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

    /**
     * Applies the reading at {@code offset} of this series' Kafka partition, unless a reading at that
     * offset or a later one has been applied already: redelivered records count once.
     *
     * @return whether it was applied
     */
    public synchronized boolean apply(Instant timestamp, double value, long offset) {
        if (offset <= appliedOffset) {
            return false;
        }
        apply(timestamp, value);
        appliedOffset = offset;
        dirty = true;
        return true;
    }

    /** The offset of the last record applied to this series, -1 if none was applied by offset. */
    public synchronized long appliedOffset() {
        return appliedOffset;
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
        long newest = allTime.lastAt();
        for (Resolution resolution : RESOLUTIONS) {
            Buckets held = buckets[resolution.ordinal()];
            long oldestKept = held.oldestKept(newest);
            long start = resolution.startOf(at);
            // The usual case, a reading after the previous one in the same bucket: its energy goes there
            // too, so one update of the bucket takes both.
            boolean energyHere = segmentWh > 0 && resolution.startOf(previousAt) == start;
            double wh = energyHere ? segmentWh : 0;
            if (start >= oldestKept) {
                held.put(start, held.get(start).with(at, value, wh));
            } else {
                tooLate[resolution.ordinal()]++;
            }
            if (segmentWh > 0 && !energyHere) {
                Energy.split(previousAt, previousValue, at, value, resolution, (bucket, part) -> {
                    if (bucket >= oldestKept) {
                        held.put(bucket, held.get(bucket).plusEnergy(part));
                    }
                });
            }
            // Buckets fall out of retention only when the newest reading moves the limit on.
            if (first || oldestKept != held.oldestKept(previousAt)) {
                held.dropBefore(oldestKept);
            }
        }
    }

    /** Notes that this monitor process applied a reading of the series at {@code epochMillis} (wall clock). */
    public void heard(long epochMillis) {
        heardAt = epochMillis;
    }

    /** When this monitor process last applied a reading of the series (epoch ms); {@code Long.MIN_VALUE} if never. */
    public long heardAt() {
        return heardAt;
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
            result.add(new Bucket(resolution, Instant.ofEpochMilli(held.start(i)), held.stats(i)));
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
                merged = merged.merge(held.stats(i));
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

    /**
     * The whole state of this series as bytes, if it changed since the last call; the
     * {@link #appliedOffset()} in it says which records it includes.
     *
     * @return empty if nothing was applied since the last snapshot
     */
    public synchronized Optional<byte[]> snapshotIfChanged() {
        if (!dirty) {
            return Optional.empty();
        }
        dirty = false;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SNAPSHOT_FORMAT);
            out.writeLong(appliedOffset);
            write(out, allTime);
            for (Resolution resolution : RESOLUTIONS) {
                out.writeLong(tooLate[resolution.ordinal()]);
                Buckets held = buckets[resolution.ordinal()];
                out.writeInt(held.size());
                for (int i = 0; i < held.size(); i++) {
                    out.writeLong(held.start(i));
                    write(out, held.stats(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(bytes.toByteArray());
    }

    /** Marks the series changed, so that the next snapshot saves it again (after a failed save). */
    public synchronized void markChanged() {
        dirty = true;
    }

    /**
     * A series as it was when {@link #snapshotIfChanged()} wrote these bytes.
     *
     * @throws IllegalArgumentException if the bytes are not a snapshot of a known format
     */
    public static Series restore(byte[] snapshot, Duration maxGap, Retention retention, boolean integratesEnergy) {
        Series series = new Series(maxGap, retention, integratesEnergy);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte format = in.readByte();
            if (format != SNAPSHOT_FORMAT) {
                throw new IllegalArgumentException("unknown series snapshot format " + format);
            }
            series.appliedOffset = in.readLong();
            series.allTime = read(in);
            for (Resolution resolution : RESOLUTIONS) {
                series.tooLate[resolution.ordinal()] = in.readLong();
                Buckets held = series.buckets[resolution.ordinal()];
                for (int i = in.readInt(); i > 0; i--) {
                    held.put(in.readLong(), read(in));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated series snapshot", e);
        }
        return series;
    }

    private static void write(DataOutputStream out, Stats stats) throws IOException {
        out.writeLong(stats.count());
        out.writeDouble(stats.min());
        out.writeDouble(stats.max());
        out.writeDouble(stats.mean());
        out.writeDouble(stats.m2());
        out.writeLong(stats.firstAt());
        out.writeDouble(stats.firstValue());
        out.writeLong(stats.lastAt());
        out.writeDouble(stats.lastValue());
        out.writeDouble(stats.energyWh());
    }

    private static Stats read(DataInputStream in) throws IOException {
        return new Stats(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(),
                in.readDouble(), in.readLong(), in.readDouble(), in.readDouble());
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

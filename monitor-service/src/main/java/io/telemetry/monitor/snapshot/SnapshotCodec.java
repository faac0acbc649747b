package io.telemetry.monitor.snapshot;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

import io.telemetry.monitor.stats.Resolution;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

/**
 * The records of the snapshot topic, a changelog of each partition's state: keys and values, written and
 * read. Keys are UTF-8 text, one per thing that changes on its own:
 *
 * <ul>
 * <li>{@code m|<topic>|<partition>}: the partition's <b>marker</b>, 8 bytes: the offset through which
 * every record of the partition is in the snapshot;</li>
 * <li>{@code s|<topic>|<partition>|<channel>|<deviceId>}: a series' <b>header</b>, its all-time stats, its
 * late counts and the offset of the last record in it;</li>
 * <li>{@code b|<topic>|<partition>|<channel>|<deviceId>|<r><n>}: one <b>bucket</b> of a series, {@code r}
 * its resolution ({@code m}inute, {@code h}our, {@code d}ay) and {@code n} its start in those units since
 * the epoch ({@code m28575960} is 2024-05-01T10:00Z); a bucket that left retention gets a tombstone.</li>
 * </ul>
 * Device ids and topic names cannot hold {@code |}.
 *
 * <p>Values begin with their format. Format 2 (this one) writes each part of a series under its own key;
 * format 1, the previous monitor's, wrote a whole series, buckets included, under its header key: it is
 * still read, so that a topic written before an upgrade restores (and is then written in format 2).
 * Numbers are compact: counts and times as variable-length integers, times of a bucket's readings from
 * the bucket's start, and the doubles a bucket's stats share (one reading's min, max, mean, first and
 * last) once; every double is kept bit for bit.
 */
final class SnapshotCodec {

    /** The layout of a format-1 value, the previous monitor's whole series. */
    static final byte WHOLE_SERIES = 1;
    /** The layout of this monitor's headers and buckets. */
    static final byte CHANGELOG = 2;

    private static final char MARKER = 'm';
    private static final char HEADER = 's';
    private static final char BUCKET = 'b';

    // The layout of one Stats: a flags byte, then what the flags do not make redundant.
    private static final int EMPTY = 1;        // no reading: only the energy, if any
    private static final int ONE = 1 << 1;     // one reading: its time and value stand for everything
    private static final int ENERGY = 1 << 2;  // energy is not 0
    private static final int MIN_IS_FIRST = 1 << 3;
    private static final int MIN_IS_LAST = 1 << 4;
    private static final int MAX_IS_FIRST = 1 << 5;
    private static final int MAX_IS_LAST = 1 << 6;

    private static final Resolution[] RESOLUTIONS = Resolution.values();

    private SnapshotCodec() {
    }

    /** A decoded record of the snapshot topic. */
    sealed interface Entry {
        TopicPartition partition();
    }

    /** Every record of the partition through {@code offset} is in the snapshot ({@code -1}: a deleted marker). */
    record Marker(TopicPartition partition, long offset) implements Entry {
    }

    /** A series' all-time figures, with the offset of the last record in them. */
    record Header(TopicPartition partition, SeriesKey key, long appliedOffset, Series.Summary summary) implements Entry {
    }

    /** A series deleted (a tombstone under its header key): it and its buckets are gone. */
    record SeriesDeleted(TopicPartition partition, SeriesKey key) implements Entry {
    }

    /** One bucket of a series; {@code stats} is null for a bucket that left retention. */
    record Bucket(TopicPartition partition, SeriesKey key, Resolution resolution, long start, Stats stats) implements Entry {
    }

    /** A whole series in format 1, buckets included: it replaces whatever the series had. */
    record WholeSeries(TopicPartition partition, SeriesKey key, long appliedOffset, Series.Summary summary,
            List<Series.Change> buckets) implements Entry {
    }

    static String markerKey(TopicPartition partition) {
        return MARKER + "|" + partition.topic() + "|" + partition.partition();
    }

    static String headerKey(TopicPartition partition, SeriesKey key) {
        return HEADER + "|" + partition.topic() + "|" + partition.partition() + "|" + key.channel().id() + "|" + key.deviceId();
    }

    static String bucketKey(TopicPartition partition, SeriesKey key, Resolution resolution, long start) {
        return BUCKET + "|" + partition.topic() + "|" + partition.partition() + "|" + key.channel().id() + "|"
                + key.deviceId() + "|" + letter(resolution) + (start / resolution.millis());
    }

    /**
     * A key of the snapshot topic, read as far as its partition: enough to skip the records of partitions
     * not wanted, and where the rest begins for {@link #decode(Key, byte[], SeriesKey)}.
     */
    record Key(String text, TopicPartition partition, int partitionEnd) {
    }

    /**
     * Reads a key as far as its partition, without decoding the rest.
     *
     * @throws IllegalArgumentException if it is not a key of the snapshot topic
     */
    static Key key(String text) {
        int topicEnd = text.length() < 5 || text.charAt(1) != '|' ? -1 : text.indexOf('|', 2);
        if (topicEnd < 0) {
            throw new IllegalArgumentException("not a key of the snapshot topic: '" + text + "'");
        }
        int partitionEnd = text.indexOf('|', topicEnd + 1);
        if (partitionEnd < 0) {
            partitionEnd = text.length();
        }
        try {
            int partition = Integer.parseInt(text, topicEnd + 1, partitionEnd, 10);
            return new Key(text, new TopicPartition(text.substring(2, topicEnd), partition), partitionEnd);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a key of the snapshot topic: '" + text + "'", e);
        }
    }

    /**
     * {@link #key(String)}, with the partition of {@code previous} when the key has the same: the keys of a
     * partition come in runs, and a record of the snapshot topic is read in about a microsecond.
     */
    static Key key(String text, Key previous) {
        if (previous != null) {
            int end = previous.partitionEnd();
            if (text.length() >= end && (text.length() == end || text.charAt(end) == '|') && text.length() > 1
                    && text.charAt(1) == '|' && text.regionMatches(2, previous.text(), 2, end - 2)) {
                return new Key(text, previous.partition(), end);
            }
        }
        return key(text);
    }

    static byte[] marker(long offset) {
        return ByteBuffer.allocate(Long.BYTES).putLong(offset).array();
    }

    static byte[] header(long appliedOffset, Series.Summary summary) {
        Writer out = new Writer(96);
        out.put(CHANGELOG);
        out.varLong(appliedOffset + 1); // -1 for none: 0
        writeStats(out, summary.allTime(), 0);
        for (Resolution resolution : RESOLUTIONS) {
            out.varLong(summary.tooLate(resolution));
        }
        return out.array();
    }

    static byte[] bucket(long start, Stats stats) {
        Writer out = new Writer(80);
        out.put(CHANGELOG);
        writeStats(out, stats, start);
        return out.array();
    }

    /**
     * @param value the record's value; {@code null} for a tombstone
     * @throws IllegalArgumentException if the key or the value cannot be read, saying why
     */
    static Entry decode(String key, byte[] value) {
        return decode(key(key), value, null);
    }

    /**
     * @param value    the record's value; {@code null} for a tombstone
     * @param previous the series of the record before, if any: given back for a record of the same series
     * @throws IllegalArgumentException if the key or the value cannot be read, saying why
     */
    static Entry decode(Key key, byte[] value, SeriesKey previous) {
        TopicPartition partition = key.partition();
        try {
            return switch (key.text().charAt(0)) {
                case MARKER -> {
                    if (key.partitionEnd() != key.text().length()) {
                        throw new IllegalArgumentException("a marker key has 3 parts");
                    }
                    yield new Marker(partition, value == null ? -1 : ByteBuffer.wrap(value).getLong());
                }
                case HEADER -> header(partition, seriesKey(key, 5, previous), value);
                case BUCKET -> bucket(partition, key, value, previous);
                default -> throw new IllegalArgumentException("unknown kind of key");
            };
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated value", e);
        }
    }

    private static Entry header(TopicPartition partition, SeriesKey key, byte[] value) {
        if (value == null) {
            return new SeriesDeleted(partition, key);
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        return switch (format) {
            case CHANGELOG -> {
                long appliedOffset = varLong(in) - 1;
                Stats allTime = readStats(in, 0);
                long[] tooLate = new long[RESOLUTIONS.length];
                for (int i = 0; i < tooLate.length; i++) {
                    tooLate[i] = varLong(in);
                }
                yield new Header(partition, key, appliedOffset, new Series.Summary(allTime, tooLate));
            }
            case WHOLE_SERIES -> wholeSeries(partition, key, in);
            default -> throw new IllegalArgumentException("unknown series snapshot format " + format);
        };
    }

    private static Entry bucket(TopicPartition partition, Key key, byte[] value, SeriesKey previous) {
        SeriesKey series = seriesKey(key, 6, previous);
        String text = key.text();
        String where = text.substring(text.lastIndexOf('|') + 1);
        if (where.length() < 2) {
            throw new IllegalArgumentException("no bucket start");
        }
        Resolution resolution = resolution(where.charAt(0));
        long start;
        try {
            start = Math.multiplyExact(Long.parseLong(where, 1, where.length(), 10), resolution.millis());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bucket start '" + where + "' is not a number of " + resolution + " buckets", e);
        }
        if (value == null) {
            return new Bucket(partition, series, resolution, start, null);
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        byte format = in.get();
        if (format != CHANGELOG) {
            throw new IllegalArgumentException("unknown bucket snapshot format " + format);
        }
        return new Bucket(partition, series, resolution, start, readStats(in, start));
    }

    /**
     * The channel and device of a header key (5 parts) or a bucket key (6); {@code previous} itself when it
     * names the same series (the records of a series' buckets come in runs).
     */
    private static SeriesKey seriesKey(Key key, int expected, SeriesKey previous) {
        String text = key.text();
        int channelEnd = key.partitionEnd() < text.length() ? text.indexOf('|', key.partitionEnd() + 1) : -1;
        int deviceEnd = channelEnd < 0 ? -1 : text.indexOf('|', channelEnd + 1);
        boolean parts = channelEnd >= 0 && (expected == 5 ? deviceEnd < 0
                : deviceEnd >= 0 && text.indexOf('|', deviceEnd + 1) < 0);
        if (!parts) {
            throw new IllegalArgumentException("a " + (expected == 5 ? "series" : "bucket") + " key has " + expected + " parts");
        }
        int channelStart = key.partitionEnd() + 1;
        int deviceStart = channelEnd + 1;
        int deviceLength = (deviceEnd < 0 ? text.length() : deviceEnd) - deviceStart;
        if (previous != null && previous.deviceId().length() == deviceLength
                && text.regionMatches(deviceStart, previous.deviceId(), 0, deviceLength)
                && previous.channel().id().length() == channelEnd - channelStart
                && text.regionMatches(channelStart, previous.channel().id(), 0, channelEnd - channelStart)) {
            return previous;
        }
        return new SeriesKey(text.substring(deviceStart, deviceStart + deviceLength),
                Channel.of(text.substring(channelStart, channelEnd)));
    }

    /** Format 1: the offset, all-time stats, and per resolution the late count and every bucket, in fixed widths. */
    private static WholeSeries wholeSeries(TopicPartition partition, SeriesKey key, ByteBuffer in) {
        long appliedOffset = in.getLong();
        Stats allTime = readFixedStats(in);
        long[] tooLate = new long[RESOLUTIONS.length];
        List<Series.Change> buckets = new ArrayList<>();
        for (Resolution resolution : RESOLUTIONS) {
            tooLate[resolution.ordinal()] = in.getLong();
            for (int i = in.getInt(); i > 0; i--) {
                buckets.add(new Series.Change(resolution, in.getLong(), readFixedStats(in)));
            }
        }
        return new WholeSeries(partition, key, appliedOffset, new Series.Summary(allTime, tooLate), buckets);
    }

    private static Stats readFixedStats(ByteBuffer in) {
        return new Stats(in.getLong(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(), in.getLong(),
                in.getDouble(), in.getLong(), in.getDouble(), in.getDouble());
    }

    private static void writeStats(Writer out, Stats stats, long base) {
        boolean energy = stats.energyWh() != 0;
        int flags = energy ? ENERGY : 0;
        if (stats.count() == 0 && same(stats, Stats.empty().plusEnergy(stats.energyWh()))) {
            out.put((byte) (flags | EMPTY));
        } else if (stats.count() == 1 && same(stats, Stats.empty().with(stats.firstAt(), stats.firstValue(), stats.energyWh()))) {
            out.put((byte) (flags | ONE));
            out.varLong(zigZag(stats.firstAt() - base));
            out.putDouble(stats.firstValue());
        } else {
            flags |= bits(stats.min(), stats.firstValue(), MIN_IS_FIRST) | bits(stats.min(), stats.lastValue(), MIN_IS_LAST)
                    | bits(stats.max(), stats.firstValue(), MAX_IS_FIRST) | bits(stats.max(), stats.lastValue(), MAX_IS_LAST);
            // Only one of each pair is needed, and the rest must not be taken for EMPTY or ONE.
            if ((flags & MIN_IS_FIRST) != 0) {
                flags &= ~MIN_IS_LAST;
            }
            if ((flags & MAX_IS_FIRST) != 0) {
                flags &= ~MAX_IS_LAST;
            }
            out.put((byte) flags);
            out.varLong(stats.count());
            out.varLong(zigZag(stats.firstAt() - base));
            out.varLong(zigZag(stats.lastAt() - stats.firstAt()));
            out.putDouble(stats.firstValue());
            out.putDouble(stats.lastValue());
            if ((flags & (MIN_IS_FIRST | MIN_IS_LAST)) == 0) {
                out.putDouble(stats.min());
            }
            if ((flags & (MAX_IS_FIRST | MAX_IS_LAST)) == 0) {
                out.putDouble(stats.max());
            }
            out.putDouble(stats.mean());
            out.putDouble(stats.m2());
        }
        if (energy) {
            out.putDouble(stats.energyWh());
        }
    }

    private static Stats readStats(ByteBuffer in, long base) {
        int flags = in.get();
        if ((flags & EMPTY) != 0) {
            return (flags & ENERGY) != 0 ? Stats.empty().plusEnergy(in.getDouble()) : Stats.empty();
        }
        if ((flags & ONE) != 0) {
            long at = base + unZigZag(varLong(in));
            double value = in.getDouble();
            return Stats.empty().with(at, value, (flags & ENERGY) != 0 ? in.getDouble() : 0);
        }
        long count = varLong(in);
        long firstAt = base + unZigZag(varLong(in));
        long lastAt = firstAt + unZigZag(varLong(in));
        double first = in.getDouble();
        double last = in.getDouble();
        double min = (flags & MIN_IS_FIRST) != 0 ? first : (flags & MIN_IS_LAST) != 0 ? last : in.getDouble();
        double max = (flags & MAX_IS_FIRST) != 0 ? first : (flags & MAX_IS_LAST) != 0 ? last : in.getDouble();
        double mean = in.getDouble();
        double m2 = in.getDouble();
        // Energy is written only when not 0, and 0 + e is e bit for bit: one object, as plusEnergy would give.
        double energy = (flags & ENERGY) != 0 ? in.getDouble() : 0;
        return new Stats(count, min, max, mean, m2, firstAt, first, lastAt, last, energy);
    }

    /** Equal bit for bit, every field: then the shorter layout gives back exactly these stats. */
    private static boolean same(Stats a, Stats b) {
        return a.count() == b.count() && bitsEqual(a.min(), b.min()) && bitsEqual(a.max(), b.max())
                && bitsEqual(a.mean(), b.mean()) && bitsEqual(a.m2(), b.m2()) && a.firstAt() == b.firstAt()
                && bitsEqual(a.firstValue(), b.firstValue()) && a.lastAt() == b.lastAt()
                && bitsEqual(a.lastValue(), b.lastValue()) && bitsEqual(a.energyWh(), b.energyWh());
    }

    private static int bits(double a, double b, int flag) {
        return bitsEqual(a, b) ? flag : 0;
    }

    private static boolean bitsEqual(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    private static char letter(Resolution resolution) {
        return switch (resolution) {
            case MINUTE -> 'm';
            case HOUR -> 'h';
            case DAY -> 'd';
        };
    }

    private static Resolution resolution(char letter) {
        return switch (letter) {
            case 'm' -> Resolution.MINUTE;
            case 'h' -> Resolution.HOUR;
            case 'd' -> Resolution.DAY;
            default -> throw new IllegalArgumentException("unknown bucket resolution '" + letter + "'");
        };
    }

    private static long zigZag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unZigZag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** An unsigned LEB128 number: 7 bits a byte, the high bit set on every byte but the last. */
    private static long varLong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a variable-length number longer than 10 bytes");
    }

    /** A growing buffer for one value. */
    private static final class Writer {
        ByteBuffer bytes;

        Writer(int capacity) {
            bytes = ByteBuffer.allocate(capacity);
        }

        void put(byte value) {
            ensure(1);
            bytes.put(value);
        }

        void putDouble(double value) {
            ensure(Double.BYTES);
            bytes.putDouble(value);
        }

        void varLong(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                bytes.put((byte) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            bytes.put((byte) value);
        }

        byte[] array() {
            byte[] out = new byte[bytes.position()];
            bytes.flip();
            bytes.get(out);
            return out;
        }

        private void ensure(int more) {
            if (bytes.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(bytes.capacity() * 2 + more);
                bytes.flip();
                bigger.put(bytes);
                bytes = bigger;
            }
        }
    }
}

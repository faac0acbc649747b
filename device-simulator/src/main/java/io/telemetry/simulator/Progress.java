package io.telemetry.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.telemetry.reading.Channel;

/**
 * What the simulator has done, per channel: readings read from the CSV, acknowledged by Kafka, refused
 * by Kafka, and bad rows skipped. Safe for concurrent updates; figures are read one by one.
 */
public final class Progress {

    private final long startNanos = System.nanoTime();
    private final Map<Channel, Counts> channels = new EnumMap<>(Channel.class);

    public Progress(Iterable<Channel> channels) {
        channels.forEach(channel -> this.channels.put(channel, new Counts()));
    }

    Counts of(Channel channel) {
        return channels.get(channel);
    }

    public Map<Channel, Counts> channels() {
        return channels;
    }

    public long sent() {
        return channels.values().stream().mapToLong(counts -> counts.sent.get()).sum();
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Every channel has read its whole file and had each reading acknowledged or refused. */
    public boolean done() {
        return channels.values().stream().allMatch(Counts::done);
    }

    /** Counters of one channel. */
    public static final class Counts {
        final AtomicLong read = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong badRows = new AtomicLong();
        volatile boolean endOfData;

        public long read() {
            return read.get();
        }

        public long sent() {
            return sent.get();
        }

        public long failed() {
            return failed.get();
        }

        public long badRows() {
            return badRows.get();
        }

        public boolean done() {
            return endOfData && sent.get() + failed.get() == read.get();
        }
    }
}

package io.telemetry.monitor.ingest;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.telemetry.reading.Channel;

/** Counts what ingestion did: readings applied and records refused, per channel. */
@Singleton
public class IngestStatus {

    private final Map<Channel, AtomicLong> applied = counters();
    private final Map<Channel, AtomicLong> rejected = counters();

    void countApplied(Channel channel, long count) {
        applied.get(channel).addAndGet(count);
    }

    void countRejected(Channel channel) {
        rejected.get(channel).incrementAndGet();
    }

    public long applied(Channel channel) {
        return applied.get(channel).get();
    }

    public long rejected(Channel channel) {
        return rejected.get(channel).get();
    }

    private static Map<Channel, AtomicLong> counters() {
        Map<Channel, AtomicLong> counters = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            counters.put(channel, new AtomicLong());
        }
        return counters;
    }
}

package io.telemetry.monitor.ingest;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.telemetry.reading.Channel;

/**
 * Counts what ingestion did, per channel: readings applied, records rejected (dead-lettered), records
 * skipped because they were already applied, and dead letters Kafka would not take. The same counts are
 * Prometheus counters ({@code monitor_readings_applied_total}, {@code monitor_records_rejected_total},
 * {@code monitor_records_duplicate_total}, {@code monitor_dead_letters_unsent_total}, tagged by channel).
 */
@Startup // its meters are in /q/metrics from the start, at 0
@Singleton
public class IngestStatus {

    private final Map<Channel, AtomicLong> applied = counters();
    private final Map<Channel, AtomicLong> rejected = counters();
    private final Map<Channel, AtomicLong> duplicates = counters();
    private final Map<Channel, AtomicLong> deadLettersUnsent = counters();

    public IngestStatus(MeterRegistry registry) {
        for (Channel channel : Channel.values()) {
            register(registry, "monitor.readings.applied", "readings folded into the aggregates", applied, channel);
            register(registry, "monitor.records.rejected", "records sent to the dead-letter topic", rejected, channel);
            register(registry, "monitor.records.duplicate", "records skipped as already applied", duplicates, channel);
            register(registry, "monitor.dead.letters.unsent", "rejected records whose dead letter Kafka would not take",
                    deadLettersUnsent, channel);
        }
    }

    void countApplied(Channel channel, long count) {
        applied.get(channel).addAndGet(count);
    }

    void countRejected(Channel channel) {
        rejected.get(channel).incrementAndGet();
    }

    void countDuplicates(Channel channel, long count) {
        duplicates.get(channel).addAndGet(count);
    }

    void countDeadLetterUnsent(Channel channel) {
        deadLettersUnsent.get(channel).incrementAndGet();
    }

    public long applied(Channel channel) {
        return applied.get(channel).get();
    }

    public long rejected(Channel channel) {
        return rejected.get(channel).get();
    }

    public long duplicates(Channel channel) {
        return duplicates.get(channel).get();
    }


    private static void register(MeterRegistry registry, String name, String description, Map<Channel, AtomicLong> counts,
            Channel channel) {
        FunctionCounter.builder(name, counts.get(channel), AtomicLong::get)
                .description(description)
                .tag("channel", channel.id())
                .register(registry);
    }

    private static Map<Channel, AtomicLong> counters() {
        Map<Channel, AtomicLong> counters = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            counters.put(channel, new AtomicLong());
        }
        return counters;
    }
}

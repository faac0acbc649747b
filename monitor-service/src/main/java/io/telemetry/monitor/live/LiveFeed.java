package io.telemetry.monitor.live;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Reading;

/**
 * Readings as they are applied, for whoever watches: each watcher gets its own stream that drops what
 * it cannot take in time, so a slow client never slows ingestion. Publishing costs nothing while nobody
 * watches. The number of watchers is the gauge {@code monitor_sse_clients}.
 */
@Startup // its meters are in /q/metrics from the start, at 0
@Singleton
public class LiveFeed {

    /** A reading and the all-time stats of its series once it was applied. */
    public record Applied(Reading reading, Stats stats) {
    }

    /** How many events wait for a watcher that is behind before newer ones are dropped for it. */
    static final int BEHIND = 32;

    private final BroadcastProcessor<Applied> processor = BroadcastProcessor.create();
    /** The publishing side, serialized: the temp and power consumers publish from threads of their own. */
    private final SerializedProcessor<Applied, Applied> publisher = processor.serialized();
    private final AtomicInteger watchers = new AtomicInteger();

    public LiveFeed(MeterRegistry registry) {
        Gauge.builder("monitor.sse.clients", watchers, AtomicInteger::get)
                .description("clients watching the live stream").register(registry);
    }

    /** Whether anybody watches: ingestion skips building events otherwise. */
    public boolean watched() {
        return watchers.get() > 0;
    }

    public void publish(Reading reading, Stats stats) {
        publisher.onNext(new Applied(reading, stats));
    }

    /**
     * A new watcher's stream of the readings it asked for: from now on, newest dropped while the watcher is
     * behind. The choice is made on the ingesting thread, before anything is dropped or handed over, so that a
     * watcher of one device never misses its readings for the traffic of the others.
     */
    public Multi<Applied> watch(Predicate<Applied> wanted) {
        return processor
                .onSubscription().invoke(watchers::incrementAndGet)
                .onTermination().invoke(watchers::decrementAndGet)
                .select().where(wanted)
                .onOverflow().drop()
                // Each watcher's events are written as JSON and sent on a worker thread: the ingesting thread
                // only hands them over, however many watchers there are and however slowly they read. At most
                // BEHIND events wait for a watcher: beyond, a live view would show old readings late
                // rather than new ones now.
                .emitOn(Infrastructure.getDefaultWorkerPool(), BEHIND);
    }
}

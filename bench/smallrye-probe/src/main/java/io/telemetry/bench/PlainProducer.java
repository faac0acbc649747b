package io.telemetry.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The emit benchmark's ceiling for the simulator's design: the same SmallRye Kafka sink (an
 * {@code @Outgoing Multi} of messages keyed by device, each acknowledged once Kafka has it, the
 * simulator's producer settings) fed one ready-made payload of the simulator's record size: no CSV,
 * no JSON. Counts from its start, as the simulator's summary does, and logs the same kind of line.
 */
@ApplicationScoped
public class PlainProducer {

    private static final Logger LOG = Logger.getLogger(PlainProducer.class);

    private final int count;
    private final byte[] payload;
    private final long start = System.nanoTime();
    private final AtomicLong acknowledged = new AtomicLong();

    public PlainProducer(@ConfigProperty(name = "probe.emit.count", defaultValue = "0") int count,
            @ConfigProperty(name = "probe.emit.record-size", defaultValue = "91") int recordSize) {
        this.count = count;
        this.payload = new byte[recordSize];
    }

    @Outgoing("records")
    public Multi<Message<byte[]>> records() {
        Metadata key = Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey("bench-sim").build());
        return Multi.createFrom().range(0, count).map(i -> Message.of(payload, key, this::acknowledged));
    }

    private CompletableFuture<Void> acknowledged() {
        if (acknowledged.incrementAndGet() == count) {
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.infof("Done: %d records in %.1f s (%.0f records/s)", count, seconds, count / seconds);
        }
        return CompletableFuture.completedFuture(null);
    }
}

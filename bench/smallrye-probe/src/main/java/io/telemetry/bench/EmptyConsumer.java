package io.telemetry.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The ingest benchmark's ceiling for the monitor's design: the same kind of SmallRye Kafka consumer (a
 * batch {@code @Incoming} method returning a {@code CompletionStage}, the monitor's poll size, tracing
 * and context-propagation settings) with nothing in its body but a count, and Kafka's byte-array
 * deserializer instead of the monitor's JSON one. Whatever separates it from
 * {@code ConsumerPerformance} is the framework's; whatever separates the monitor from it is the
 * monitor's own work.
 */
@ApplicationScoped
@Path("/count")
public class EmptyConsumer {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final AtomicLong count = new AtomicLong();

    @Incoming("readings")
    public CompletionStage<Void> count(ConsumerRecords<String, byte[]> records) {
        count.addAndGet(records.count());
        return DONE;
    }

    @GET
    public long count() {
        return count.get();
    }
}

package io.telemetry.bench;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.kafka.client.serialization.ObjectMapperSerde;

/**
 * What a user would write instead of the monitor, after the Quarkus kafka-streams quickstart's aggregator:
 * readings as JSON, {@code groupByKey().aggregate()} of count, sum, min, max and mean per device into a
 * persistent (RocksDB) store, every update to an output topic; Kafka Streams' defaults otherwise
 * (at-least-once, its record cache, commits every 30 s). {@code GET /count} says how many readings were
 * folded, for {@code bench/applied.py}.
 */
@ApplicationScoped
@Path("/count")
public class PeerTopology {

    static final String STORE = "per-device";

    private final AtomicLong folded = new AtomicLong();

    @ConfigProperty(name = "readings-topic", defaultValue = "power")
    String readingsTopic;

    @ConfigProperty(name = "aggregates-topic", defaultValue = "power-aggregates")
    String aggregatesTopic;

    @Produces
    public Topology topology() {
        ObjectMapperSerde<Reading> readings = new ObjectMapperSerde<>(Reading.class);
        ObjectMapperSerde<Aggregation> aggregations = new ObjectMapperSerde<>(Aggregation.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(readingsTopic, Consumed.with(Serdes.String(), readings))
                .groupByKey()
                .aggregate(Aggregation::new, (device, reading, aggregation) -> {
                    folded.incrementAndGet();
                    return aggregation.updateFrom(reading);
                }, Materialized.<String, Aggregation> as(Stores.persistentKeyValueStore(STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(aggregations))
                .toStream()
                .to(aggregatesTopic, Produced.with(Serdes.String(), aggregations));
        return builder.build();
    }

    @GET
    public long count() {
        return folded.get();
    }

    /** A reading as the simulators write it. */
    public record Reading(String deviceId, String channel, String timestamp, double value) {
    }

    /** The quickstart's aggregation: public fields, updated in place. */
    public static class Aggregation {
        public String deviceId;
        public long count;
        public double sum;
        public double min = Double.MAX_VALUE;
        public double max = -Double.MAX_VALUE;
        public double mean;

        Aggregation updateFrom(Reading reading) {
            deviceId = reading.deviceId();
            count++;
            sum += reading.value();
            min = Math.min(min, reading.value());
            max = Math.max(max, reading.value());
            mean = sum / count;
            return this;
        }
    }
}

package io.telemetry.monitor;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The monitor's own Kafka clients (snapshots, alert rules) beside the messaging channels, and sending on
 * an outgoing channel with an answer.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * Sends a message on an outgoing channel.
     *
     * @return completes once Kafka has the record, or exceptionally with the reason it refused it
     */
    public static <T> CompletableFuture<Void> send(Emitter<T> emitter, Message<T> message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        emitter.send(message
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return sent;
    }

    /**
     * @param kafka the application's {@code kafka.*} settings (security and the like, for a real cluster)
     * @return those settings with the brokers the channels use: {@code kafka.bootstrap.servers}, else the
     *         connector's setting, else Kafka's default (the {@code kafka.*} map lacks it when it is left at
     *         the default)
     */
    public static Map<String, Object> settings(Map<String, Object> kafka, Config config) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put("bootstrap.servers", config.getOptionalValue("kafka.bootstrap.servers", String.class)
                .or(() -> config.getOptionalValue("mp.messaging.connector.smallrye-kafka.bootstrap.servers", String.class))
                .orElse("localhost:9092"));
        return Map.copyOf(settings);
    }
}

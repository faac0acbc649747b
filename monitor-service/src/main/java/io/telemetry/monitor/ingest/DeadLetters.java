package io.telemetry.monitor.ingest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.telemetry.monitor.KafkaClients;

/**
 * Sends a refused record, unchanged, to {@code dead-letter-topic-<channel>}, with headers saying why
 * and where it came from (the header names of SmallRye's own dead-letter queue). Ingestion consumes in
 * batches, so it routes each bad record here itself instead of failing the batch, whose good records
 * must count.
 */
@ApplicationScoped
public class DeadLetters {

    /** The outgoing SmallRye channel; its topic is set per record. */
    public static final String CHANNEL = "dead-letters";
    public static final String TOPIC_PREFIX = "dead-letter-topic-";
    public static final String REASON = "dead-letter-reason";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";

    private final Emitter<byte[]> emitter;

    public DeadLetters(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16_384) Emitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** The dead-letter topic of a channel's topic. */
    public static String topicFor(io.telemetry.reading.Channel channel) {
        return TOPIC_PREFIX + channel.id();
    }

    /**
     * @return completes once Kafka has the dead letter, or exceptionally if it refused it or it could not be
     *         handed to the producer at all (a full buffer while Kafka is away)
     */
    public CompletionStage<Void> send(io.telemetry.reading.Channel channel, ConsumerRecord<String, DecodedValue> record,
            String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(reason));
        headers.add(TOPIC, utf8(record.topic()));
        headers.add(PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET, utf8(Long.toString(record.offset())));
        // No value at all (Kafka passes none to the deserializer) or a record without bytes: an empty one.
        byte[] value = record.value() == null ? null : record.value().bytes();
        try {
            return KafkaClients.send(emitter, Message.of(value == null ? new byte[0] : value)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String> builder()
                            .withTopic(topicFor(channel))
                            .withKey(record.key())
                            .withHeaders(headers)
                            .build()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

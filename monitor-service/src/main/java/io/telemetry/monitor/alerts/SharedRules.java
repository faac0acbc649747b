package io.telemetry.monitor.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.telemetry.monitor.CompactedTopic;
import io.telemetry.monitor.KafkaClients;
import io.telemetry.monitor.MonitorConfig;

/**
 * The alert rules every monitor of the group shares: a compacted topic, keyed by rule id, holding each
 * rule's JSON (a tombstone once deleted). Each monitor reads it whole, from the beginning, in a consumer
 * group of its own, and follows it; a rule posted to any monitor is written there first, so all of them
 * have it, and so does a monitor that starts later.
 */
@ApplicationScoped
public class SharedRules {

    /** The incoming channel that follows the rules topic, and the outgoing one that writes it. */
    public static final String CHANNEL = "alert-rules";
    public static final String OUT = "alert-rules-out";
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(SharedRules.class);

    private final Alerts alerts;
    private final Emitter<String> out;
    private final ObjectMapper json;
    private final String topic;
    private final Map<String, Object> kafka;
    private boolean topicReady;

    public SharedRules(Alerts alerts, @Channel(OUT) Emitter<String> out, ObjectMapper json, MonitorConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config appConfig) {
        this.alerts = alerts;
        this.out = out;
        this.json = json;
        this.topic = config.alerts().rulesTopic();
        this.kafka = KafkaClients.settings(kafka, appConfig);
    }

    /**
     * Creates the topic on a worker thread: the follower waits for it (it never has a consumer create it),
     * and start-up does not wait for Kafka.
     */
    void start(@Observes StartupEvent event) {
        Uni.createFrom().voidItem().runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).invoke(this::ensureTopic)
                .subscribe().with(created -> {
                }, e -> LOG.errorf("Alert rules cannot be shared between monitors yet (tried again at the next change): %s",
                        e.getMessage()));
    }

    /** Compacted: a rule unchanged for longer than a retention period must not vanish. Once per process. */
    private synchronized void ensureTopic() {
        if (!topicReady) {
            CompactedTopic.ensure(kafka, topic, 64 * 1024, Map.of(), "alert rules topic (MONITOR_ALERTS_RULES_TOPIC)");
            topicReady = true;
        }
    }

    /** Follows the rules topic. A record that is not a rule is logged and skipped. */
    @Incoming(CHANNEL)
    public CompletionStage<Void> follow(KafkaRecord<String, String> record) {
        String id = record.getKey();
        try {
            if (record.getPayload() == null) {
                alerts.unshared(id);
            } else {
                AlertRule rule = AlertRule.fromJson(json.readTree(record.getPayload()));
                if (!rule.id().equals(id)) {
                    throw new InvalidRuleException("id", "'" + rule.id() + "' under the key '" + id + "'");
                }
                alerts.shared(rule);
            }
        } catch (JsonProcessingException | InvalidRuleException e) {
            LOG.errorf("Skipped a record of the rules topic %s (key %s): %s", topic, id, e.getMessage());
        }
        return record.ack();
    }

    /**
     * Writes a rule to the rules topic, for every monitor.
     *
     * @throws IllegalStateException if Kafka did not take it in time
     */
    public void publish(AlertRule rule) {
        try {
            write(rule.id(), json.writeValueAsString(rule));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rule could not be written as JSON", e);
        }
    }

    /**
     * Writes the tombstone of a rule to the rules topic.
     *
     * @throws IllegalStateException if Kafka did not take it in time
     */
    public void delete(String id) {
        write(id, null);
    }

    private void write(String id, String value) {
        ensureTopic(); // never a first write that makes Kafka create the topic with its defaults
        try {
            KafkaClients.send(out, Message.of(value)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(id).build())).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused it: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not take it within " + PATIENCE.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

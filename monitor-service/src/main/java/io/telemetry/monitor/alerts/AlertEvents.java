package io.telemetry.monitor.alerts;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.telemetry.monitor.KafkaClients;
import io.telemetry.monitor.MonitorConfig;

/**
 * Where alert events go: the {@code alerts} topic (keyed by device), a bounded history, the live
 * stream, the log and the counter {@code monitor_alert_firings_total}. A failure to send is logged and
 * counted ({@code monitor_alert_events_unsent_total}), never thrown at whoever found the event.
 */
@ApplicationScoped
public class AlertEvents {

    /** The outgoing SmallRye channel to the {@code alerts} topic. */
    public static final String CHANNEL = "alerts";

    private static final Logger LOG = Logger.getLogger(AlertEvents.class);

    private final Counter unsent;
    private final Emitter<String> topic;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final int historySize;
    private final Deque<AlertEvent> history = new ArrayDeque<>();
    private final BroadcastProcessor<AlertEvent> live = BroadcastProcessor.create();
    /** The publishing side, serialized: events come from both channels' consumers and the silence check. */
    private final SerializedProcessor<AlertEvent, AlertEvent> publisher = live.serialized();

    public AlertEvents(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) Emitter<String> topic,
            ObjectMapper json, MeterRegistry registry, MonitorConfig config) {
        this.topic = topic;
        this.json = json;
        this.registry = registry;
        this.historySize = config.alerts().history();
        if (historySize < 1) {
            throw new IllegalArgumentException("MONITOR_ALERTS_HISTORY must be at least 1, got " + historySize);
        }
        this.unsent = Counter.builder("monitor.alert.events.unsent").description("alert events the alerts topic did not get")
                .register(registry);
    }

    /** The latest events, newest first, at most {@code limit}. */
    public List<AlertEvent> recent(int limit) {
        synchronized (history) {
            return history.stream().limit(limit).toList();
        }
    }

    /** Events from now on, for a live watcher; dropped for one that is behind. */
    public Multi<AlertEvent> watch() {
        return live.onOverflow().drop().emitOn(Infrastructure.getDefaultWorkerPool()); // off the ingesting thread
    }

    /** Each event, in order, to every place it goes. */
    void publish(List<AlertEvent> events) {
        for (AlertEvent event : events) {
            synchronized (history) {
                history.addFirst(event);
                if (history.size() > historySize) {
                    history.removeLast();
                }
            }
            LOG.infof("Alert %s %s: %s", event.rule(), event.state(), event.detail());
            if (event.firing()) {
                firings(event.rule()).increment();
            }
            send(event);
            publisher.onNext(event);
        }
    }

    /** The firings of a rule: {@code monitor_alert_firings_total{rule=…}}, at 0 from the rule's start. */
    Counter firings(String rule) {
        return Counter.builder("monitor.alert.firings").description("alert rules that fired").tag("rule", rule)
                .register(registry);
    }

    private void send(AlertEvent event) {
        try {
            KafkaClients.send(topic, Message.of(json.writeValueAsString(event))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.deviceId()).build()))
                    .exceptionally(failure -> {
                        unsent(event, failure);
                        return null;
                    });
        } catch (JsonProcessingException | RuntimeException e) { // e.g. the buffer full while Kafka is away
            unsent(event, e);
        }
    }

    private void unsent(AlertEvent event, Throwable failure) {
        unsent.increment();
        LOG.errorf("Alert event %s %s for %s not sent to the alerts topic: %s", event.rule(), event.state(),
                event.deviceId(), failure.getMessage());
    }
}

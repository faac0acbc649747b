package io.telemetry.monitor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Reading;

/**
 * The monitor's alerting: the rules (from configuration, then the REST API), their evaluation on each
 * applied reading and every second for silences, and where their events go: the {@code alerts} topic
 * (keyed by device), a bounded history, the live stream, the log and the counter
 * {@code monitor_alert_firings_total}.
 */
@ApplicationScoped
public class Alerts {

    /** The outgoing SmallRye channel to the {@code alerts} topic. */
    public static final String CHANNEL = "alerts";
    /** How often silences are looked for. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    private final AlertEngine engine = new AlertEngine(Clock.systemUTC());
    private final Aggregates aggregates;
    private final Emitter<String> topic;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final int historySize;
    private final Deque<AlertEvent> history = new ArrayDeque<>();
    private final BroadcastProcessor<AlertEvent> live = BroadcastProcessor.create();
    /** The publishing side, serialized: events come from both channels' consumers and the silence check. */
    private final SerializedProcessor<AlertEvent, AlertEvent> publisher = live.serialized();
    private ScheduledExecutorService timer;

    public Alerts(Aggregates aggregates, @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) Emitter<String> topic,
            ObjectMapper json, MeterRegistry registry, MonitorConfig config) {
        this.aggregates = aggregates;
        this.topic = topic;
        this.json = json;
        this.registry = registry;
        this.historySize = config.alerts().history();
        config.alerts().rules().filter(text -> !text.isBlank()).ifPresent(this::configure);
    }

    private void configure(String text) {
        List<AlertRule> rules;
        try {
            rules = AlertRule.listFromJson(json.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("MONITOR_ALERTS_RULES is not JSON: " + e.getOriginalMessage());
        } catch (InvalidRuleException e) {
            throw new IllegalArgumentException("MONITOR_ALERTS_RULES: " + e.getMessage());
        }
        rules.forEach(rule -> {
            engine.add(rule);
            firings(rule.id());
        });
        LOG.infof("Alert rules from configuration: %s", rules.stream().map(rule -> rule.id() + " (" + rule.describe() + ")").toList());
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "alert-silence-check");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkSilence, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void checkSilence() {
        try {
            publish(engine.checkSilence(channel -> {
                Map<String, Instant> last = new HashMap<>();
                for (Map.Entry<String, Stats> device : aggregates.channel(channel)) {
                    last.put(device.getKey(), Instant.ofEpochMilli(device.getValue().lastAt()));
                }
                return last;
            }));
        } catch (RuntimeException e) { // never let one failure end the schedule
            LOG.error("Looking for silent devices failed", e);
        }
    }

    /** Evaluates the rules on a reading just applied. */
    public void onReading(Reading reading) {
        List<AlertEvent> events = engine.onReading(reading);
        if (!events.isEmpty()) {
            publish(events);
        }
    }

    public List<AlertRule> rules() {
        return engine.rules();
    }

    public Optional<AlertRule> rule(String id) {
        return engine.rule(id);
    }

    /** @return false if a rule with that id exists already */
    public boolean add(AlertRule rule) {
        boolean added = engine.add(rule);
        if (added) {
            firings(rule.id());
            LOG.infof("Alert rule %s added: %s", rule.id(), rule.describe());
        }
        return added;
    }

    /** @return false if there was no such rule */
    public boolean remove(String id) {
        Optional<List<AlertEvent>> cleared = engine.remove(id);
        cleared.ifPresent(events -> {
            LOG.infof("Alert rule %s deleted", id);
            publish(events);
        });
        return cleared.isPresent();
    }

    /** The latest events, newest first, at most {@code limit}. */
    public synchronized List<AlertEvent> recent(int limit) {
        return history.stream().limit(limit).toList();
    }

    /** Events from now on, for a live watcher; dropped for one that is behind. */
    public Multi<AlertEvent> watch() {
        return live.onOverflow().drop();
    }

    private void publish(List<AlertEvent> events) {
        for (AlertEvent event : events) {
            synchronized (this) {
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
    private Counter firings(String rule) {
        return Counter.builder("monitor.alert.firings").description("alert rules that fired").tag("rule", rule)
                .register(registry);
    }

    private void send(AlertEvent event) {
        String value;
        try {
            value = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert event could not be written as JSON", e);
        }
        topic.send(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.deviceId()).build()));
    }
}

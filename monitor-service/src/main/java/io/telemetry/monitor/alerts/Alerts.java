package io.telemetry.monitor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.telemetry.monitor.KafkaClients;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.state.PartitionsReleased;
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

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    private final AlertEngine engine = new AlertEngine(Clock.systemUTC());
    private final HeldPartitions held;
    /** The ids of the rules from configuration: the rules topic neither replaces nor deletes them. */
    private final Set<String> configured = ConcurrentHashMap.newKeySet();
    private final Counter unsent;
    private final Emitter<String> topic;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final int historySize;
    private final Deque<AlertEvent> history = new ArrayDeque<>();
    private final BroadcastProcessor<AlertEvent> live = BroadcastProcessor.create();
    /** The publishing side, serialized: events come from both channels' consumers and the silence check. */
    private final SerializedProcessor<AlertEvent, AlertEvent> publisher = live.serialized();

    public Alerts(HeldPartitions held, @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) Emitter<String> topic,
            ObjectMapper json, MeterRegistry registry, MonitorConfig config) {
        this.held = held;
        this.topic = topic;
        this.json = json;
        this.registry = registry;
        this.historySize = config.alerts().history();
        if (historySize < 1) {
            throw new IllegalArgumentException("MONITOR_ALERTS_HISTORY must be at least 1, got " + historySize);
        }
        this.unsent = Counter.builder("monitor.alert.events.unsent").description("alert events the alerts topic did not get")
                .register(registry);
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
            configured.add(rule.id());
            firings(rule.id());
        });
        LOG.infof("Alert rules from configuration: %s", rules.stream().map(rule -> rule.id() + " (" + rule.describe() + ")").toList());
    }

    /** Every second, the devices silent for longer than a silence rule allows. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class) // not while the emitters are being wired
    void checkSilence() {
        try {
            // Gathered before taking the lock, which the consumers need for every reading a rule watches.
            // Only the series this monitor holds: the others are their owners' to watch.
            Map<io.telemetry.reading.Channel, Map<String, Instant>> newest = new EnumMap<>(io.telemetry.reading.Channel.class);
            engine.silenceChannels().forEach(channel -> newest.put(channel, new HashMap<>()));
            for (PartitionState partition : held.partitions()) {
                partition.series().forEach((key, series) -> {
                    Map<String, Instant> devices = newest.get(key.channel());
                    Stats stats = series.series().allTime();
                    if (devices != null && !stats.isEmpty()) {
                        devices.put(key.deviceId(), Instant.ofEpochMilli(stats.lastAt()));
                    }
                });
            }
            synchronized (this) {
                publish(engine.checkSilence(newest));
            }
        } catch (RuntimeException e) { // never let one failure end the schedule
            LOG.error("Looking for silent devices failed", e);
        }
    }

    /** Forgets the rules' state for series whose partition this monitor gave up. */
    void forget(@Observes PartitionsReleased released) {
        engine.forget(released.series());
    }

    /** Evaluates the rules on a reading just applied. */
    public void onReading(Reading reading) {
        if (engine.watches(reading.channel())) {
            synchronized (this) { // evaluated and published under one lock: a device's events stay in order
                publish(engine.onReading(reading));
            }
        }
    }

    public List<AlertRule> rules() {
        return engine.rules();
    }

    public Optional<AlertRule> rule(String id) {
        return engine.rule(id);
    }

    /** Whether the rule came from configuration ({@code MONITOR_ALERTS_RULES}). */
    public boolean configured(String id) {
        return configured.contains(id);
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
    public synchronized boolean remove(String id) {
        Optional<List<AlertEvent>> cleared = engine.remove(id);
        cleared.ifPresent(events -> {
            LOG.infof("Alert rule %s deleted", id);
            publish(events);
        });
        return cleared.isPresent();
    }

    /**
     * A rule as the rules topic has it now, written by this monitor or another: added, or replacing a
     * different one of the same id (whose alerts clear), or nothing if it is in force already. A rule
     * from configuration keeps its id.
     */
    public synchronized void shared(AlertRule rule) {
        if (configured(rule.id())) {
            LOG.warnf("Alert rule %s from the rules topic ignored: MONITOR_ALERTS_RULES sets a rule of that id", rule.id());
            return;
        }
        if (engine.rule(rule.id()).filter(rule::equals).isPresent()) {
            return;
        }
        remove(rule.id());
        add(rule);
    }

    /** A rule the rules topic no longer has (a tombstone), unless it comes from configuration. */
    public synchronized void unshared(String id) {
        if (!configured(id)) {
            remove(id);
        }
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

    private void publish(List<AlertEvent> events) {
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
    private Counter firings(String rule) {
        return Counter.builder("monitor.alert.firings").description("alert rules that fired").tag("rule", rule)
                .register(registry);
    }

    /** To the alerts topic; a failure is logged and counted, never thrown at the consumer that found the event. */
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

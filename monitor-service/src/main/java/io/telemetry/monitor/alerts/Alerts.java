package io.telemetry.monitor.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.state.PartitionsReleased;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * The monitor's alert rules (from configuration, then the REST API and the rules topic) and their
 * evaluation on each applied reading and, from {@link SilenceCheck}, for silences; their events go to
 * {@link AlertEvents}, under one lock with the evaluation, so that a device's events stay in order.
 */
@ApplicationScoped
public class Alerts {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    private final AlertEngine engine = new AlertEngine(Clock.systemUTC());
    /** The ids of the rules from configuration: the rules topic neither replaces nor deletes them. */
    private final Set<String> configured = ConcurrentHashMap.newKeySet();
    private final AlertEvents events;
    private final ObjectMapper json;

    public Alerts(AlertEvents events, ObjectMapper json, MonitorConfig config) {
        this.events = events;
        this.json = json;
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
            events.firings(rule.id());
        });
        LOG.infof("Alert rules from configuration: %s", rules.stream().map(rule -> rule.id() + " (" + rule.describe() + ")").toList());
    }

    /** The channels that silence rules watch. */
    Set<Channel> silenceChannels() {
        return engine.silenceChannels();
    }

    /**
     * @param newest for each channel of {@link #silenceChannels()}, the devices this monitor holds and the
     *               time of their newest reading
     */
    synchronized void checkSilence(Map<Channel, Map<String, Instant>> newest) {
        events.publish(engine.checkSilence(newest));
    }

    /** Forgets the rules' state for series whose partition this monitor gave up. */
    void forget(@Observes PartitionsReleased released) {
        engine.forget(released.series());
    }

    /** Evaluates the rules on a reading just applied. */
    public void onReading(Reading reading) {
        if (engine.watches(reading.channel())) {
            synchronized (this) { // evaluated and published under one lock: a device's events stay in order
                events.publish(engine.onReading(reading));
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
            events.firings(rule.id());
            LOG.infof("Alert rule %s added: %s", rule.id(), rule.describe());
        }
        return added;
    }

    /** @return false if there was no such rule */
    public synchronized boolean remove(String id) {
        Optional<List<AlertEvent>> cleared = engine.remove(id);
        cleared.ifPresent(gone -> {
            LOG.infof("Alert rule %s deleted", id);
            events.publish(gone);
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
}

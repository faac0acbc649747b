package io.telemetry.monitor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * Evaluates alert rules on event time, so that a replay at any speed fires at the same readings as the
 * live run did.
 *
 * <ul>
 * <li>A threshold rule is evaluated on each reading of its channel, in partition order.
 * <li>A silence that ends is found at the reading that ends it: when it comes more than the rule's
 * duration after the device's previous reading, the silence fires (dated its previous reading plus the
 * duration) and clears (dated this reading), however fast the readings are replayed.
 * <li>A silence that goes on is found by {@link #checkSilence}: the device's clock runs on from its newest
 * reading at the wall clock's pace while nothing of it arrives, so a device that stopped is silent once
 * nothing has come for the rule's duration. The event is dated the same as above.
 * </ul>
 *
 * <p>A plain class, free of Quarkus and Kafka; thread-safe.
 */
public final class AlertEngine {

    private record Key(String rule, String deviceId) {
    }

    private record DeviceChannel(String deviceId, Channel channel) {
    }

    /** A device's newest reading on a channel, and when it arrived. */
    private record Seen(Instant newest, Instant arrived) {
    }

    /** Where a threshold rule stands for one device: crossed since {@code since}, and whether it fired. */
    private static final class Hold {
        Instant since;
        boolean firing;
    }

    private final Clock clock;
    private final Map<String, AlertRule> rules = new LinkedHashMap<>();
    /** Per channel, its rules: read on every reading without a lock, replaced on change. */
    private volatile Map<Channel, List<AlertRule>> watching = new EnumMap<>(Channel.class);
    /** The newest reading of each device on each channel that a silence rule watches. */
    private final Map<DeviceChannel, Seen> lastSeen = new HashMap<>();
    private final Map<Key, Hold> holds = new HashMap<>();
    /** The silent devices of each silence rule, with the newest reading they had when it fired. */
    private final Map<Key, Instant> silent = new HashMap<>();

    /** @param clock the wall clock: when readings arrive */
    public AlertEngine(Clock clock) {
        this.clock = clock;
    }

    /** The rules, in the order they were added. */
    public synchronized List<AlertRule> rules() {
        return List.copyOf(rules.values());
    }

    public synchronized Optional<AlertRule> rule(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    /**
     * Adds a rule.
     *
     * @return false if a rule with its id exists (it is left as it was)
     */
    public synchronized boolean add(AlertRule rule) {
        if (rules.putIfAbsent(rule.id(), rule) != null) {
            return false;
        }
        indexThresholds();
        return true;
    }

    /**
     * Removes a rule; what it had firing clears.
     *
     * @return the clearing events, or empty if there was no such rule
     */
    public synchronized Optional<List<AlertEvent>> remove(String id) {
        Instant wallNow = clock.instant();
        AlertRule rule = rules.remove(id);
        if (rule == null) {
            return Optional.empty();
        }
        indexThresholds();
        List<AlertEvent> cleared = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Hold>> it = holds.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Hold> entry = it.next();
            if (entry.getKey().rule().equals(id)) {
                if (entry.getValue().firing) {
                    cleared.add(new AlertEvent(id, entry.getKey().deviceId(), rule.channelId(), AlertEvent.CLEARED,
                            wallNow, null, "rule " + id + " was deleted"));
                }
                it.remove();
            }
        }
        for (Iterator<Key> it = silent.keySet().iterator(); it.hasNext();) {
            Key key = it.next();
            if (key.rule().equals(id)) {
                cleared.add(new AlertEvent(id, key.deviceId(), rule.channelId(), AlertEvent.CLEARED, wallNow, null,
                        "rule " + id + " was deleted"));
                it.remove();
            }
        }
        return Optional.of(cleared);
    }

    private void indexThresholds() {
        Map<Channel, List<AlertRule>> index = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            index.put(channel, rules.values().stream().filter(rule -> rule.channel() == channel).toList());
        }
        watching = index;
    }

    /**
     * Evaluates the rules of a reading's channel on it, just after it was applied (each reading once, in
     * its partition's order): thresholds, and the end of a silence, or a whole silence between this
     * reading and the device's previous one, whatever the pace of the replay.
     *
     * @return the rules that fired or cleared at this reading; usually none
     */
    public List<AlertEvent> onReading(Reading reading) {
        List<AlertRule> candidates = watching.getOrDefault(reading.channel(), List.of());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<AlertEvent> events = new ArrayList<>(0);
        synchronized (this) {
            boolean looked = false;
            Instant previous = null;
            for (AlertRule rule : candidates) {
                if (!rule.watches(reading.deviceId())) {
                    continue;
                }
                if (rule.isSilence()) {
                    if (!looked) {
                        previous = seen(reading, clock.instant());
                        looked = true;
                    }
                    silenceEnds(rule, reading, previous, events);
                } else {
                    AlertEvent event = hold(rule, reading);
                    if (event != null) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }

    /** The device's newest reading on the channel before this one, if any; remembers this one if newer. */
    private Instant seen(Reading reading, Instant wallNow) {
        DeviceChannel key = new DeviceChannel(reading.deviceId(), reading.channel());
        Seen previous = lastSeen.get(key);
        if (previous == null || reading.timestamp().isAfter(previous.newest())) {
            lastSeen.put(key, new Seen(reading.timestamp(), wallNow));
        }
        return previous == null ? null : previous.newest();
    }

    private void silenceEnds(AlertRule rule, Reading reading, Instant previous, List<AlertEvent> events) {
        boolean wasSilent = silent.remove(new Key(rule.id(), reading.deviceId())) != null;
        if (!wasSilent && previous != null && reading.timestamp().isAfter(previous.plus(rule.silentFor()))) {
            events.add(silenceBegins(rule, reading.deviceId(), previous)); // a whole silence between two readings
            wasSilent = true;
        }
        if (wasSilent) {
            events.add(event(rule, reading, AlertEvent.CLEARED,
                    reading.deviceId() + " sends " + rule.channelId() + " readings again"));
        }
    }

    private static AlertEvent silenceBegins(AlertRule rule, String deviceId, Instant lastReading) {
        return new AlertEvent(rule.id(), deviceId, rule.channelId(), AlertEvent.FIRING, lastReading.plus(rule.silentFor()),
                null, deviceId + " sent no " + rule.channelId() + " reading for " + rule.silentFor() + " after " + lastReading);
    }

    private AlertEvent hold(AlertRule rule, Reading reading) {
        Key key = new Key(rule.id(), reading.deviceId());
        if (!rule.crossedBy(reading.value())) {
            Hold hold = holds.remove(key);
            return hold != null && hold.firing
                    ? event(rule, reading, AlertEvent.CLEARED, reading.deviceId() + " " + rule.channelId() + " back to "
                            + reading.value() + " " + rule.channel().unit())
                    : null;
        }
        Hold hold = holds.computeIfAbsent(key, k -> new Hold());
        if (hold.since == null) {
            hold.since = reading.timestamp();
        }
        if (hold.firing || Duration.between(hold.since, reading.timestamp()).compareTo(rule.hold()) < 0) {
            return null;
        }
        hold.firing = true;
        return event(rule, reading, AlertEvent.FIRING, reading.deviceId() + " " + rule.channelId() + " " + reading.value()
                + " " + rule.channel().unit() + ": " + rule.describe() + ", crossed since " + hold.since);
    }

    private static AlertEvent event(AlertRule rule, Reading reading, String state, String detail) {
        return new AlertEvent(rule.id(), reading.deviceId(), rule.channelId(), state, reading.timestamp(), reading.value(),
                detail);
    }

    /** The newest reading timestamp of each device of a channel: where silence is looked for. */
    public interface LastReadings {
        Map<String, Instant> of(Channel channel);
    }

    /**
     * Finds the devices that have gone silent: nothing of them arrived for a rule's duration. They come
     * back in {@link #onReading}. A device known only from {@code last} (restored from a snapshot) counts
     * as arrived when this first sees it.
     *
     * @param last the devices of each channel and their newest reading timestamps
     * @return the silences that began
     */
    public synchronized List<AlertEvent> checkSilence(LastReadings last) {
        Instant wallNow = clock.instant();
        List<AlertEvent> events = new ArrayList<>();
        Map<Channel, Map<String, Instant>> newest = new EnumMap<>(Channel.class);
        for (AlertRule rule : rules.values()) {
            if (!rule.isSilence()) {
                continue;
            }
            Map<String, Instant> devices = newest.computeIfAbsent(rule.channel(), last::of);
            Collection<String> watched = rule.device() == null ? devices.keySet()
                    : devices.containsKey(rule.device()) ? List.of(rule.device()) : List.of();
            for (String deviceId : watched) {
                Instant lastReading = devices.get(deviceId);
                Seen seen = lastSeen.compute(new DeviceChannel(deviceId, rule.channel()),
                        (k, held) -> held == null || lastReading.isAfter(held.newest()) ? new Seen(lastReading, wallNow) : held);
                Key key = new Key(rule.id(), deviceId);
                if (!silent.containsKey(key) && Duration.between(seen.arrived(), wallNow).compareTo(rule.silentFor()) > 0) {
                    silent.put(key, lastReading);
                    events.add(silenceBegins(rule, deviceId, lastReading));
                }
            }
        }
        return events;
    }
}

package io.telemetry.monitor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * Evaluates alert rules on event time, so that a replay at any speed fires at the same readings as the
 * live run did.
 *
 * <ul>
 * <li>A threshold rule is evaluated on each reading of its channel, in partition order; a reading older
 * than one already evaluated for the device (a late one) is left out.
 * <li>A silence that ends is found at the reading that ends it: when it comes more than the rule's
 * duration after the device's previous reading, the silence fires (dated its previous reading plus the
 * duration) and clears (dated this reading), however fast the readings are replayed.
 * <li>A silence that goes on is found by {@link #checkSilence}: when nothing of a device has arrived for
 * the rule's duration of wall time (a device that stopped sends no timestamps to go by). It is dated
 * the same way: its last reading plus the duration.
 * </ul>
 *
 * <p>A plain class, free of Quarkus and Kafka; thread-safe.
 */
public final class AlertEngine {

    /** The longest {@code for} or {@code silentFor} a rule may have. */
    public static final Duration LONGEST = Duration.ofDays(366);

    private record Key(String rule, String deviceId) {
    }

    private record DeviceChannel(String deviceId, Channel channel) {
    }

    /** A device's newest reading on a channel, and when it arrived. */
    private record Seen(Instant newest, Instant arrived) {
    }

    /** Where a threshold rule stands for one device. */
    private static final class Hold {
        /** The first reading of the current crossing, or null while not crossed. */
        Instant since;
        /** The newest reading evaluated. */
        Instant latest;
        boolean firing;
    }

    private final Clock clock;
    private final Map<String, AlertRule> rules = new LinkedHashMap<>();
    /** Per channel, its rules: read on every reading without a lock, replaced on change. */
    private volatile Map<Channel, List<AlertRule>> watching = new EnumMap<>(Channel.class);
    /** The newest reading of each device on each channel that a silence rule watches. */
    private final Map<DeviceChannel, Seen> lastSeen = new HashMap<>();
    private final Map<Key, Hold> holds = new HashMap<>();
    /** The devices each silence rule has found silent. */
    private final Set<Key> silent = new HashSet<>();

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

    /** Whether any rule watches this channel: when none does, a reading costs one lookup. */
    public boolean watches(Channel channel) {
        return !watching.getOrDefault(channel, List.of()).isEmpty();
    }

    /** The channels that silence rules watch. */
    public synchronized Set<Channel> silenceChannels() {
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        rules.values().stream().filter(AlertRule::isSilence).forEach(rule -> channels.add(rule.channel()));
        return channels;
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
        index();
        return true;
    }

    /**
     * Removes a rule; what it had firing clears, dated now (wall clock): no reading ends it.
     *
     * @return the clearing events, or empty if there was no such rule
     */
    public synchronized Optional<List<AlertEvent>> remove(String id) {
        AlertRule rule = rules.remove(id);
        if (rule == null) {
            return Optional.empty();
        }
        index();
        Instant now = clock.instant();
        List<AlertEvent> cleared = new ArrayList<>();
        holds.entrySet().removeIf(entry -> {
            if (!entry.getKey().rule().equals(id)) {
                return false;
            }
            if (entry.getValue().firing) {
                cleared.add(deleted(rule, entry.getKey().deviceId(), now));
            }
            return true;
        });
        silent.removeIf(key -> {
            if (!key.rule().equals(id)) {
                return false;
            }
            cleared.add(deleted(rule, key.deviceId(), now));
            return true;
        });
        if (!silenceChannels().contains(rule.channel())) { // nothing watches these arrivals any more
            lastSeen.keySet().removeIf(key -> key.channel() == rule.channel());
        }
        return Optional.of(cleared);
    }

    /**
     * Forgets where the rules stand for series this monitor no longer holds (their partition went to
     * another monitor), without an event: their new owner evaluates them from its next reading. Were a
     * threshold's state kept, a partition that comes back would find it still firing, and neither fire
     * again nor clear what it should.
     */
    public synchronized void forget(Collection<SeriesKey> series) {
        if (series.isEmpty()) {
            return;
        }
        Set<DeviceChannel> gone = new HashSet<>();
        series.forEach(key -> gone.add(new DeviceChannel(key.deviceId(), key.channel())));
        lastSeen.keySet().removeAll(gone);
        Predicate<Key> released = key -> gone.contains(new DeviceChannel(key.deviceId(), rules.get(key.rule()).channel()));
        holds.keySet().removeIf(released);
        silent.removeIf(released);
    }

    private static AlertEvent deleted(AlertRule rule, String deviceId, Instant now) {
        return new AlertEvent(rule.id(), deviceId, rule.channelId(), AlertEvent.CLEARED, now, null,
                "rule " + rule.id() + " was deleted");
    }

    private void index() {
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
    public synchronized List<AlertEvent> onReading(Reading reading) {
        List<AlertRule> candidates = watching.getOrDefault(reading.channel(), List.of());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<AlertEvent> events = new ArrayList<>(0);
        boolean looked = false;
        Instant previous = null;
        for (AlertRule rule : candidates) {
            if (!rule.watches(reading.deviceId())) {
                continue;
            }
            if (rule.isSilence()) {
                if (!looked) {
                    previous = seen(reading);
                    looked = true;
                }
                silenceEnds(rule, reading, previous, events);
            } else {
                hold(rule, reading, events);
            }
        }
        return events;
    }

    /** The device's newest reading on the channel before this one, if any; remembers this one if newer. */
    private Instant seen(Reading reading) {
        DeviceChannel key = new DeviceChannel(reading.deviceId(), reading.channel());
        Seen previous = lastSeen.get(key);
        if (previous == null || reading.timestamp().isAfter(previous.newest())) {
            lastSeen.put(key, new Seen(reading.timestamp(), clock.instant()));
        }
        return previous == null ? null : previous.newest();
    }

    private void silenceEnds(AlertRule rule, Reading reading, Instant previous, List<AlertEvent> events) {
        boolean wasSilent = silent.remove(new Key(rule.id(), reading.deviceId()));
        if (!wasSilent && previous != null
                && Duration.between(previous, reading.timestamp()).compareTo(rule.silentFor()) > 0) {
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

    private void hold(AlertRule rule, Reading reading, List<AlertEvent> events) {
        Key key = new Key(rule.id(), reading.deviceId());
        Hold hold = holds.computeIfAbsent(key, k -> new Hold());
        if (hold.latest != null && reading.timestamp().isBefore(hold.latest)) {
            return; // a late reading: the crossing is judged in event-time order
        }
        hold.latest = reading.timestamp();
        if (!rule.crossedBy(reading.value())) {
            hold.since = null;
            if (hold.firing) {
                hold.firing = false;
                events.add(event(rule, reading, AlertEvent.CLEARED,
                        reading.deviceId() + " " + rule.channelId() + " back to " + reading.value() + " " + rule.channel().unit()));
            }
            return;
        }
        if (hold.since == null) {
            hold.since = reading.timestamp();
        }
        if (!hold.firing && Duration.between(hold.since, reading.timestamp()).compareTo(rule.hold()) >= 0) {
            hold.firing = true;
            events.add(event(rule, reading, AlertEvent.FIRING, reading.deviceId() + " " + rule.channelId() + " "
                    + reading.value() + " " + rule.channel().unit() + ": " + rule.describe() + ", crossed since " + hold.since));
        }
    }

    private static AlertEvent event(AlertRule rule, Reading reading, String state, String detail) {
        return new AlertEvent(rule.id(), reading.deviceId(), rule.channelId(), state, reading.timestamp(), reading.value(),
                detail);
    }

    /**
     * Finds the devices that have gone silent: nothing of them arrived for a rule's duration. They come
     * back in {@link #onReading}. A device known only from {@code newest} (restored from a snapshot)
     * counts as arrived when this first sees it; a device missing from it (its partition went to another
     * monitor) is forgotten, without an event: its new owner watches it now.
     *
     * @param newest for each channel of {@link #silenceChannels()}, the devices this monitor holds and
     *               their newest reading timestamps
     * @return the silences that began
     */
    public synchronized List<AlertEvent> checkSilence(Map<Channel, Map<String, Instant>> newest) {
        Instant now = clock.instant();
        lastSeen.keySet().removeIf(key -> !newest.getOrDefault(key.channel(), Map.of()).containsKey(key.deviceId()));
        List<AlertEvent> events = new ArrayList<>();
        for (AlertRule rule : rules.values()) {
            if (!rule.isSilence()) {
                continue;
            }
            Map<String, Instant> devices = newest.getOrDefault(rule.channel(), Map.of());
            silent.removeIf(key -> key.rule().equals(rule.id()) && !devices.containsKey(key.deviceId()));
            for (Map.Entry<String, Instant> device : devices.entrySet()) {
                String deviceId = device.getKey();
                if (!rule.watches(deviceId)) {
                    continue;
                }
                Seen seen = lastSeen.compute(new DeviceChannel(deviceId, rule.channel()),
                        (k, held) -> held == null || device.getValue().isAfter(held.newest()) ? new Seen(device.getValue(), now)
                                : held);
                Key key = new Key(rule.id(), deviceId);
                if (!silent.contains(key) && Duration.between(seen.arrived(), now).compareTo(rule.silentFor()) > 0) {
                    silent.add(key);
                    events.add(silenceBegins(rule, deviceId, seen.newest()));
                }
            }
        }
        return events;
    }
}

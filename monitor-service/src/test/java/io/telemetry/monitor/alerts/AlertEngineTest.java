package io.telemetry.monitor.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.telemetry.monitor.TestClock;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** Rules evaluated on hand-made readings, with hand-checked firing points. */
class AlertEngineTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /** A wall clock the test moves. */
    final TestClock wall = new TestClock();
    final AlertEngine engine = new AlertEngine(wall);
    /** Every device's newest reading per channel, as the aggregates would tell it. */
    final Map<Channel, Map<String, Instant>> newest = new HashMap<>();

    static Reading temp(String device, long second, double value) {
        return new Reading(device, Channel.TEMP, T0.plusSeconds(second), value);
    }

    static Reading power(String device, long second, double value) {
        return new Reading(device, Channel.POWER, T0.plusSeconds(second), value);
    }

    static AlertRule above(String id, String device, double value, Duration hold) {
        return new AlertRule(id, device, Channel.TEMP, value, null, hold, null);
    }

    static AlertRule silence(String id, String device, Duration after) {
        return new AlertRule(id, device, Channel.POWER, null, null, null, after);
    }

    List<AlertEvent> apply(Reading reading) {
        newest.computeIfAbsent(reading.channel(), c -> new HashMap<>()).merge(reading.deviceId(), reading.timestamp(),
                (a, b) -> a.isAfter(b) ? a : b);
        return engine.onReading(reading);
    }

    List<AlertEvent> check() {
        return engine.checkSilence(newest);
    }

    @Test
    void aThresholdHeldForItsDurationFiresOnceAtTheReadingThatCompletesItAndClearsAtTheFirstOneBack() {
        engine.add(above("hot-wash", "washer", 70, Duration.ofSeconds(30)));
        List<AlertEvent> events = new ArrayList<>();
        // crossed from t=10 s; 30 s held at t=40 s; back below at t=60 s; crossed again at t=70 s, not held.
        double[] values = { 65, 71, 72, 73, 74, 75, 69, 71 };
        for (int i = 0; i < values.length; i++) {
            events.addAll(apply(temp("washer", 10L * i, values[i])));
        }

        assertThat(events).extracting(AlertEvent::state, AlertEvent::at, AlertEvent::value).containsExactly(
                tuple("firing", T0.plusSeconds(40), 74.0),
                tuple("cleared", T0.plusSeconds(60), 69.0));
        assertThat(events.get(0).rule()).isEqualTo("hot-wash");
        assertThat(events.get(0).deviceId()).isEqualTo("washer");
        assertThat(events.get(0).detail()).contains("crossed since " + T0.plusSeconds(10));
    }

    @Test
    void aCrossingInterruptedBeforeItsDurationStartsAgain() {
        engine.add(above("hot", null, 70, Duration.ofSeconds(30)));
        List<AlertEvent> events = new ArrayList<>();
        // 0..20 s crossed (20 s), 25 s back, 30..50 s crossed (20 s): never 30 s in a row.
        for (Reading reading : List.of(temp("w", 0, 71), temp("w", 20, 72), temp("w", 25, 60), temp("w", 30, 71),
                temp("w", 50, 72))) {
            events.addAll(apply(reading));
        }
        assertThat(events).isEmpty();
        assertThat(apply(temp("w", 60, 71))).extracting(AlertEvent::at).containsExactly(T0.plusSeconds(60));
    }

    @Test
    void withoutADeviceARuleWatchesEachDeviceOnItsOwnAndOnlyItsChannel() {
        engine.add(new AlertRule("cold", null, Channel.TEMP, null, 5.0, null, null));
        assertThat(apply(temp("a", 0, 4.5))).extracting(AlertEvent::deviceId).containsExactly("a");
        assertThat(apply(temp("b", 0, 5.0))).as("below is exclusive").isEmpty();
        assertThat(apply(temp("b", 10, 4.9))).extracting(AlertEvent::deviceId).containsExactly("b");
        assertThat(apply(temp("a", 10, 3))).as("already firing for a").isEmpty();
        assertThat(apply(power("a", 20, 1))).as("another channel").isEmpty();
    }

    @Test
    void aRuleForOneDeviceIgnoresTheOthers() {
        engine.add(above("hot", "washer", 70, Duration.ZERO));
        assertThat(apply(temp("ac", 0, 90))).isEmpty();
        assertThat(apply(temp("washer", 0, 90))).hasSize(1);
    }

    @Test
    void aDeviceThatStopsIsFoundSilentOnceNothingCameForTheDurationDatedItsLastReadingPlusTheDuration() {
        engine.add(silence("ac-offline", "ac", Duration.ofMinutes(5)));
        apply(power("ac", 0, 900));
        apply(power("ac", 10, 950));
        wall.pass(Duration.ofMinutes(5));
        assertThat(check()).as("exactly 5 min is not longer than 5 min").isEmpty();
        wall.pass(Duration.ofSeconds(1));

        List<AlertEvent> fired = check();

        assertThat(fired).extracting(AlertEvent::state, AlertEvent::deviceId, AlertEvent::at)
                .containsExactly(tuple("firing", "ac", T0.plusSeconds(10 + 300)));
        wall.pass(Duration.ofMinutes(1));
        assertThat(check()).as("fires once").isEmpty();
        assertThat(apply(power("ac", 900, 800))).extracting(AlertEvent::state, AlertEvent::at, AlertEvent::value)
                .containsExactly(tuple("cleared", T0.plusSeconds(900), 800.0));
    }

    @Test
    void aSilenceBetweenTwoReadingsIsFoundAtTheSecondOneHoweverFastTheyCame() {
        engine.add(silence("offline", null, Duration.ofMinutes(5)));
        apply(power("ac", 0, 900));
        assertThat(apply(power("ac", 300, 900))).as("a gap of exactly 5 min").isEmpty();

        List<AlertEvent> events = apply(power("ac", 601, 900)); // 301 s after the previous one, no wall time passed

        assertThat(events).extracting(AlertEvent::state, AlertEvent::at).containsExactly(
                tuple("firing", T0.plusSeconds(600)),
                tuple("cleared", T0.plusSeconds(601)));
    }

    @Test
    void aDeviceKnownOnlyFromASnapshotCountsFromWhenTheEngineFirstSawIt() {
        engine.add(silence("offline", null, Duration.ofMinutes(5)));
        newest.put(Channel.POWER, Map.of("restored", T0));
        assertThat(check()).isEmpty();
        wall.pass(Duration.ofMinutes(6));
        assertThat(check()).extracting(AlertEvent::deviceId, AlertEvent::at)
                .containsExactly(tuple("restored", T0.plusSeconds(300)));
    }

    @Test
    void aLateReadingDoesNotClearNorStartACrossing() {
        engine.add(above("hot", "w", 70, Duration.ZERO));
        assertThat(apply(temp("w", 100, 80))).extracting(AlertEvent::state).containsExactly("firing");
        assertThat(apply(temp("w", 50, 20))).as("older than the reading that fired").isEmpty();
        assertThat(apply(temp("w", 110, 20))).extracting(AlertEvent::state, AlertEvent::at)
                .containsExactly(tuple("cleared", T0.plusSeconds(110)));
    }

    @Test
    void aDeviceWhosePartitionWentElsewhereIsForgottenWithoutAnEvent() {
        engine.add(silence("offline", null, Duration.ofMinutes(5)));
        apply(power("moved", 0, 100));
        apply(power("held", 0, 100));
        wall.pass(Duration.ofMinutes(6));
        newest.get(Channel.POWER).remove("moved"); // no longer held by this monitor
        assertThat(check()).as("only the device still held").extracting(AlertEvent::deviceId).containsExactly("held");
        wall.pass(Duration.ofMinutes(6));
        assertThat(check()).isEmpty();
    }

    @Test
    void aFiringThresholdWhosePartitionLeftAndCameBackFiresAgainAndClearsNothingItDidNotFire() {
        engine.add(above("hot", null, 70, Duration.ZERO));
        assertThat(apply(temp("moved", 0, 80))).extracting(AlertEvent::state).containsExactly("firing");
        assertThat(apply(temp("stays", 0, 80))).extracting(AlertEvent::state).containsExactly("firing");

        engine.forget(List.of(new SeriesKey("moved", Channel.TEMP), new SeriesKey("moved", Channel.POWER)));

        // Back here later, still too hot: this monitor fires it again, as the other owner would have.
        assertThat(apply(temp("moved", 100, 85))).extracting(AlertEvent::state, AlertEvent::at)
                .containsExactly(tuple("firing", T0.plusSeconds(100)));
        assertThat(apply(temp("stays", 100, 85))).as("a series still held keeps its state").isEmpty();
        assertThat(apply(temp("stays", 110, 20))).extracting(AlertEvent::state).containsExactly("cleared");
    }

    @Test
    void aSilenceFoundForASeriesThatLeftIsForgotten() {
        engine.add(silence("offline", null, Duration.ofMinutes(5)));
        apply(power("moved", 0, 100));
        wall.pass(Duration.ofMinutes(6));
        assertThat(check()).extracting(AlertEvent::state).containsExactly("firing");

        engine.forget(List.of(new SeriesKey("moved", Channel.POWER)));

        assertThat(apply(power("moved", 400, 100))).as("no clearing of a silence its new owner may have found")
                .isEmpty();
    }

    @Test
    void deletingASilenceRuleClearsTheDevicesItFoundSilent() {
        engine.add(silence("offline", "ac", Duration.ofMinutes(5)));
        apply(power("ac", 0, 100));
        wall.pass(Duration.ofMinutes(6));
        assertThat(check()).hasSize(1);
        assertThat(engine.remove("offline").orElseThrow()).extracting(AlertEvent::state, AlertEvent::deviceId, AlertEvent::at)
                .containsExactly(tuple("cleared", "ac", wall.now));
        assertThat(apply(power("ac", 3600, 100))).as("nothing watches it now").isEmpty();
    }

    @Test
    void deletingARuleClearsWhatItHadFiringAndStopsIt() {
        engine.add(above("hot", null, 70, Duration.ZERO));
        apply(temp("w", 0, 80));
        List<AlertEvent> cleared = engine.remove("hot").orElseThrow();
        assertThat(cleared).extracting(AlertEvent::state, AlertEvent::deviceId).containsExactly(
                tuple("cleared", "w"));
        assertThat(apply(temp("w", 10, 90))).isEmpty();
        assertThat(engine.remove("hot")).isEmpty();
        assertThat(engine.add(above("hot", null, 70, Duration.ZERO))).isTrue();
        assertThat(engine.add(above("hot", null, 99, Duration.ZERO))).as("the id is taken").isFalse();
        assertThat(engine.rule("hot").orElseThrow().above()).isEqualTo(70.0);
    }

    /**
     * The same readings replayed at 1x and at 60x (wall time between them divided by 60), with the
     * silence check running every wall second, give the same events: event time decides, not pace. (In
     * real time the silence is found by the check while it lasts, at 60x by the reading that ends it, so
     * the two runs may list it at different places among the other device's events.)
     */
    @Test
    void aReplayAt60xFiresTheSameEventsAsRealTime() {
        List<Reading> readings = new ArrayList<>();
        for (int second = 0; second < 3600; second += 10) {
            boolean offline = second >= 1200 && second < 1800; // the AC sends nothing for 10 min
            if (!offline) {
                readings.add(power("ac", second, 1000 + (second % 600)));
            }
            readings.add(temp("washer", second, second % 300 < 120 ? 75 : 40)); // hot for 2 of every 5 min
        }

        List<AlertEvent> realTime = replay(readings, 1);
        List<AlertEvent> fast = replay(readings, 60);

        assertThat(fast).containsExactlyInAnyOrderElementsOf(realTime);
        assertThat(realTime).filteredOn(event -> event.rule().equals("ac-offline"))
                .extracting(AlertEvent::state, AlertEvent::at).containsExactly(
                        tuple("firing", T0.plusSeconds(1190 + 300)),
                        tuple("cleared", T0.plusSeconds(1800)));
        assertThat(realTime).filteredOn(event -> event.rule().equals("hot")).hasSize(24); // 12 five-minute cycles
    }

    private List<AlertEvent> replay(List<Reading> readings, int speed) {
        TestClock clock = new TestClock();
        AlertEngine replayed = new AlertEngine(clock);
        replayed.add(above("hot", "washer", 70, Duration.ofSeconds(60)));
        replayed.add(silence("ac-offline", "ac", Duration.ofMinutes(5)));
        Map<Channel, Map<String, Instant>> last = new HashMap<>();
        List<AlertEvent> events = new ArrayList<>();
        Instant previous = readings.get(0).timestamp();
        Instant nextCheck = clock.instant().plusSeconds(1);
        for (Reading reading : readings) {
            Instant due = clock.instant().plus(Duration.between(previous, reading.timestamp()).dividedBy(speed));
            while (!nextCheck.isAfter(due)) { // the silence check runs every wall second
                clock.now = nextCheck;
                events.addAll(replayed.checkSilence(last));
                nextCheck = nextCheck.plusSeconds(1);
            }
            clock.now = due;
            previous = reading.timestamp();
            last.computeIfAbsent(reading.channel(), c -> new HashMap<>()).put(reading.deviceId(), reading.timestamp());
            events.addAll(replayed.onReading(reading));
        }
        return events;
    }
}

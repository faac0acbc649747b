package io.telemetry.monitor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.telemetry.monitor.TestClock;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** When each device was last heard from: the wall-clock time of its latest applied reading, any channel. */
class AggregatesTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00.250Z"));
    private final Aggregates aggregates = new Aggregates(Duration.ofMinutes(5), Retention.DEFAULT, clock);

    @Test
    void aDeviceIsLastHeardAtItsLatestAppliedReadingOnAnyChannel() {
        assertThat(aggregates.lastHeard("ac")).isEmpty();
        aggregates.apply(new Reading("ac", Channel.POWER, T0, 1000), 0);
        assertThat(aggregates.lastHeard("ac")).contains(Instant.parse("2026-11-26T12:00:00.250Z"));

        clock.pass(Duration.ofSeconds(3));
        aggregates.apply(new Reading("ac", Channel.TEMP, T0, 21.5), 0);
        clock.pass(Duration.ofSeconds(4));
        assertThat(aggregates.lastHeard("ac")).contains(Instant.parse("2026-11-26T12:00:03.250Z"));

        // A redelivered record is not news from the device.
        aggregates.apply(new Reading("ac", Channel.POWER, T0, 1000), 0);
        assertThat(aggregates.lastHeard("ac")).contains(Instant.parse("2026-11-26T12:00:03.250Z"));
        assertThat(aggregates.lastHeard("fridge")).isEmpty();
    }

    @Test
    void aRestoredSeriesKeepsWhenThisMonitorLastHeardTheDevice() {
        Series elsewhere = new Series(Duration.ofMinutes(5), Retention.DEFAULT);
        elsewhere.apply(T0, 1000, 0);
        elsewhere.apply(T0.plusSeconds(10), 1200, 1);
        byte[] snapshot = elsewhere.snapshotIfChanged().orElseThrow();

        aggregates.apply(new Reading("ac", Channel.POWER, T0, 1000), 0);
        SeriesKey key = new SeriesKey("ac", Channel.POWER);
        aggregates.restore(key, aggregates.decode(key, snapshot));
        assertThat(aggregates.series(key).orElseThrow().allTime().count()).as("the snapshot, further on, replaced it")
                .isEqualTo(2);
        assertThat(aggregates.lastHeard("ac")).contains(Instant.parse("2026-11-26T12:00:00.250Z"));

        SeriesKey other = new SeriesKey("fridge", Channel.POWER);
        aggregates.restore(other, aggregates.decode(other, snapshot));
        assertThat(aggregates.lastHeard("fridge")).as("restored, not heard from since").isEmpty();
    }
}

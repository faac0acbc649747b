package io.telemetry.monitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.telemetry.monitor.TestClock;
import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** Offsets per series keep redeliveries out; a series is last heard at the wall-clock time of its latest applied reading. */
class PartitionStateTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final SeriesKey AC = new SeriesKey("ac", Channel.POWER);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00.250Z"));
    private final PartitionState state = new PartitionState(new TopicPartition("power", 0),
            new SeriesSettings(Duration.ofMinutes(5), Retention.DEFAULT), -1, () -> clock.millis());

    @Test
    void aSeriesIsLastHeardAtItsLatestAppliedReading() {
        state.apply(new Reading("ac", Channel.POWER, T0, 1000), 0);
        assertThat(state.series(AC).orElseThrow().heardAt()).isEqualTo(Instant.parse("2026-11-26T12:00:00.250Z").toEpochMilli());

        clock.pass(Duration.ofSeconds(3));
        state.apply(new Reading("ac", Channel.POWER, T0.plusSeconds(10), 1200), 1);
        clock.pass(Duration.ofSeconds(4));
        // A redelivered record is not news from the device, and is not counted again.
        assertThat(state.apply(new Reading("ac", Channel.POWER, T0, 1000), 0)).isNull();

        PartitionSeries series = state.series(AC).orElseThrow();
        assertThat(series.heardAt()).isEqualTo(Instant.parse("2026-11-26T12:00:03.250Z").toEpochMilli());
        assertThat(series.series().allTime().count()).isEqualTo(2);
        assertThat(series.appliedOffset()).isEqualTo(1);
    }
}

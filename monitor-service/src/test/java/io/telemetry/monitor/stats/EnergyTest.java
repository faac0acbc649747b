package io.telemetry.monitor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class EnergyTest {

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private static Point at(long seconds, double watts) {
        return new Point(T0.plusSeconds(seconds), watts);
    }

    private static double segmentWh(Point from, Point to) {
        return Energy.segmentWh(from.timestamp().toEpochMilli(), from.value(), to.timestamp().toEpochMilli(), to.value(),
                FIVE_MINUTES);
    }

    private static void split(Point from, Point to, Resolution resolution, Energy.Sink sink) {
        Energy.split(from.timestamp().toEpochMilli(), from.value(), to.timestamp().toEpochMilli(), to.value(), resolution,
                sink);
    }

    @Test
    void aSegmentIsTheTrapezoidBetweenItsReadings() {
        // 0 W to 600 W over 60 s: the average 300 W for a minute is 5 Wh.
        assertThat(segmentWh(at(0, 0), at(60, 600))).isCloseTo(5.0, within(1e-12));
    }

    @Test
    void aConstantLoadForAnHourIsItsPowerInWattHours() {
        double wh = 0;
        for (int second = 0; second < 3600; second += 10) {
            wh += segmentWh(at(second, 1000), at(second + 10, 1000));
        }

        assertThat(wh).isCloseTo(1000, within(1e-9));
    }

    @Test
    void aGapLongerThanTheMaximumCountsNothing() {
        assertThat(segmentWh(at(0, 100), at(301, 100))).isZero();
    }

    @Test
    void aGapOfExactlyTheMaximumIsIntegrated() {
        assertThat(segmentWh(at(0, 120), at(300, 120))).isCloseTo(10.0, within(1e-12));
    }

    @Test
    void readingsAtTheSameInstantOrBackwardsCountNothing() {
        assertThat(segmentWh(at(10, 100), at(10, 200))).isZero();
        assertThat(segmentWh(at(10, 100), at(5, 200))).isZero();
    }

    @Test
    void aSegmentAcrossAMinuteBoundaryIsCutWhereTheLineCrossesIt() {
        // 0 W at 00:00:30 to 600 W at 00:01:30: 300 W at 00:01:00. Before: 150 W for 30 s = 1.25 Wh; after: 450 W for 30 s = 3.75 Wh.
        Map<Long, Double> parts = new TreeMap<>();
        split(at(30, 0), at(90, 600), Resolution.MINUTE, (bucket, wh) -> parts.merge(bucket, wh, Double::sum));

        assertThat(parts).hasSize(2);
        assertThat(parts.get(T0.toEpochMilli())).isCloseTo(1.25, within(1e-12));
        assertThat(parts.get(T0.plusSeconds(60).toEpochMilli())).isCloseTo(3.75, within(1e-12));
    }

    @Test
    void aSegmentWithinOneBucketIsNotCut() {
        Map<Long, Double> parts = new TreeMap<>();
        split(at(3600, 100), at(3610, 300), Resolution.HOUR, (bucket, wh) -> parts.merge(bucket, wh, Double::sum));

        assertThat(parts).containsOnlyKeys(T0.plusSeconds(3600).toEpochMilli());
        assertThat(parts.get(T0.plusSeconds(3600).toEpochMilli())).isCloseTo(200.0 * 10 / 3600, within(1e-12));
    }

    @Test
    void thePartsOfASegmentSpanningSeveralBucketsAddUpToTheWhole() {
        Point from = at(50, 1000);
        Point to = at(290, 40); // spans minutes 0 to 4
        double[] total = { 0 };
        Map<Long, Double> parts = new TreeMap<>();
        split(from, to, Resolution.MINUTE, (bucket, wh) -> {
            parts.merge(bucket, wh, Double::sum);
            total[0] += wh;
        });

        assertThat(parts).hasSize(5);
        assertThat(total[0]).isCloseTo(segmentWh(from, to), within(1e-9));
    }
}

package io.telemetry.monitor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class StatsTest {

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private static Stats fold(double[][] secondsAndValues) {
        Stats stats = Stats.empty();
        for (double[] row : secondsAndValues) {
            stats = stats.with(T0.plusMillis((long) (row[0] * 1000)), row[1]);
        }
        return stats;
    }

    @Test
    void anEmptySeriesHasNoReadings() {
        Stats empty = Stats.empty();

        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.count()).isZero();
        assertThat(empty.first()).isNull();
        assertThat(empty.stddev()).isNaN();
    }

    @Test
    void aSingleReadingIsItsOwnMinMaxMeanFirstAndLast() {
        Stats stats = fold(new double[][] { { 0, 21.5 } });

        assertThat(stats.count()).isEqualTo(1);
        assertThat(stats.min()).isEqualTo(21.5);
        assertThat(stats.max()).isEqualTo(21.5);
        assertThat(stats.mean()).isEqualTo(21.5);
        assertThat(stats.stddev()).isZero();
        assertThat(stats.first()).isEqualTo(new Point(T0, 21.5));
        assertThat(stats.last()).isEqualTo(new Point(T0, 21.5));
        assertThat(stats.energyWh()).isZero();
    }

    @Test
    void allNegativeTemperaturesKeepTheirMaximum() {
        Stats stats = fold(new double[][] { { 0, -12.5 }, { 10, -3.25 }, { 20, -7.0 } });

        assertThat(stats.max()).isEqualTo(-3.25);
        assertThat(stats.min()).isEqualTo(-12.5);
        assertThat(stats.mean()).isCloseTo(-22.75 / 3, within(1e-12));
    }

    @Test
    void populationStandardDeviationOfAHandCheckedSeries() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, population variance 4.
        Stats stats = fold(new double[][] { { 0, 2 }, { 1, 4 }, { 2, 4 }, { 3, 4 }, { 4, 5 }, { 5, 5 }, { 6, 7 }, { 7, 9 } });

        assertThat(stats.mean()).isEqualTo(5.0);
        assertThat(stats.stddev()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void nanAndInfinityAreRefused() {
        Stats stats = Stats.empty();

        assertThatThrownBy(() -> stats.with(T0, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> stats.with(T0, Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
    }

    @Test
    void aLateReadingIsCountedButIsNotLast() {
        Stats inOrder = fold(new double[][] { { 0, 100 }, { 20, 100 } });
        Stats withLate = inOrder.with(T0.plusSeconds(10), 400);

        assertThat(withLate.count()).isEqualTo(3);
        assertThat(withLate.max()).isEqualTo(400);
        assertThat(withLate.last()).isEqualTo(new Point(T0.plusSeconds(20), 100));
        assertThat(withLate.first()).isEqualTo(new Point(T0, 100));
    }

    @Test
    void energyIsCarriedAndAddsUpOnMerge() {
        Stats left = fold(new double[][] { { 0, 1 } }).plusEnergy(2.5);
        Stats energyOnly = Stats.empty().plusEnergy(0.25);

        assertThat(left.merge(energyOnly).energyWh()).isEqualTo(2.75);
        assertThat(energyOnly.merge(left).energyWh()).isEqualTo(2.75);
        assertThat(energyOnly.merge(left).count()).isEqualTo(1);
        assertThat(energyOnly.isEmpty()).isTrue();
    }

    @Test
    void anEarlierReadingBecomesFirst() {
        Stats stats = fold(new double[][] { { 50, 1 }, { 60, 2 }, { 5, 3 } });

        assertThat(stats.first()).isEqualTo(new Point(T0.plusSeconds(5), 3));
        assertThat(stats.last()).isEqualTo(new Point(T0.plusSeconds(60), 2));
    }

    @Test
    void meanAndDeviationMatchATwoPassOracleOnLargeOffsetValues() {
        Random random = new Random(1);
        double[] values = new double[50_000];
        Stats stats = Stats.empty();
        for (int i = 0; i < values.length; i++) {
            values[i] = 1_000_000 + random.nextGaussian() * 3;
            stats = stats.with(T0.plusSeconds(i), values[i]);
        }
        double mean = 0;
        for (double value : values) {
            mean += value;
        }
        mean /= values.length;
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }

        assertThat(stats.mean()).isCloseTo(mean, within(1e-6));
        assertThat(stats.stddev()).isCloseTo(Math.sqrt(squares / values.length), within(1e-6));
    }

    @Test
    void mergingTheStatsOfAnyTwoPartsEqualsFoldingTheWhole() {
        Random random = new Random(2);
        List<double[]> rows = new ArrayList<>();
        double second = 0;
        for (int i = 0; i < 1000; i++) {
            second += 1 + random.nextInt(30);
            rows.add(new double[] { second, random.nextDouble() * 2000 });
        }
        Stats whole = fold(rows.toArray(double[][]::new));
        for (int split : new int[] { 0, 1, 500, 999, 1000 }) {
            Stats left = fold(rows.subList(0, split).toArray(double[][]::new));
            Stats right = fold(rows.subList(split, rows.size()).toArray(double[][]::new));

            assertSameStats(left.merge(right), whole);
            assertSameStats(right.merge(left), whole);
        }
    }

    @Test
    void mergingIsIndependentOfTheOrderOfOverlappingParts() {
        Stats evens = fold(new double[][] { { 0, 1 }, { 2, 5 }, { 4, -3 } });
        Stats odds = fold(new double[][] { { 1, 10 }, { 3, 0 } });

        Stats merged = evens.merge(odds);
        assertSameStats(merged, odds.merge(evens));
        assertThat(merged.count()).isEqualTo(5);
        assertThat(merged.mean()).isCloseTo(13.0 / 5, within(1e-12));
        assertThat(merged.first()).isEqualTo(new Point(T0, 1));
        assertThat(merged.last()).isEqualTo(new Point(T0.plusSeconds(4), -3));
    }

    @Test
    void emptyIsTheIdentityOfMerge() {
        Stats stats = fold(new double[][] { { 0, 3 }, { 10, 4 } });

        assertThat(stats.merge(Stats.empty())).isEqualTo(stats);
        assertThat(Stats.empty().merge(stats)).isEqualTo(stats);
    }

    @Test
    void aReadingWithEnergyInOneStepIsTheReadingThenTheEnergy() {
        Stats some = Stats.empty().with(T0, 5).with(T0.plusSeconds(30), 9);
        for (Stats before : List.of(Stats.empty(), Stats.empty().plusEnergy(1.5), some)) {
            Instant at = T0.plusSeconds(60);
            assertThat(before.with(at.toEpochMilli(), 7.25, 0.5)).isEqualTo(before.with(at, 7.25).plusEnergy(0.5));
            assertThat(before.with(at.toEpochMilli(), 7.25, 0)).isEqualTo(before.with(at, 7.25));
        }
        assertThatThrownBy(() -> some.with(T0.toEpochMilli(), Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSameStats(Stats actual, Stats expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.min()).isEqualTo(expected.min());
        assertThat(actual.max()).isEqualTo(expected.max());
        assertThat(actual.mean()).isCloseTo(expected.mean(), within(1e-9));
        assertThat(actual.stddev()).isCloseTo(expected.stddev(), within(1e-9));
        assertThat(actual.first()).isEqualTo(expected.first());
        assertThat(actual.last()).isEqualTo(expected.last());
    }

}

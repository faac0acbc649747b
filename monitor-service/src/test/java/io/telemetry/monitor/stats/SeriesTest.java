package io.telemetry.monitor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** Bucketing, retention, late data and windows, against a naive group-by computed here. */
class SeriesTest {

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Retention KEEP_ALL = Retention.of(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(400));
    private static final List<String> DEVICES = List.of("dryer", "fridge", "oven");

    /**
     * A few thousand power readings of three devices that share timestamps: 40 minutes around the
     * midnight that ends January, around the one that ends February of a leap year, and around noon,
     * at steps of 1 to 10 seconds, with a few silences longer than the energy gap.
     */
    private static List<Reading> readings() {
        Random random = new Random(20240229);
        List<Reading> readings = new ArrayList<>();
        for (String start : List.of("2024-01-31T23:40:00Z", "2024-02-29T23:45:00Z", "2024-03-01T11:45:00Z")) {
            Instant at = Instant.parse(start);
            Instant end = at.plus(Duration.ofMinutes(40));
            while (at.isBefore(end)) {
                for (String device : DEVICES) {
                    readings.add(new Reading(device, Channel.POWER, at, Math.round(random.nextDouble() * 300000) / 100.0));
                }
                at = at.plusSeconds(random.nextInt(100) == 0 ? 420 : 1 + random.nextInt(10));
            }
        }
        return readings;
    }

    /** Each device's power series, fed these readings in order. */
    private static Map<String, Series> fed(List<Reading> readings, Retention retention) {
        Map<String, Series> series = new HashMap<>();
        readings.forEach(reading -> series.computeIfAbsent(reading.deviceId(), device -> new Series(FIVE_MINUTES, retention))
                .apply(reading.timestamp(), reading.value()));
        return series;
    }

    private static ChronoUnit unit(Resolution resolution) {
        return switch (resolution) {
            case MINUTE -> ChronoUnit.MINUTES;
            case HOUR -> ChronoUnit.HOURS;
            case DAY -> ChronoUnit.DAYS;
        };
    }

    /** The naive group-by: each device's readings by truncated timestamp. */
    private static Map<Instant, List<Reading>> groupBy(List<Reading> readings, String device, Resolution resolution) {
        return readings.stream().filter(reading -> reading.deviceId().equals(device))
                .collect(Collectors.groupingBy(reading -> reading.timestamp().truncatedTo(unit(resolution)), TreeMap::new,
                        Collectors.toList()));
    }

    /**
     * Each bucket's energy by the midpoint rule on half-second steps: exact for straight lines between
     * readings on whole seconds, and computed without the code under test's cutting at boundaries.
     */
    private static Map<Instant, Double> energyOracle(List<Reading> readings, String device, Resolution resolution) {
        List<Reading> inTime = readings.stream().filter(reading -> reading.deviceId().equals(device))
                .sorted(Comparator.comparing(Reading::timestamp)).toList();
        Map<Instant, Double> energy = new HashMap<>();
        for (int i = 1; i < inTime.size(); i++) {
            Reading a = inTime.get(i - 1);
            Reading b = inTime.get(i);
            long millis = Duration.between(a.timestamp(), b.timestamp()).toMillis();
            if (millis > FIVE_MINUTES.toMillis()) {
                continue;
            }
            for (long step = 0; step < millis; step += 500) {
                double mid = step + 250;
                double watts = a.value() + (b.value() - a.value()) * mid / millis;
                Instant bucket = a.timestamp().plusMillis(step).truncatedTo(unit(resolution));
                energy.merge(bucket, watts * 0.5 / 3600, Double::sum);
            }
        }
        return energy;
    }

    private static void assertBucketsEqualTheGroupBy(Map<String, Series> fed, List<Reading> readings, boolean checkEnergy) {
        for (String device : DEVICES) {
            Series series = fed.get(device);
            for (Resolution resolution : Resolution.values()) {
                Map<Instant, List<Reading>> expected = groupBy(readings, device, resolution);
                Map<Instant, Double> energy = energyOracle(readings, device, resolution);
                List<Series.Bucket> buckets = series.buckets(resolution, Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2024-04-01T00:00:00Z"), 100_000);
                Map<Instant, Stats> actual = buckets.stream()
                        .filter(bucket -> !bucket.stats().isEmpty())
                        .collect(Collectors.toMap(Series.Bucket::start, Series.Bucket::stats));

                assertThat(actual.keySet()).as("%s %s buckets", device, resolution).isEqualTo(expected.keySet());
                assertThat(buckets).extracting(Series.Bucket::start).isSorted();
                expected.forEach((start, group) -> {
                    Stats stats = actual.get(start);
                    String where = device + " " + resolution + " bucket " + start;
                    double mean = group.stream().mapToDouble(Reading::value).average().orElseThrow();
                    double variance = group.stream().mapToDouble(r -> (r.value() - mean) * (r.value() - mean)).sum() / group.size();
                    Reading first = group.stream().min(Comparator.comparing(Reading::timestamp)).orElseThrow();
                    Reading last = group.stream().max(Comparator.comparing(Reading::timestamp)).orElseThrow();

                    assertThat(stats.count()).as(where).isEqualTo(group.size());
                    assertThat(stats.min()).as(where).isEqualTo(group.stream().mapToDouble(Reading::value).min().orElseThrow());
                    assertThat(stats.max()).as(where).isEqualTo(group.stream().mapToDouble(Reading::value).max().orElseThrow());
                    assertThat(stats.mean()).as(where).isCloseTo(mean, within(1e-9));
                    assertThat(stats.stddev()).as(where).isCloseTo(Math.sqrt(variance), within(1e-9));
                    assertThat(stats.first()).as(where).isEqualTo(new Point(first.timestamp(), first.value()));
                    assertThat(stats.last()).as(where).isEqualTo(new Point(last.timestamp(), last.value()));
                });
                if (checkEnergy) {
                    Map<Instant, Double> actualEnergy = buckets.stream()
                            .collect(Collectors.toMap(Series.Bucket::start, bucket -> bucket.stats().energyWh()));
                    energy.forEach((start, wh) -> assertThat(actualEnergy.getOrDefault(start, 0.0))
                            .as("%s %s energy of %s", device, resolution, start).isCloseTo(wh, within(1e-6)));
                    assertThat(actualEnergy.values().stream().mapToDouble(Double::doubleValue).sum())
                            .as("%s %s energy of all buckets", device, resolution)
                            .isCloseTo(series.allTime().energyWh(), within(1e-6));
                }
            }
        }
    }

    @Test
    void bucketsOfReadingsInOrderEqualTheGroupByIncludingEnergy() {
        List<Reading> readings = readings();
        assertThat(readings).hasSizeGreaterThan(2000);

        assertBucketsEqualTheGroupBy(fed(readings, KEEP_ALL), readings, true);
    }

    @Test
    void bucketsOfShuffledReadingsEqualTheGroupBy() {
        List<Reading> readings = new ArrayList<>(readings());
        Collections.shuffle(readings, new Random(3));

        assertBucketsEqualTheGroupBy(fed(readings, KEEP_ALL), readings, false);
    }

    /** The readings with about one in twenty moved up to 30 places later: late within its minute, or by minutes. */
    private static List<Reading> someLate(List<Reading> readings) {
        List<Reading> moved = new ArrayList<>(readings);
        Random random = new Random(5);
        for (int i = 0; i + 30 < moved.size(); i++) {
            if (random.nextInt(20) == 0) {
                moved.add(i + 1 + random.nextInt(30), moved.remove(i));
            }
        }
        return moved;
    }

    /** Takes the series' changes and sets them in the replica, as a snapshot and its restore do. */
    private static void copyChanges(Series series, Series replica) {
        series.takeChanges().ifPresent(changes -> {
            replica.restore(changes.summary());
            changes.buckets().forEach(change -> replica.restore(change.resolution(), change.start(), change.stats()));
        });
    }

    /**
     * Feeds each device's series and takes its changes every few readings into a replica, as snapshots do: mostly
     * in the middle of a minute, whose readings are then in that minute's bucket and not yet in its hour's and day's.
     */
    private static Map<String, Series> replicas(List<Reading> readings, Map<String, Series> series) {
        Random random = new Random(9);
        Map<String, Series> replicas = new HashMap<>();
        for (Reading reading : readings) {
            series.computeIfAbsent(reading.deviceId(), device -> new Series(FIVE_MINUTES, KEEP_ALL))
                    .apply(reading.timestamp(), reading.value());
            if (random.nextInt(25) == 0) {
                series.forEach((device, fed) -> copyChanges(fed, replicas.computeIfAbsent(device,
                        d -> new Series(FIVE_MINUTES, KEEP_ALL))));
            }
        }
        series.forEach((device, fed) -> copyChanges(fed, replicas.get(device)));
        return replicas;
    }

    private static void assertSameAnswers(Map<String, Series> replicas, Map<String, Series> series) {
        for (String device : DEVICES) {
            assertThat(replicas.get(device).allTime()).isEqualTo(series.get(device).allTime());
            for (Resolution resolution : Resolution.values()) {
                assertThat(replicas.get(device).buckets(resolution)).as("%s %s buckets", device, resolution)
                        .isEqualTo(series.get(device).buckets(resolution));
            }
        }
    }

    @Test
    void aReplicaSetFromEachChangeTakenAnswersBitForBitAsTheSeriesAndBothAsTheGroupBy() {
        // Readings in order, then some late. Energy is checked in order only: a late reading adds none, where the
        // group-by's oracle joins every reading in time.
        for (List<Reading> readings : List.of(readings(), someLate(readings()))) {
            Map<String, Series> series = new HashMap<>();
            Map<String, Series> replicas = replicas(readings, series);

            assertSameAnswers(replicas, series);
            assertBucketsEqualTheGroupBy(replicas, readings, readings.equals(readings()));
        }
    }

    @Test
    void aSeriesRestoredInTheMiddleOfAMinuteGoesOnAsIfItHadNeverStopped() {
        for (List<Reading> readings : List.of(readings(), someLate(readings()))) {
            int cut = readings.size() / 2 + 7;
            Map<String, Series> before = fed(readings.subList(0, cut), KEEP_ALL);
            Map<String, Series> restored = new HashMap<>();
            before.forEach((device, fed) -> copyChanges(fed, restored.computeIfAbsent(device,
                    d -> new Series(FIVE_MINUTES, KEEP_ALL))));
            readings.subList(cut, readings.size()).forEach(reading -> restored.get(reading.deviceId())
                    .apply(reading.timestamp(), reading.value()));

            assertThat(readings.get(cut).timestamp().truncatedTo(ChronoUnit.MINUTES)).as("the cut falls inside a minute")
                    .isEqualTo(readings.get(cut - 1).timestamp().truncatedTo(ChronoUnit.MINUTES));
            assertBucketsEqualTheGroupBy(restored, readings, readings.equals(readings()));
        }
    }

    @Test
    void aSeriesSetFromItsOwnChangesInTheMiddleOfAMinuteAnswersAsBefore() {
        Series series = new Series(FIVE_MINUTES, Retention.DEFAULT);
        Instant noon = Instant.parse("2024-05-01T12:00:00Z");
        series.apply(noon.plusSeconds(10), 100);
        series.apply(noon.plusSeconds(70), 200); // opens 12:01
        series.apply(noon.plusSeconds(80), 300);
        List<Series.Bucket> hours = series.buckets(Resolution.HOUR);

        copyChanges(series, series);

        assertThat(series.buckets(Resolution.HOUR)).isEqualTo(hours);
        assertThat(hours).singleElement().satisfies(hour -> {
            assertThat(hour.stats().count()).isEqualTo(3);
            assertThat(hour.stats().mean()).isEqualTo(200);
        });
        series.apply(noon.plusSeconds(90), 400);
        assertThat(series.buckets(Resolution.HOUR).get(0).stats().count()).isEqualTo(4);
        assertThat(series.buckets(Resolution.DAY).get(0).stats().max()).isEqualTo(400);
    }

    @Test
    void aMinuteClosedAfterItsChangesWereTakenIsNotTakenAgain() {
        Series temperature = new Series(FIVE_MINUTES, Retention.DEFAULT, false);
        Instant t0 = Instant.parse("2024-05-01T10:59:30Z");
        temperature.apply(t0, 20);
        temperature.takeChanges();

        temperature.apply(t0.plusSeconds(40), 21); // 11:00:10, closing 10:59, whose hour was taken as it is

        assertThat(temperature.takeChanges().orElseThrow().buckets()).extracting(change -> change.resolution() + " "
                + Instant.ofEpochMilli(change.start())).containsExactly("PT1M 2024-05-01T11:00:00Z", "PT1H 2024-05-01T11:00:00Z",
                        "P1D 2024-05-01T00:00:00Z");
    }

    @Test
    void dayBucketsSplitAtUtcMidnightAndMonthEnds() {
        assertThat(fed(readings(), KEEP_ALL).get("oven")
                .buckets(Resolution.DAY, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"), 10))
                .extracting(bucket -> bucket.start().toString())
                .containsExactly("2024-01-31T00:00:00Z", "2024-02-01T00:00:00Z", "2024-02-29T00:00:00Z",
                        "2024-03-01T00:00:00Z");
    }

    @Test
    void aLateReadingGoesIntoItsOwnBucketAndLastStaysTheLatest() {
        Series series = new Series(FIVE_MINUTES, Retention.DEFAULT);
        Instant noon = Instant.parse("2024-05-01T12:00:00Z");
        series.apply(noon, 100);
        series.apply(noon.plusSeconds(600), 200);
        series.apply(noon.plusSeconds(120), 900); // ten minutes late

        List<Series.Bucket> minutes = series.buckets(Resolution.MINUTE, noon, noon.plusSeconds(3600), 100);
        assertThat(minutes).extracting(Series.Bucket::start).containsExactly(noon, noon.plusSeconds(120), noon.plusSeconds(600));
        assertThat(minutes.get(1).stats().max()).isEqualTo(900);
        assertThat(series.allTime().count()).isEqualTo(3);
        assertThat(series.allTime().last()).isEqualTo(new Point(noon.plusSeconds(600), 200));
        assertThat(series.tooLate(Resolution.MINUTE)).isZero();
    }

    @Test
    void aReadingOlderThanEveryRetainedBucketCountsInAllTimeStatsOnly() {
        Series series = new Series(FIVE_MINUTES, Retention.of(Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(2)));
        Instant now = Instant.parse("2024-05-10T12:00:00Z");
        series.apply(now, 10);
        series.apply(now.minus(Duration.ofHours(3)), 20); // too late for minutes, fine for hours and days
        series.apply(now.minus(Duration.ofDays(5)), 30); // too late for every resolution

        assertThat(series.allTime().count()).isEqualTo(3);
        assertThat(series.allTime().first().value()).isEqualTo(30);
        assertThat(series.tooLate(Resolution.MINUTE)).isEqualTo(2);
        assertThat(series.tooLate(Resolution.HOUR)).isEqualTo(1);
        assertThat(series.tooLate(Resolution.DAY)).isEqualTo(1);
        assertThat(series.bucketCount(Resolution.MINUTE)).isEqualTo(1);
        assertThat(series.bucketCount(Resolution.HOUR)).isEqualTo(2);
        assertThat(series.bucketCount(Resolution.DAY)).isEqualTo(1);
    }

    @Test
    void afterMoreThanTheRetainedSpanOldBucketsAreGoneAndTheCountStopsGrowing() {
        Retention retention = Retention.of(Duration.ofMinutes(30), Duration.ofHours(5), Duration.ofDays(3));
        Series series = new Series(FIVE_MINUTES, retention);
        Instant start = Instant.parse("2024-05-01T00:00:00Z");
        Map<Resolution, List<Integer>> counts = new HashMap<>();
        for (int second = 0; second < 10 * 24 * 3600; second += 30) {
            series.apply(start.plusSeconds(second), 50);
            if (second % (6 * 3600) == 0 && second >= 4 * 24 * 3600) {
                for (Resolution resolution : Resolution.values()) {
                    counts.computeIfAbsent(resolution, r -> new ArrayList<>()).add(series.bucketCount(resolution));
                }
            }
        }

        // Readings every 30 s fill every bucket; kept: those from the one holding (newest - retention) on.
        assertThat(counts.get(Resolution.MINUTE)).containsOnly(31);
        assertThat(counts.get(Resolution.HOUR)).containsOnly(6);
        assertThat(counts.get(Resolution.DAY)).containsOnly(4);
        Instant newest = start.plusSeconds(10 * 24 * 3600 - 30);
        assertThat(series.buckets(Resolution.MINUTE, start, newest.plusSeconds(60), 1000).get(0).start())
                .isEqualTo(newest.minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES));
        assertThat(series.bucketCount(Resolution.MINUTE)).isLessThanOrEqualTo((int) retention.maxBuckets(Resolution.MINUTE));
        assertThat(series.allTime().count()).isEqualTo(10 * 24 * 120);
    }

    @Test
    void aWindowMergesTheBucketsFromTheOneHoldingItsStartToTheLatestReading() {
        List<Reading> readings = readings().stream().filter(reading -> reading.deviceId().equals("fridge")).toList();
        Series series = fed(readings, Retention.DEFAULT).get("fridge");
        Instant newest = readings.stream().map(Reading::timestamp).max(Comparator.naturalOrder()).orElseThrow();

        Series.Window window = series.window(Duration.ofMinutes(15)).orElseThrow();

        Instant from = newest.minus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.MINUTES);
        List<Reading> inside = readings.stream().filter(reading -> !reading.timestamp().isBefore(from)).toList();
        assertThat(window.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(window.from()).isEqualTo(from);
        assertThat(window.to()).isEqualTo(newest);
        assertThat(window.stats().count()).isEqualTo(inside.size());
        assertThat(window.stats().mean()).isCloseTo(inside.stream().mapToDouble(Reading::value).average().orElseThrow(),
                within(1e-9));
        assertThat(window.stats().max()).isEqualTo(inside.stream().mapToDouble(Reading::value).max().orElseThrow());
    }

    @Test
    void aWindowLongerThanMinuteRetentionUsesHourBuckets() {
        Series series = new Series(FIVE_MINUTES, Retention.DEFAULT);
        series.apply(Instant.parse("2024-05-01T10:30:00Z"), 1);

        assertThat(series.window(Duration.ofHours(49)).orElseThrow().resolution()).isEqualTo(Resolution.HOUR);
        assertThat(series.window(Duration.ofDays(91)).orElseThrow().resolution()).isEqualTo(Resolution.DAY);
        assertThat(series.window(Duration.ofDays(1827))).isEmpty();
    }

    @Test
    void temperatureSeriesIntegrateNoEnergyAndHoldNoEnergyOnlyBuckets() {
        Series temperature = new Series(Duration.ofMinutes(15), Retention.DEFAULT, false);
        Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
        temperature.apply(t0, 20);
        temperature.apply(t0.plusSeconds(600), 21);

        assertThat(temperature.allTime().energyWh()).isZero();
        assertThat(temperature.bucketCount(Resolution.MINUTE)).isEqualTo(2);
    }
}

package io.telemetry.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The expected stats of a series computed the naive way, independently of the monitor's fold: two
 * passes for mean and deviation, a sort by time for first, last and energy.
 */
public record SeriesOracle(long count, double min, double max, double mean, double stddev, Instant firstAt,
        double first, Instant lastAt, double last, double energyWh) {

    /** One reading of the oracle's input. */
    public record Sample(Instant at, double value) {
    }

    public static SeriesOracle of(List<Sample> samples, Duration maxGap) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Sample sample : samples) {
            sum += sample.value();
            min = Math.min(min, sample.value());
            max = Math.max(max, sample.value());
        }
        double mean = sum / samples.size();
        double squares = 0;
        for (Sample sample : samples) {
            squares += (sample.value() - mean) * (sample.value() - mean);
        }
        List<Sample> inTime = samples.stream().sorted(Comparator.comparing(Sample::at)).toList();
        double energy = 0;
        for (int i = 1; i < inTime.size(); i++) {
            double seconds = Duration.between(inTime.get(i - 1).at(), inTime.get(i).at()).toMillis() / 1000.0;
            if (seconds > 0 && seconds <= maxGap.toSeconds()) {
                energy += (inTime.get(i - 1).value() + inTime.get(i).value()) / 2 * seconds / 3600;
            }
        }
        Sample first = inTime.get(0);
        Sample last = inTime.get(inTime.size() - 1);
        return new SeriesOracle(samples.size(), min, max, mean, Math.sqrt(squares / samples.size()), first.at(),
                first.value(), last.at(), last.value(), energy);
    }
}

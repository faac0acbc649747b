package io.telemetry.monitor.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.telemetry.monitor.SeriesOracle.Sample;

/** A small recording written for a test: one CSV per channel, one row per second. */
final class Recordings {

    private Recordings() {
    }

    /** Writes {@code rows} rows of temp.csv and power.csv into {@code dir}; returns the power samples. */
    static List<Sample> write(Path dir, int rows) throws IOException {
        Files.createDirectories(dir);
        Instant t0 = Instant.parse("2024-05-01T00:00:00Z");
        List<Sample> power = new ArrayList<>();
        StringBuilder powerCsv = new StringBuilder("timestamp,value\n");
        StringBuilder tempCsv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < rows; i++) {
            Instant at = t0.plusSeconds(i);
            double watts = 100 + (i * 37) % 900;
            power.add(new Sample(at, watts));
            powerCsv.append(at).append(',').append(String.format(Locale.ROOT, "%.1f", watts)).append('\n');
            tempCsv.append(at).append(',').append(String.format(Locale.ROOT, "%.2f", 20 + (i % 50) / 10.0)).append('\n');
        }
        Files.writeString(dir.resolve("power.csv"), powerCsv);
        Files.writeString(dir.resolve("temp.csv"), tempCsv);
        return power;
    }

    /** The timestamps of a CSV, in file order. */
    static List<String> timestamps(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).map(line -> line.split(",")[0]).toList();
    }
}

package io.telemetry.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.mutiny.Multi;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

class ReplayTest {

    @TempDir
    Path dir;

    private Path threeReadings() throws IOException {
        Path file = dir.resolve("temp.csv");
        Files.writeString(file, "timestamp,value\n2024-05-01T10:00:00Z,1\n2024-05-01T10:00:10Z,2\n2024-05-01T10:00:20Z,3\n");
        return file;
    }

    @Test
    void withoutLoopTheFileIsReplayedOnceAndCompletes() throws IOException {
        List<Reading> readings = Replay.of(threeReadings(), "dev", Channel.TEMP, 0, false, bad -> {
        }).collect().asList().await().atMost(Duration.ofSeconds(10));

        assertThat(readings).extracting(Reading::value).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void eachLoopShiftsTimestampsByTheRecordingLengthSoTheyStayUniqueAndIncreasing() throws IOException {
        List<Reading> readings = Replay.of(threeReadings(), "dev", Channel.TEMP, 0, true, bad -> {
        }).select().first(9).collect().asList().await().atMost(Duration.ofSeconds(10));

        // The recording spans 20 s plus one 10 s interval: each pass starts 30 s after the previous one.
        List<Instant> expected = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            expected.add(Instant.parse("2024-05-01T10:00:00Z").plusSeconds(10L * i));
        }
        assertThat(readings).extracting(Reading::timestamp).containsExactlyElementsOf(expected);
        assertThat(readings).extracting(Reading::value).containsExactly(1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0);
    }

    @Test
    void aPositiveSpeedSpreadsReadingsOverTheRecordingsDurationDividedBySpeed() throws IOException {
        long start = System.nanoTime();
        List<Reading> readings = Replay.of(threeReadings(), "dev", Channel.TEMP, 20, false, bad -> {
        }).collect().asList().await().atMost(Duration.ofSeconds(30));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        // 20 s of recording at 20x takes at least one second; an upper bound would only measure the machine.
        assertThat(readings).hasSize(3);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aResumedReplaySkipsWhatWasSentAlready() throws IOException {
        List<Reading> readings = Replay.of(threeReadings(), "dev", Channel.TEMP, 0, false,
                Instant.parse("2024-05-01T10:00:10Z"), bad -> {
                }).collect().asList().await().atMost(Duration.ofSeconds(10));

        assertThat(readings).extracting(Reading::value).containsExactly(3.0);
    }

    @Test
    void aResumedLoopPicksUpInThePassItStoppedIn() throws IOException {
        // Pass 2 holds 10:01:00 (1.0), 10:01:10 (2.0) and 10:01:20 (3.0); the last one sent was 10:01:10.
        List<Reading> readings = Replay.of(threeReadings(), "dev", Channel.TEMP, 0, true,
                Instant.parse("2024-05-01T10:01:10Z"), bad -> {
                }).select().first(4).collect().asList().await().atMost(Duration.ofSeconds(10));

        assertThat(readings).extracting(reading -> reading.timestamp().toString()).containsExactly(
                "2024-05-01T10:01:20Z", "2024-05-01T10:01:30Z", "2024-05-01T10:01:40Z", "2024-05-01T10:01:50Z");
        assertThat(readings).extracting(Reading::value).containsExactly(3.0, 1.0, 2.0, 3.0);
    }

    @Test
    void aLoopOverAFileWithoutReadingsFailsItsStreamInsteadOfThrowingWhenBuilt() throws IOException {
        // Measuring the recording for the loop finds no reading; the stream's failure is what DeviceSimulator
        // turns into its one-line "Simulator stopped: file:line: ..." and exit status 1.
        Path file = dir.resolve("temp.csv");
        Files.writeString(file, "timestamp,value\n");

        Multi<Reading> replay = Replay.of(file, "dev", Channel.TEMP, 0, true, bad -> {
        });

        assertThatThrownBy(() -> replay.collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(BadRowException.class).hasMessage(file + ":2: no readings to loop over");
    }

    @Test
    void aLoopOverAFileWithoutTheHeaderFailsItsStreamInsteadOfThrowingWhenBuilt() throws IOException {
        Path file = dir.resolve("temp.csv");
        Files.writeString(file, "time,value\n2024-05-01T10:00:00Z,1\n");

        Multi<Reading> replay = Replay.of(file, "dev", Channel.TEMP, 0, true, Instant.parse("2024-05-01T10:00:00Z"), bad -> {
        });

        assertThatThrownBy(() -> replay.collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(BadRowException.class)
                .hasMessage(file + ":1: the first line must be the header 'timestamp,value', got 'time,value'");
    }
}

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

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

class CsvReadingsTest {

    @TempDir
    Path dir;

    private final List<BadRowException> badRows = new ArrayList<>();

    private Path csv(String content) throws IOException {
        Path file = dir.resolve("power.csv");
        Files.writeString(file, content);
        return file;
    }

    private List<Reading> readAll(Path file, Duration shift) {
        List<Reading> readings = new ArrayList<>();
        try (CsvReadings csv = CsvReadings.open(file, "dev", Channel.POWER, shift, badRows::add)) {
            csv.forEachRemaining(readings::add);
        }
        return readings;
    }

    /** Reading with a bad-row handler that throws, as SIMULATOR_BAD_ROWS=fail does. */
    private static CsvReadings failingFast(Path file) {
        return CsvReadings.open(file, "dev", Channel.POWER, Duration.ZERO, bad -> {
            throw bad;
        });
    }

    @Test
    void rowsBecomeReadingsOfTheDeviceAndChannel() throws IOException {
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,12.5\n2024-05-01T10:00:10Z,0\n");

        assertThat(readAll(file, Duration.ZERO)).containsExactly(
                new Reading("dev", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 12.5),
                new Reading("dev", Channel.POWER, Instant.parse("2024-05-01T10:00:10Z"), 0));
        assertThat(badRows).isEmpty();
    }

    @Test
    void badRowsAreReportedWithFileLineAndReasonAndSkipped() throws IOException {
        Path file = csv("""
                timestamp,value
                2024-05-01T10:00:00Z,1
                2024-05-01T10:00:10Z
                yesterday,5
                2024-05-01T10:00:20Z,lots
                2024-05-01T10:00:30Z,-3
                2024-05-01T10:00:40Z,NaN
                2024-05-01T10:00:50Z,2,extra
                2024-05-01T10:01:00Z,3
                """);

        List<Reading> readings = readAll(file, Duration.ZERO);

        assertThat(readings).extracting(Reading::value).containsExactly(1.0, 3.0);
        assertThat(badRows).extracting(BadRowException::line).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(badRows).extracting(BadRowException::getMessage).containsExactly(
                file + ":3: expected 2 columns (timestamp,value), got 1",
                file + ":4: timestamp 'yesterday' is not an ISO-8601 UTC instant such as 2024-05-01T10:00:00Z",
                file + ":5: value 'lots' is not a number",
                file + ":6: value -3.0 W is below the lowest possible power (0.0 W)",
                file + ":7: value must be a finite number, got NaN",
                file + ":8: expected 2 columns (timestamp,value), got 3");
    }

    @Test
    void aBadLastRowWithoutANewlineHasItsOwnLineNumber() throws IOException {
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,1\n2024-05-01T10:00:10Z,oops");

        assertThat(readAll(file, Duration.ZERO)).hasSize(1);
        assertThat(badRows).extracting(BadRowException::getMessage).containsExactly(file + ":3: value 'oops' is not a number");
    }

    @Test
    void blankLinesAreNotBadRows() throws IOException {
        Path file = csv("timestamp,value\n\n2024-05-01T10:00:00Z,1\n\n\n2024-05-01T10:00:10Z,2\n");

        assertThat(readAll(file, Duration.ZERO)).hasSize(2);
        assertThat(badRows).isEmpty();
    }

    @Test
    void aHandlerThatThrowsStopsAtTheFirstBadRow() throws IOException {
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,1\n2024-05-01T10:00:10Z,x\n2024-05-01T10:00:20Z,2\n");

        try (CsvReadings csv = failingFast(file)) {
            assertThat(csv.next().value()).isEqualTo(1.0);
            assertThatThrownBy(csv::next).isInstanceOf(BadRowException.class).hasMessage(file + ":3: value 'x' is not a number");
        }
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedWhole() throws IOException {
        Path file = csv("2024-05-01T10:00:00Z,1\n");

        assertThatThrownBy(() -> CsvReadings.open(file, "dev", Channel.POWER, Duration.ZERO, badRows::add))
                .isInstanceOf(BadRowException.class)
                .hasMessage(file + ":1: the first line must be the header 'timestamp,value', got '2024-05-01T10:00:00Z,1'");
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsIgnored() throws IOException {
        // Excel's "CSV UTF-8" starts the file with U+FEFF (the bytes EF BB BF).
        Path file = csv("\uFEFFtimestamp,value\n2024-05-01T10:00:00Z,12.5\n");

        assertThat(readAll(file, Duration.ZERO)).containsExactly(
                new Reading("dev", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 12.5));
        assertThat(badRows).isEmpty();
    }

    @Test
    void aLineTheCsvParserCannotReadIsABadRowNamingFileAndLineAndTheNextLineIsRead() throws IOException {
        // Line 2: text after the closing quote; the parser can go on with line 3.
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,\"1.5\"x\n2024-05-01T10:00:10Z,2\n");

        assertThat(readAll(file, Duration.ZERO)).extracting(Reading::value).containsExactly(2.0);
        assertThat(badRows).singleElement().satisfies(bad -> {
            assertThat(bad.line()).isEqualTo(2);
            assertThat(bad.getMessage()).startsWith(file + ":2: unreadable CSV: ").doesNotContain("\n");
        });
    }

    @Test
    void aHandlerThatThrowsStopsAtALineTheCsvParserCannotRead() throws IOException {
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,1\n2024-05-01T10:00:10Z,\"2\"x\n2024-05-01T10:00:20Z,3\n");

        try (CsvReadings csv = failingFast(file)) {
            assertThat(csv.next().value()).isEqualTo(1.0);
            assertThatThrownBy(csv::next).isInstanceOf(BadRowException.class)
                    .hasMessageStartingWith(file + ":3: unreadable CSV: ").hasMessageNotContaining("\n");
        }
    }

    @Test
    void anUnclosedQuoteStopsTheFileAtItsLineEvenWhenBadRowsAreSkipped() throws IOException {
        // The quote opened on line 3 swallows lines 4 and 5: no row after it can be told apart.
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,1\n2024-05-01T10:00:10Z,\"2\n2024-05-01T10:00:20Z,3\n"
                + "2024-05-01T10:00:30Z,4\n");

        try (CsvReadings csv = CsvReadings.open(file, "dev", Channel.POWER, Duration.ZERO, badRows::add)) {
            assertThat(csv.next().value()).isEqualTo(1.0);
            assertThatThrownBy(csv::hasNext).isInstanceOf(BadRowException.class)
                    .hasMessageStartingWith(file + ":3: a quote opened on this line is not closed on it")
                    .hasMessageNotContaining("\n");
        }
        assertThat(badRows).isEmpty();
    }

    @Test
    void aQuoteClosedOnALaterLineMakesOneBadRowOfTheLinesBetween() throws IOException {
        // The quote opened on line 3 closes on line 4: lines 3-4 are one row whose value is "2\n...,3".
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,1\n2024-05-01T10:00:10Z,\"2\n2024-05-01T10:00:20Z,3\"\n"
                + "2024-05-01T10:00:30Z,4\n");

        assertThat(readAll(file, Duration.ZERO)).extracting(Reading::value).containsExactly(1.0, 4.0);
        assertThat(badRows).singleElement().satisfies(bad -> {
            assertThat(bad.line()).isEqualTo(3);
            assertThat(bad.getMessage()).startsWith(file + ":3: ").contains("2024-05-01T10:00:20Z,3");
        });
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.csv");

        assertThatThrownBy(() -> CsvReadings.open(missing, "dev", Channel.POWER, Duration.ZERO, badRows::add))
                .hasMessageContaining("cannot read " + missing);
    }

    @Test
    void timestampsAreShiftedByTheGivenOffset() throws IOException {
        Path file = csv("timestamp,value\n2024-05-01T10:00:00Z,1\n");

        assertThat(readAll(file, Duration.ofDays(1))).extracting(Reading::timestamp)
                .containsExactly(Instant.parse("2024-05-02T10:00:00Z"));
    }
}

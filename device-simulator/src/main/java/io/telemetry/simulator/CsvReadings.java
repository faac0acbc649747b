package io.telemetry.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;
import io.telemetry.reading.Timestamps;

/**
 * The readings of one {@code timestamp,value} CSV file, streamed row by row: the file is never held in
 * memory. A row that is not a valid reading goes to the bad-row handler (which may throw to stop), and
 * iteration goes on with the next row. So does a line the CSV parser cannot read, unless a quote left open
 * runs it on into the following lines: then no later row can be told apart, and the file stops there.
 * A UTF-8 byte-order mark at the start of the file is ignored.
 *
 * <p>Timestamps can be shifted by a fixed offset, which is how a looping replay keeps readings unique.
 */
public final class CsvReadings implements Iterator<Reading>, AutoCloseable {

    private static final ObjectReader ROWS = new CsvMapper()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .readerFor(String[].class);

    private final Path file;
    private final String deviceId;
    private final Channel channel;
    private final Duration shift;
    private final Consumer<BadRowException> onBadRow;
    private final BufferedReader reader;
    private final MappingIterator<String[]> rows;
    private Reading next;
    private long rowLine;

    private CsvReadings(Path file, String deviceId, Channel channel, Duration shift, Consumer<BadRowException> onBadRow)
            throws IOException {
        this.file = file;
        this.deviceId = deviceId;
        this.channel = channel;
        this.shift = shift;
        this.onBadRow = onBadRow;
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            skipByteOrderMark();
            this.rows = ROWS.readValues(reader);
            checkHeader();
        } catch (IOException | RuntimeException e) {
            reader.close(); // the caller never gets this instance to close
            throw e;
        }
    }

    /**
     * Opens a file for reading.
     *
     * @param shift    added to every timestamp
     * @param onBadRow told of each bad row; throwing from it stops the iteration with that exception
     * @throws BadRowException      if the file does not start with the {@code timestamp,value} header
     * @throws UncheckedIOException if the file cannot be read
     */
    public static CsvReadings open(Path file, String deviceId, Channel channel, Duration shift,
            Consumer<BadRowException> onBadRow) {
        try {
            return new CsvReadings(file, deviceId, channel, shift, onBadRow);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws BadRowException as the bad-row handler throws it, or when a quote left open makes the rest of the
     *                         file unreadable, whatever the handler does
     */
    @Override
    public boolean hasNext() {
        while (next == null) {
            String[] row = nextRow(onBadRow);
            if (row == null) {
                return false;
            }
            try {
                next = reading(row);
            } catch (IllegalArgumentException e) {
                onBadRow.accept(new BadRowException(file, rowLine, e.getMessage()));
            }
        }
        return true;
    }

    @Override
    public Reading next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Reading reading = next;
        next = null;
        return reading;
    }

    @Override
    public void close() {
        try {
            rows.close();
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Excel's "CSV UTF-8" starts the file with a byte-order mark, which Java's UTF-8 decoder passes on as
     * U+FEFF: the header's first field would read "\uFEFFtimestamp".
     */
    private void skipByteOrderMark() throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    private void checkHeader() {
        String[] header = nextRow(unreadable -> {
            throw unreadable;
        });
        if (header == null || header.length != 2 || !"timestamp".equalsIgnoreCase(header[0])
                || !"value".equalsIgnoreCase(header[1])) {
            throw new BadRowException(file, 1, "the first line must be the header 'timestamp,value', got '"
                    + (header == null ? "" : String.join(",", header)) + "'");
        }
    }

    /**
     * The next row's fields, or {@code null} at the end of the file.
     *
     * @param onUnreadable told of a line the CSV parser cannot read but can go on after (text after a closing
     *                     quote, say); the parser then resumes at the next line
     */
    private String[] nextRow(Consumer<BadRowException> onUnreadable) {
        while (true) {
            try {
                if (!rows.hasNextValue()) {
                    return null;
                }
                String[] row = rows.nextValue();
                rowLine = rows.getParser().currentTokenLocation().getLineNr();
                return row;
            } catch (JsonProcessingException e) {
                // The parser's token location is still the start of the row it failed on; the exception's is
                // where it gave up. Past that row's line means a quote swallowed the lines in between (up to the
                // end of the file, if it is never closed): skipping them would drop rows without a word.
                long line = rows.getParser().currentTokenLocation().getLineNr();
                JsonLocation stopped = e.getLocation();
                if (stopped != null && stopped.getLineNr() > line) {
                    throw new BadRowException(file, line, "a quote opened on this line is not closed on it, so the lines "
                            + "after it cannot be read as rows (the CSV parser read on to line " + stopped.getLineNr()
                            + ": " + e.getOriginalMessage() + ")");
                }
                // getOriginalMessage: without Jackson's "at [Source: ...]" lines, which repeat file and line less clearly.
                onUnreadable.accept(new BadRowException(file, line, "unreadable CSV: " + e.getOriginalMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private Reading reading(String[] row) {
        if (row.length != 2) {
            throw new IllegalArgumentException("expected 2 columns (timestamp,value), got " + row.length);
        }
        Instant timestamp;
        try {
            timestamp = Timestamps.parse(row[0]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp '" + row[0] + "' is not an ISO-8601 UTC instant such as 2024-05-01T10:00:00Z");
        }
        double value;
        try {
            value = Double.parseDouble(row[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value '" + row[1] + "' is not a number");
        }
        return new Reading(deviceId, channel, timestamp.plus(shift), value);
    }
}

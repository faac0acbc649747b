package io.telemetry.simulator;

import java.io.IOException;
import java.io.Reader;
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

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;
import io.telemetry.reading.Timestamps;

/**
 * The readings of one {@code timestamp,value} CSV file, streamed row by row: the file is never held in
 * memory. A row that is not a valid reading goes to the bad-row handler (which may throw to stop), and
 * iteration goes on with the next row.
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
    private final Reader reader;
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
        this.rows = ROWS.readValues(reader);
        checkHeader();
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

    @Override
    public boolean hasNext() {
        while (next == null) {
            String[] row = nextRow();
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

    private void checkHeader() {
        String[] header = nextRow();
        if (header == null || header.length != 2 || !"timestamp".equalsIgnoreCase(header[0])
                || !"value".equalsIgnoreCase(header[1])) {
            throw new BadRowException(file, 1, "the first line must be the header 'timestamp,value', got '"
                    + (header == null ? "" : String.join(",", header)) + "'");
        }
    }

    private String[] nextRow() {
        try {
            if (!rows.hasNextValue()) {
                return null;
            }
            String[] row = rows.nextValue();
            rowLine = rows.getParser().currentTokenLocation().getLineNr();
            return row;
        } catch (RuntimeJsonMappingException | IOException e) {
            throw new BadRowException(file, rows.getCurrentLocation().getLineNr(), "unreadable CSV: " + e.getMessage());
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

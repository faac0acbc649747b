package io.telemetry.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot topic written by the monitor of format 1, as compaction left it:
 * {@code src/test/resources/snapshot-v1} (its README says how it was made).
 */
public final class PreviousSnapshots {

    private PreviousSnapshots() {
    }

    /** The latest value of each key, in the file's order. */
    public static Map<String, byte[]> read() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        try (InputStream in = PreviousSnapshots.class.getResourceAsStream("/snapshot-v1/upgrade-snapshots.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split("\t");
                records.put(parts[0], Base64.getDecoder().decode(parts[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}

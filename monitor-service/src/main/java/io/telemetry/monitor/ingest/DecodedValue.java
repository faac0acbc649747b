package io.telemetry.monitor.ingest;

import io.telemetry.reading.InvalidReadingException;
import io.telemetry.reading.Reading;
import io.telemetry.reading.ReadingJson;

/**
 * A record's value as {@link ReadingDeserializer} decoded it on Kafka's polling thread: the reading it
 * holds, or why it holds none. The bytes stay as they came, for the dead-letter topic.
 *
 * @param bytes   the record's value; {@code null} for a record without one
 * @param reading the reading, {@code null} if the value is not one
 * @param problem why the value is not a reading, {@code null} if it is one
 */
public record DecodedValue(byte[] bytes, Reading reading, String problem) {

    /** A record without a value: Kafka gives the deserializer none to decode. */
    public static final DecodedValue ABSENT = decode(null, 0);

    /** The same bytes, refused for {@code reason}: a reading that does not belong where it came. */
    public DecodedValue refused(String reason) {
        return new DecodedValue(bytes, null, reason);
    }

    /**
     * @param maxBytes a larger value is refused unread
     */
    public static DecodedValue decode(byte[] bytes, int maxBytes) {
        if (bytes != null && bytes.length > maxBytes) {
            return new DecodedValue(bytes, null,
                    "record value of " + bytes.length + " bytes exceeds the maximum of " + maxBytes + " bytes");
        }
        try {
            return new DecodedValue(bytes, ReadingJson.parse(bytes), null);
        } catch (InvalidReadingException e) {
            return new DecodedValue(bytes, null, e.getMessage());
        }
    }
}

package io.telemetry.reading;

import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of one device on one channel: the only event on the wire.
 *
 * <p>A {@code Reading} that exists is valid: the compact constructor rejects anything else with a
 * message that names the field and the bad value.
 *
 * @param deviceId  who measured: {@code [A-Za-z0-9._-]{1,64}}; also the Kafka record key
 * @param channel   what was measured
 * @param timestamp when it was measured (event time, UTC)
 * @param value     the measurement in the channel's unit: finite and not below its physical bound
 */
public record Reading(String deviceId, Channel channel, Instant timestamp, double value) {

    /** The earliest event time accepted. */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    /** The latest event time accepted. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    public Reading {
        requireValidDeviceId(deviceId);
        Objects.requireNonNull(channel, "channel is required");
        Objects.requireNonNull(timestamp, "timestamp is required");
        if (timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST)) {
            throw new IllegalArgumentException("timestamp " + timestamp + " is outside " + EARLIEST + " to " + LATEST);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be a finite number, got " + value);
        }
        if (value < channel.lowerBound()) {
            throw new IllegalArgumentException("value " + value + " " + channel.unit() + " is below the lowest possible "
                    + channel.id() + " (" + channel.lowerBound() + " " + channel.unit() + ")");
        }
        if (value > channel.upperBound()) {
            throw new IllegalArgumentException("value " + value + " " + channel.unit() + " is above the largest plausible "
                    + channel.id() + " (" + channel.upperBound() + " " + channel.unit() + ")");
        }
    }

    /**
     * Checks a device id against {@link #isValidDeviceId}.
     *
     * @return the id, for chaining
     * @throws IllegalArgumentException naming the bad id
     */
    public static String requireValidDeviceId(String deviceId) {
        if (deviceId == null) {
            throw new IllegalArgumentException("deviceId is required");
        }
        if (!isValidDeviceId(deviceId)) {
            throw new IllegalArgumentException("deviceId '" + printable(deviceId)
                    + "' is invalid: it must be " + DEVICE_ID_RULE);
        }
        return deviceId;
    }

    /** {@link #isValidDeviceId}'s rule in words, as errors and documents say it. */
    public static final String DEVICE_ID_RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    /** {@link #isValidDeviceId}'s rule as a regular expression, for documents such as the API's OpenAPI schema. */
    public static final String DEVICE_ID_PATTERN = "^[A-Za-z0-9._-]{1,64}$";

    /**
     * The rule for device ids, safe in a URL path, a file name and a Kafka key: 1 to 64 characters of
     * A-Z, a-z, 0-9, '.', '_' or '-' ({@link #DEVICE_ID_PATTERN}). Checked without a regex: it runs for every
     * reading consumed.
     */
    public static boolean isValidDeviceId(String deviceId) {
        int length = deviceId.length();
        if (length < 1 || length > 64) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = deviceId.charAt(i);
            boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        String shortened = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}

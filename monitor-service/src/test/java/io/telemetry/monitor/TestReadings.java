package io.telemetry.monitor;

import java.util.Locale;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Readings as devices put them on the wire, written out by hand so that the tests do not trust the code
 * under test to write them, and device ids no other test uses.
 */
public final class TestReadings {

    /** The API key of the test profile ({@code %test.monitor.alerts.api-key}). */
    public static final String API_KEY = "test-key";

    private TestReadings() {
    }

    /** The wire format; {@code value} goes in as written, so a test can put a string or null there. */
    public static String json(String deviceId, String channel, Object timestamp, Object value) {
        return String.format(Locale.ROOT, "{\"deviceId\":\"%s\",\"channel\":\"%s\",\"timestamp\":\"%s\",\"value\":%s}",
                deviceId, channel, timestamp, value);
    }

    /** A record keyed by its device on the channel's default topic, which has the channel's name. */
    public static ProducerRecord<String, String> record(String deviceId, String channel, Object timestamp, Object value) {
        return new ProducerRecord<>(channel, deviceId, json(deviceId, channel, timestamp, value));
    }

    /** A device id of its own for one test: the broker and the aggregates are shared by the test run. */
    public static String newDevice(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

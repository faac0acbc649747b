package io.telemetry.monitor.ingest;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes the values of the channel topics on Kafka's polling thread, so that JSON parsing runs beside
 * the fold, which has the event loop to itself, instead of before it. Never throws: a value that is not
 * a reading comes out as a {@link DecodedValue} that says why, and ingestion dead-letters it.
 *
 * <p>Configured by the consumer's {@value #MAX_BYTES} setting (application.properties passes
 * {@code MONITOR_MAX_RECORD_BYTES} on).
 */
public class ReadingDeserializer implements Deserializer<DecodedValue> {

    public static final String MAX_BYTES = "monitor.max-record-bytes";

    private int maxBytes = -1;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object value = configs.get(MAX_BYTES);
        try {
            maxBytes = value == null ? -1 : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            maxBytes = -1;
        }
        if (maxBytes <= 0) {
            throw new ConfigException(MAX_BYTES, value, "must be a positive number of bytes");
        }
    }

    @Override
    public DecodedValue deserialize(String topic, byte[] data) {
        if (maxBytes <= 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before configure()");
        }
        return DecodedValue.decode(data, maxBytes);
    }
}

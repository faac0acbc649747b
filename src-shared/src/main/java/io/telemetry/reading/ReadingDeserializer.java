package io.telemetry.reading;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for {@link Reading}s.
 *
 * @throws InvalidReadingException from {@link #deserialize} when the bytes are not a valid reading
 */
public class ReadingDeserializer implements Deserializer<Reading> {

    @Override
    public Reading deserialize(String topic, byte[] data) {
        return data == null ? null : ReadingJson.parse(data);
    }
}

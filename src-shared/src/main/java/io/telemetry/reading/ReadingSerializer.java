package io.telemetry.reading;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for {@link Reading}s, in the {@link ReadingJson} wire format. */
public class ReadingSerializer implements Serializer<Reading> {

    @Override
    public byte[] serialize(String topic, Reading reading) {
        return reading == null ? null : ReadingJson.toBytes(reading);
    }
}

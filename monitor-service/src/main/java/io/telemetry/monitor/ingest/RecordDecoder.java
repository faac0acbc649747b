package io.telemetry.monitor.ingest;

import java.time.Instant;
import java.util.Objects;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * Accepts the {@link Reading} of a record from a channel's topic, or says precisely why it cannot: the
 * value is not a valid reading, belongs to another channel, is dated too far ahead, or its key is not
 * its device id (which would break the per-device order that keys give). A refusal is a
 * {@link DecodedValue} with its {@link DecodedValue#problem() problem}, as the polling thread's own are:
 * one form for every reason, from the bytes to the dead-letter header.
 */
public final class RecordDecoder {

    private RecordDecoder() {
    }

    /**
     * @param value  the record's value, as {@link ReadingDeserializer} decoded it; {@code null} if it has none
     * @param latest a reading dated after this instant is refused
     * @return {@code value} if its reading belongs on this topic under this key; otherwise the same bytes,
     *         refused with the reason
     */
    public static DecodedValue check(Channel topicChannel, String key, DecodedValue value, Instant latest) {
        DecodedValue decoded = value == null ? DecodedValue.ABSENT : value;
        if (decoded.problem() != null) {
            return decoded;
        }
        Reading reading = decoded.reading();
        if (reading.channel() != topicChannel) {
            return decoded.refused("channel '" + reading.channel() + "' does not belong on the " + topicChannel + " topic");
        }
        if (!Objects.equals(key, reading.deviceId())) {
            return decoded.refused(key == null
                    ? "record has no key: it must be the device id '" + reading.deviceId() + "'"
                    : "record key '" + key + "' disagrees with deviceId '" + reading.deviceId() + "'");
        }
        if (reading.timestamp().isAfter(latest)) {
            return decoded.refused("timestamp " + reading.timestamp() + " is after " + latest
                    + ", further ahead of the monitor's clock than MONITOR_MAX_FUTURE allows");
        }
        return decoded;
    }
}

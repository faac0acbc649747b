package io.telemetry.monitor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

class ReadingDeserializerTest {

    private static ReadingDeserializer configured(Object maxBytes) {
        ReadingDeserializer deserializer = new ReadingDeserializer();
        deserializer.configure(Map.of(ReadingDeserializer.MAX_BYTES, maxBytes), false);
        return deserializer;
    }

    @Test
    void decodesAReadingAndKeepsItsBytes() {
        byte[] bytes = "{\"deviceId\":\"ac\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:00Z\",\"value\":1834.5}"
                .getBytes(StandardCharsets.UTF_8);
        DecodedValue decoded = configured("4096").deserialize("power", bytes);
        assertThat(decoded.reading()).isEqualTo(new Reading("ac", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 1834.5));
        assertThat(decoded.problem()).isNull();
        assertThat(decoded.bytes()).isSameAs(bytes);
    }

    @Test
    void saysWhyAValueIsNotAReadingInsteadOfThrowing() {
        byte[] bytes = "{not json".getBytes(StandardCharsets.UTF_8);
        DecodedValue decoded = configured(4096).deserialize("power", bytes);
        assertThat(decoded.reading()).isNull();
        assertThat(decoded.problem()).startsWith("not valid JSON");
        assertThat(decoded.bytes()).isSameAs(bytes);
    }

    @Test
    void refusesALargerValueUnread() {
        byte[] bytes = new byte[101];
        DecodedValue decoded = configured("100").deserialize("power", bytes);
        assertThat(decoded.reading()).isNull();
        assertThat(decoded.problem()).isEqualTo("record value of 101 bytes exceeds the maximum of 100 bytes");
    }

    @Test
    void needsItsMaximumSize() {
        assertThatThrownBy(() -> new ReadingDeserializer().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ReadingDeserializer.MAX_BYTES);
        assertThatThrownBy(() -> configured("lots")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("lots").hasMessageContaining("positive");
    }
}

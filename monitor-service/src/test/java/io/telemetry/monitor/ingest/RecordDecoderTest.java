package io.telemetry.monitor.ingest;

import static io.telemetry.monitor.TestReadings.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * How a record of a channel's topic becomes a reading, without a broker: its value decoded as the
 * polling thread does ({@link DecodedValue}), then checked against its topic, its key and the clock
 * ({@link RecordDecoder}). Each bad record of {@link PoisonCorpus} is refused with its own reason, its
 * bytes kept as they came.
 */
class RecordDecoderTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    /** The monitor's defaults: MONITOR_MAX_FUTURE (P1D) ahead of now, and 4,096 bytes a value. */
    private static final Instant LATEST = Instant.now().plus(Duration.ofDays(1));
    private static final int MAX_BYTES = 4096;

    static Stream<Arguments> poison() {
        return PoisonCorpus.of("poison-1", T0).stream().map(bad -> Arguments.of(bad.reason(), bad));
    }

    private static DecodedValue decode(String topic, String key, byte[] value) {
        return RecordDecoder.check(Channel.of(topic), key, DecodedValue.decode(value, MAX_BYTES), LATEST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poison")
    void aBadRecordIsRefusedWithItsReason(String reason, PoisonCorpus.Bad bad) {
        DecodedValue refused = decode(bad.topic(), bad.key(), bad.value());

        assertThat(refused.reading()).isNull();
        assertThat(refused.problem()).contains(reason);
        assertThat(refused.bytes()).as("kept as they came, for the dead letter").isEqualTo(bad.value());
    }

    @Test
    void aGoodRecordGivesItsReading() {
        byte[] value = json("washer", "power", "2024-05-01T12:00:01Z", "1234.5").getBytes(StandardCharsets.UTF_8);

        assertThat(decode("power", "washer", value).problem()).isNull();
        assertThat(decode("power", "washer", value).reading())
                .isEqualTo(new Reading("washer", Channel.POWER, Instant.parse("2024-05-01T12:00:01Z"), 1234.5));
    }

    @Test
    void aValueOfExactlyTheLargestSizeIsRead() {
        String reading = json("washer", "power", "2024-05-01T12:00:01Z", "1");
        // Whitespace after the object is allowed JSON: the value is padded to the limit exactly.
        byte[] value = (reading + " ".repeat(MAX_BYTES - reading.length())).getBytes(StandardCharsets.UTF_8);

        assertThat(value).hasSize(MAX_BYTES);
        assertThat(decode("power", "washer", value).reading().value()).isEqualTo(1);
        byte[] tooLarge = (reading + " ".repeat(MAX_BYTES + 1 - reading.length())).getBytes(StandardCharsets.UTF_8);
        assertThat(decode("power", "washer", tooLarge).problem())
                .isEqualTo("record value of 4097 bytes exceeds the maximum of 4096 bytes");
    }

    @Test
    void aReadingDatedAtTheLatestInstantIsAcceptedAndOneMillisecondLaterRefused() {
        Instant latest = Instant.parse("2024-05-02T12:00:00Z");
        DecodedValue atLatest = DecodedValue.decode(
                json("washer", "power", "2024-05-02T12:00:00Z", "1").getBytes(StandardCharsets.UTF_8), MAX_BYTES);
        DecodedValue after = DecodedValue.decode(
                json("washer", "power", "2024-05-02T12:00:00.001Z", "1").getBytes(StandardCharsets.UTF_8), MAX_BYTES);

        assertThat(RecordDecoder.check(Channel.POWER, "washer", atLatest, latest).reading().timestamp()).isEqualTo(latest);
        assertThat(RecordDecoder.check(Channel.POWER, "washer", after, latest).problem())
                .contains("is after 2024-05-02T12:00:00Z");
    }
}

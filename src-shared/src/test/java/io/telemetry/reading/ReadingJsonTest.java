package io.telemetry.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadingJsonTest {

    @Test
    void aReadingIsWrittenInTheWireFormat() {
        Reading reading = new Reading("washing-machine", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 1834.5);

        assertThat(ReadingJson.toJson(reading)).isEqualTo(
                "{\"deviceId\":\"washing-machine\",\"channel\":\"power\",\"timestamp\":\"2024-05-01T10:00:00Z\",\"value\":1834.5}");
    }

    @Test
    void theWireFormatIsReadBack() {
        Reading reading = ReadingJson.parse(
                "{\"deviceId\":\"ac\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:00.250Z\",\"value\":-3}");

        assertThat(reading).isEqualTo(new Reading("ac", Channel.TEMP, Instant.parse("2024-05-01T10:00:00.250Z"), -3));
    }

    @Test
    void fieldsMayComeInAnyOrderAndUnknownOnesAreIgnored() {
        Reading reading = ReadingJson.parse("{\"value\":2.5,\"extra\":{\"nested\":[1,2]},\"timestamp\":\"2024-05-01T10:00:00Z\","
                + "\"channel\":\"power\",\"deviceId\":\"ac\"}");

        assertThat(reading).isEqualTo(new Reading("ac", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 2.5));
    }

    @Test
    void escapesRareTimestampFormsAndRepeatedFieldsReadAsJsonSays() {
        // The channel and the common timestamp forms are read from the parser's buffer: escapes decoded first.
        assertThat(ReadingJson.parse("{\"deviceId\":\"ac\",\"channel\":\"\\u0070ower\",\"timestamp\":\"2024-05-01T10:00:0\\u0030Z\","
                + "\"value\":1}")).isEqualTo(new Reading("ac", Channel.POWER, Instant.parse("2024-05-01T10:00:00Z"), 1));
        // Forms left to Instant.parse: a nanosecond fraction, an offset.
        assertThat(ReadingJson.parse("{\"deviceId\":\"ac\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:00.123456789Z\","
                + "\"value\":1}").timestamp()).isEqualTo(Instant.ofEpochSecond(1714557600L, 123456789));
        assertThat(ReadingJson.parse("{\"deviceId\":\"ac\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T12:00:00+02:00\","
                + "\"value\":1}").timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        // A repeated field: the last one counts, a bad one after a good one too.
        assertThat(ReadingJson.parse("{\"deviceId\":\"ac\",\"channel\":\"humidity\",\"channel\":\"power\",\"timestamp\":"
                + "\"yesterday\",\"timestamp\":\"2024-05-01T10:00:00Z\",\"value\":1}").channel()).isEqualTo(Channel.POWER);
        assertThatThrownBy(() -> ReadingJson.parse("{\"deviceId\":\"ac\",\"channel\":\"power\",\"channel\":\"humidity\","
                + "\"timestamp\":\"2024-05-01T10:00:00Z\",\"value\":1}")).hasMessageContaining("unknown channel 'humidity'");
        // Numbers as Double.parseDouble reads them (Jackson's fast parser is exact).
        for (String number : new String[] { "0.1", "1834.5", "2.2250738585072014E-308", "21.349999999999998", "-3e-5", "4.9e-324" }) {
            assertThat(ReadingJson.parse("{\"deviceId\":\"ac\",\"channel\":\"temp\",\"timestamp\":\"2024-05-01T10:00:00Z\","
                    + "\"value\":" + number + "}").value()).as(number).isEqualTo(Double.parseDouble(number));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            not json                                                                              | not valid JSON
            []                                                                                    | expected a JSON object
            {"deviceId":"ac","channel":"temp","timestamp":"2024-05-01T10:00:00Z"}                 | missing field 'value'
            {"channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":1}                       | missing field 'deviceId'
            {"deviceId":"ac","timestamp":"2024-05-01T10:00:00Z","value":1}                        | missing field 'channel'
            {"deviceId":"ac","channel":"temp","value":1}                                          | missing field 'timestamp'
            {"deviceId":"ac","channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":"1"}     | field 'value' must be a number, got a string '1'
            {"deviceId":"ac","channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":null}    | field 'value' must be a number, got null
            {"deviceId":7,"channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":1}          | field 'deviceId' must be a string, got 7
            {"deviceId":"ac","channel":"humidity","timestamp":"2024-05-01T10:00:00Z","value":1}   | unknown channel 'humidity'
            {"deviceId":"ac","channel":"temp","timestamp":"yesterday","value":1}                  | field 'timestamp' is not an ISO-8601 UTC instant: 'yesterday'
            {"deviceId":"ac","channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":1e999}   | value must be a finite number
            {"deviceId":"ac","channel":"power","timestamp":"2024-05-01T10:00:00Z","value":-5}     | is below the lowest possible power
            {"deviceId":"a c","channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":1}      | deviceId 'a c' is invalid
            {"deviceId":"ac","channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":1} {}    | trailing content
            {"deviceId":"ac","channel":"temp","timestamp":"2024-05-01T10:00:00Z","value":1        | not valid JSON
            """)
    void badValuesAreRefusedWithTheReason(String json, String reason) {
        assertThatThrownBy(() -> ReadingJson.parse(json))
                .isInstanceOf(InvalidReadingException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void emptyOrMissingBytesAreRefused() {
        assertThatThrownBy(() -> ReadingJson.parse(new byte[0])).hasMessageContaining("empty value");
        assertThatThrownBy(() -> ReadingJson.parse((byte[]) null)).hasMessageContaining("empty value");
    }
}

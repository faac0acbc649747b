package io.telemetry.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadingTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void aValidReadingKeepsItsFields() {
        Reading reading = new Reading("washing-machine", Channel.POWER, NOON, 1834.5);

        assertThat(reading.deviceId()).isEqualTo("washing-machine");
        assertThat(reading.channel()).isEqualTo(Channel.POWER);
        assertThat(reading.timestamp()).isEqualTo(NOON);
        assertThat(reading.value()).isEqualTo(1834.5);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "AC_2.living-room", "0123456789012345678901234567890123456789012345678901234567890123" })
    void deviceIdsOfTheAllowedAlphabetAreAccepted(String deviceId) {
        assertThat(new Reading(deviceId, Channel.TEMP, NOON, 20).deviceId()).isEqualTo(deviceId);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "has space", "slash/inside", "ümlaut", "01234567890123456789012345678901234567890123456789012345678901234" })
    void deviceIdsOutsideTheAlphabetOrTooLongAreRefusedByName(String deviceId) {
        assertThatThrownBy(() -> new Reading(deviceId, Channel.TEMP, NOON, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deviceId '")
                .hasMessageContaining("is invalid");
    }

    @Test
    void aMissingDeviceIdIsRefused() {
        assertThatThrownBy(() -> new Reading(null, Channel.TEMP, NOON, 20)).hasMessage("deviceId is required");
    }

    @Test
    void aMissingChannelOrTimestampIsRefusedByName() {
        assertThatThrownBy(() -> new Reading("ac", null, NOON, 20)).hasMessage("channel is required");
        assertThatThrownBy(() -> new Reading("ac", Channel.TEMP, null, 20)).hasMessage("timestamp is required");
    }

    @ParameterizedTest
    @ValueSource(doubles = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
    void nonFiniteValuesAreRefused(double value) {
        assertThatThrownBy(() -> new Reading("ac", Channel.TEMP, NOON, value))
                .hasMessageContaining("value must be a finite number");
    }

    @Test
    void temperaturesDownToAbsoluteZeroAreAccepted() {
        assertThat(new Reading("probe", Channel.TEMP, NOON, -273.15).value()).isEqualTo(-273.15);
        assertThat(new Reading("probe", Channel.TEMP, NOON, -40).value()).isEqualTo(-40);
    }

    @Test
    void temperaturesBelowAbsoluteZeroAreRefused() {
        assertThatThrownBy(() -> new Reading("probe", Channel.TEMP, NOON, -273.16))
                .hasMessageContaining("value -273.16 °C is below the lowest possible temp");
    }

    @Test
    void negativePowerIsRefusedAndZeroAccepted() {
        assertThat(new Reading("ac", Channel.POWER, NOON, 0).value()).isZero();
        assertThatThrownBy(() -> new Reading("ac", Channel.POWER, NOON, -0.1))
                .hasMessageContaining("value -0.1 W is below the lowest possible power");
    }

    @Test
    void channelsAreFoundByTheirWireName() {
        assertThat(Channel.of("temp")).isEqualTo(Channel.TEMP);
        assertThat(Channel.of("power")).isEqualTo(Channel.POWER);
        assertThatThrownBy(() -> Channel.of("humidity"))
                .hasMessage("unknown channel 'humidity': expected one of temp, power");
    }

    @Test
    void implausiblyLargeValuesAreRefused() {
        assertThatThrownBy(() -> new Reading("ac", Channel.POWER, NOON, 2e9))
                .hasMessageContaining("is above the largest plausible power");
        assertThatThrownBy(() -> new Reading("ac", Channel.TEMP, NOON, 20_000))
                .hasMessageContaining("is above the largest plausible temp");
    }

    @Test
    void timestampsBeyondYear9999OrBefore1900AreRefused() {
        assertThatThrownBy(() -> new Reading("ac", Channel.TEMP, Instant.parse("+300000000-01-01T00:00:00Z"), 1))
                .hasMessageContaining("is outside 1900-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
        assertThatThrownBy(() -> new Reading("ac", Channel.TEMP, Instant.parse("1899-12-31T23:59:59Z"), 1))
                .hasMessageContaining("is outside");
    }
}

package io.telemetry.monitor.ingest;

import static io.telemetry.monitor.TestReadings.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.telemetry.reading.Topics;

/**
 * Bad records of every kind the monitor must refuse, each with a part of the reason it must give: read
 * by {@link RecordDecoderTest} one by one, and sent through a broker by {@link PoisonRecordsTest}. The
 * largest value allowed is the default, 4,096 bytes; the latest timestamp allowed a day ahead.
 */
final class PoisonCorpus {

    private PoisonCorpus() {
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One bad record: where it goes, its key and value, and a part of the reason it must be given. */
    record Bad(String topic, String key, byte[] value, String reason) {
    }

    /**
     * @param device the device of the records that are otherwise good
     * @param t0     an instant in the past; the records are a second after it
     */
    static List<Bad> of(String device, Instant t0) {
        String ts = t0.plusSeconds(1).toString();
        String power = Topics.POWER;
        List<Bad> bad = new ArrayList<>();
        bad.add(new Bad(power, device, utf8("{not json"), "not valid JSON"));
        bad.add(new Bad(power, device, new byte[0], "empty value"));
        bad.add(new Bad(power, device, null, "empty value"));
        bad.add(new Bad(power, device, utf8("[]"), "expected a JSON object"));
        bad.add(new Bad(power, device, utf8("\"hello\""), "expected a JSON object"));
        bad.add(new Bad(power, device, utf8("42"), "expected a JSON object"));
        bad.add(new Bad(power, device, utf8("{\"channel\":\"power\",\"timestamp\":\"" + ts + "\",\"value\":1}"), "missing field 'deviceId'"));
        bad.add(new Bad(power, device, utf8("{\"deviceId\":\"" + device + "\",\"timestamp\":\"" + ts + "\",\"value\":1}"), "missing field 'channel'"));
        bad.add(new Bad(power, device, utf8("{\"deviceId\":\"" + device + "\",\"channel\":\"power\",\"value\":1}"), "missing field 'timestamp'"));
        bad.add(new Bad(power, device, utf8("{\"deviceId\":\"" + device + "\",\"channel\":\"power\",\"timestamp\":\"" + ts + "\"}"), "missing field 'value'"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "\"12\"")), "field 'value' must be a number"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "null")), "field 'value' must be a number, got null"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "true")), "field 'value' must be a number, got a boolean"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "NaN")), "not valid JSON"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "1e999")), "value must be a finite number"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "-5")), "below the lowest possible power"));
        bad.add(new Bad(power, device, utf8(json(device, "humidity", ts, "40")), "unknown channel 'humidity'"));
        bad.add(new Bad(power, device, utf8(json(device, "temp", ts, "21.5")), "channel 'temp' does not belong on the power topic"));
        bad.add(new Bad(power, device, utf8(json(device, "power", "yesterday", "1")), "field 'timestamp' is not an ISO-8601 UTC instant"));
        bad.add(new Bad(power, device, utf8("{\"deviceId\":\"" + device + "\",\"channel\":\"power\",\"timestamp\":1714557600,\"value\":1}"), "field 'timestamp' must be a string"));
        bad.add(new Bad(power, "a b", utf8(json("a b", "power", ts, "1")), "deviceId 'a b' is invalid"));
        String tooLong = "d".repeat(65);
        bad.add(new Bad(power, tooLong, utf8(json(tooLong, "power", ts, "1")), "is invalid"));
        bad.add(new Bad(power, "someone-else", utf8(json(device, "power", ts, "1")), "record key 'someone-else' disagrees with deviceId"));
        bad.add(new Bad(power, null, utf8(json(device, "power", ts, "1")), "record has no key"));
        bad.add(new Bad(power, device, utf8("{\"deviceId\":\"" + device + "\",\"channel\":\"power\",\"timestamp\":\"" + ts
                + "\",\"value\":1,\"padding\":\"" + "x".repeat(5000) + "\"}"), "exceeds the maximum of 4096 bytes"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "1") + " {}"), "trailing content"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "1").substring(0, 40)), "not valid JSON"));
        bad.add(new Bad(power, device, new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' }, "not valid JSON"));
        bad.add(new Bad(Topics.TEMP, device, utf8(json(device, "temp", ts, "-300")), "below the lowest possible temp"));
        bad.add(new Bad(power, device, utf8(json(device, "power", ts, "5e9")), "above the largest plausible power"));
        bad.add(new Bad(power, device, utf8(json(device, "power", "2099-01-01T00:00:00Z", "1")), "further ahead of the monitor's clock"));
        bad.add(new Bad(power, device, utf8(json(device, "power", "+300000000-01-01T00:00:00Z", "1")), "is outside 1900-01-01T00:00:00Z"));
        return bad;
    }
}

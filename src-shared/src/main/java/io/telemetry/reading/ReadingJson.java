package io.telemetry.reading;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The wire format of a {@link Reading}: UTF-8 JSON readable by any Kafka client,
 * {@code {"deviceId":"ac","channel":"power","timestamp":"2024-05-01T10:00:00Z","value":1834.5}}.
 *
 * <p>Written and read with Jackson's streaming API: one pass, no intermediate tree, and errors that name
 * the field at fault. Unknown fields are ignored so that producers may add some. Reading allocates
 * little, as it runs once per record: the channel and the common forms of the timestamp are read from
 * the parser's buffer without a String, and numbers with Jackson's fast double parser.
 */
public final class ReadingJson {

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private ReadingJson() {
    }

    public static byte[] toBytes(Reading reading) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("deviceId", reading.deviceId());
            generator.writeStringField("channel", reading.channel().id());
            generator.writeStringField("timestamp", Timestamps.format(reading.timestamp()));
            generator.writeNumberField("value", reading.value());
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toJson(Reading reading) {
        return new String(toBytes(reading), StandardCharsets.UTF_8);
    }

    /**
     * Reads one reading.
     *
     * @throws InvalidReadingException saying what is wrong: not JSON, a missing or mistyped field, or a
     *         value the {@link Reading} rules refuse
     */
    public static Reading parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidReadingException("empty value: expected a JSON object");
        }
        try (JsonParser parser = JSON.createParser(bytes)) {
            return read(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidReadingException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidReadingException("unreadable value: " + e.getMessage(), e);
        }
    }

    public static Reading parse(String json) {
        return parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static Reading read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidReadingException("expected a JSON object, got " + parser.currentToken());
        }
        String deviceId = null;
        Channel channel = null;
        String channelText = null; // an id no channel has, for the error
        Instant timestamp = null;
        String timestampText = null; // a form read by Instant.parse, or none
        double value = 0;
        boolean hasValue = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "deviceId" -> deviceId = text(parser, field, token);
                case "channel" -> {
                    channel = Channel.find(chars(parser, field, token));
                    channelText = channel == null ? parser.getText() : null;
                }
                case "timestamp" -> {
                    timestamp = Timestamps.plainUtc(chars(parser, field, token));
                    timestampText = timestamp == null ? parser.getText() : null;
                }
                case "value" -> {
                    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw new InvalidReadingException("field 'value' must be a number, got " + describe(parser, token));
                    }
                    value = parser.getDoubleValue();
                    hasValue = true;
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
            throw new InvalidReadingException("trailing content after the JSON object");
        }
        require(deviceId, "deviceId");
        require(channel != null ? channel : channelText, "channel");
        require(timestamp != null ? timestamp : timestampText, "timestamp");
        if (!hasValue) {
            throw missing("value");
        }
        try {
            return new Reading(deviceId, channel != null ? channel : Channel.of(channelText),
                    timestamp != null ? timestamp : instant(timestampText), value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidReadingException(e.getMessage(), e);
        }
    }

    private static Instant instant(String timestamp) {
        try {
            return Timestamps.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new InvalidReadingException("field 'timestamp' is not an ISO-8601 UTC instant: '" + timestamp + "'", e);
        }
    }

    private static String text(JsonParser parser, String field, JsonToken token) throws IOException {
        requireString(parser, field, token);
        return parser.getText();
    }

    /** The string value's characters in the parser's buffer, valid until its next token. */
    private static CharBuffer chars(JsonParser parser, String field, JsonToken token) throws IOException {
        requireString(parser, field, token);
        return CharBuffer.wrap(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    private static void requireString(JsonParser parser, String field, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidReadingException("field '" + field + "' must be a string, got " + describe(parser, token));
        }
    }

    private static String describe(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string '" + parser.getText() + "'";
            default -> parser.getText();
        };
    }

    private static void require(Object text, String field) {
        if (text == null) {
            throw missing(field);
        }
    }

    private static InvalidReadingException missing(String field) {
        return new InvalidReadingException("missing field '" + field + "'");
    }
}

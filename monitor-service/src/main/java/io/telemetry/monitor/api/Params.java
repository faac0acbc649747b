package io.telemetry.monitor.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import io.telemetry.monitor.stats.Resolution;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** Checks of request parameters, turned into client errors that name the parameter and say why. */
final class Params {

    /** The OpenAPI schemas of the parameters checked here ({@link ApiDocument}). */
    static final String DEVICE_ID = "#/components/schemas/DeviceId";
    static final String CHANNEL = "#/components/schemas/ChannelId";
    static final String RESOLUTION = "#/components/schemas/ResolutionId";

    private Params() {
    }

    /** A malformed id can name no device: 400, saying what a device id looks like. */
    static String deviceId(String deviceId) {
        return checked(deviceId, Reading::requireValidDeviceId,
                reason -> ApiException.badRequest("path parameter deviceId: " + withoutFieldName(reason)));
    }

    /** A channel that does not exist: 404, listing the ones that do. */
    static Channel channel(String channel) {
        return checked(channel, Channel::of, ApiException::notFound);
    }

    /** A device filter in the query: 400 if malformed. */
    static String queryDeviceId(String deviceId) {
        return checked(deviceId, Reading::requireValidDeviceId,
                reason -> ApiException.badRequest("query parameter device: " + withoutFieldName(reason)));
    }

    /** A channel filter in the query: 400 if unknown. */
    static Channel queryChannel(String channel) {
        return checked(channel, Channel::of, reason -> ApiException.badRequest("query parameter channel: " + reason));
    }

    static Resolution resolution(String resolution) {
        return checked(resolution, Resolution::of,
                reason -> ApiException.badRequest("query parameter resolution: " + reason));
    }

    /** Parses a value whose parser says what is wrong with an IllegalArgumentException; turns that into a problem. */
    private static <T> T checked(String value, Function<String, T> parse, Function<String, ApiException> refuse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw refuse.apply(e.getMessage());
        }
    }

    /** "deviceId 'x' is invalid…" reads "'x' is invalid…" after the parameter's own name. */
    private static String withoutFieldName(String reason) {
        return reason.replaceFirst("^deviceId ", "");
    }

    /** An optional instant; {@code null} when absent. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query parameter " + name + ": '" + value
                    + "' is not an ISO-8601 instant such as 2024-05-01T00:00:00Z");
        }
        if (instant.isBefore(Reading.EARLIEST) || instant.isAfter(Reading.LATEST)) {
            throw ApiException.badRequest("query parameter " + name + ": " + instant + " is outside " + Reading.EARLIEST
                    + " to " + Reading.LATEST);
        }
        return instant;
    }

    /** A positive duration no longer than {@code longest}; {@code null} when absent. */
    static Duration window(String value, Duration longest) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration window;
        try {
            window = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query parameter window: '" + value + "' is not an ISO-8601 duration such as PT15M");
        }
        if (window.isZero() || window.isNegative()) {
            throw ApiException.badRequest("query parameter window: " + value + " must be longer than zero");
        }
        if (window.compareTo(longest) > 0) {
            throw ApiException.badRequest("query parameter window: " + value + " is longer than the history kept ("
                    + iso(longest) + ")");
        }
        return window;
    }

    /** A duration in ISO-8601 as people write it: whole days as {@code P1826D}, not {@code PT43824H}. */
    static String iso(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 && duration.getNano() == 0 ? "P" + duration.toDays() + "D" : duration.toString();
    }

    /** A whole number in {@code [1, max]}, or the default when absent. */
    static int limit(String value, int defaultLimit, int max) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("query parameter limit: '" + value + "' is not a whole number from 1 to " + max);
    }
}

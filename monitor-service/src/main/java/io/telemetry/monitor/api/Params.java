package io.telemetry.monitor.api;

import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** Checks of path parameters, turned into client errors that name the parameter. */
final class Params {

    private Params() {
    }

    /** A malformed id can name no device: 400, saying what a device id looks like. */
    static String deviceId(String deviceId) {
        try {
            return Reading.requireValidDeviceId(deviceId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("path parameter deviceId: " + e.getMessage());
        }
    }

    /** A channel that does not exist: 404, listing the ones that do. */
    static Channel channel(String channel) {
        try {
            return Channel.of(channel);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }
}

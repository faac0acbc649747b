package io.telemetry.monitor.alerts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A rule firing or clearing for one device: the JSON of the {@code alerts} topic (keyed by device), of
 * {@code GET /api/alerts} and of the live stream's {@code alert} events.
 *
 * @param rule     the rule's id
 * @param deviceId the device
 * @param channel  the rule's channel
 * @param state    {@code firing} or {@code cleared}
 * @param at       event time: the reading that fired or cleared a threshold, the instant a device became
 *                 silent, or its first reading after the silence; for a clearing because the rule was
 *                 deleted, when it was (wall clock)
 * @param value    the reading's value at {@code at}; none for a device that became silent
 * @param detail   what happened, for people
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertEvent(String rule, String deviceId, String channel, String state, Instant at, Double value,
        String detail) {

    public static final String FIRING = "firing";
    public static final String CLEARED = "cleared";

    public boolean firing() {
        return FIRING.equals(state);
    }
}

package io.telemetry.monitor.cluster;

import java.util.Optional;

/**
 * One monitor of the group, as its channel consumers name it to Kafka: their {@code client.id} is
 * {@code <id>@<url>/<channel>}, so the group coordinator's member list is the list of monitors and
 * where each answers, and a monitor that dies leaves it with its session.
 *
 * @param id  its instance id ({@code MONITOR_INSTANCE_ID})
 * @param url the base URL it answers on ({@code MONITOR_ADVERTISED_URL})
 */
public record Member(String id, String url) {

    public Member {
        if (id == null || id.isBlank() || id.contains("@") || id.contains("/")) {
            throw new IllegalArgumentException("instance id (MONITOR_INSTANCE_ID): '" + id
                    + "' must be non-blank, without '@' or '/'");
        }
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("advertised URL (MONITOR_ADVERTISED_URL): '" + url
                    + "' must start with http:// or https://");
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The prefix of its consumers' client ids: the channel's name follows it. */
    public String clientIdPrefix() {
        return id + "@" + url + "/";
    }

    /** The member a channel consumer's client id names; empty for a client id of another form. */
    public static Optional<Member> ofClientId(String clientId) {
        int at = clientId.indexOf('@');
        int slash = clientId.lastIndexOf('/');
        if (at <= 0 || slash <= at) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Member(clientId.substring(0, at), clientId.substring(at + 1, slash)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package io.telemetry.monitor.alerts;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * An alert rule, in the JSON form that configuration, the REST API and this record share:
 *
 * <pre>
 * {"id": "hot-wash", "device": "washing-machine", "channel": "temp", "above": 70, "for": "PT30S"}
 * {"id": "ac-offline", "device": "ac", "channel": "power", "silentFor": "PT5M"}
 * </pre>
 *
 * A threshold rule ({@code above} or {@code below}) fires at the reading whose value has been beyond the
 * threshold, reading after reading, for at least {@code for} of event time (0 by default: at the first
 * one), and clears at the next reading that is not. A silence rule fires when a device sends nothing on
 * the channel for longer than {@code silentFor}, and clears when it sends again ({@link AlertEngine} says
 * how that is judged). Without {@code device}, a rule watches every device of its channel. The API adds
 * {@code description}, which it ignores when a rule comes back.
 *
 * @param id        names the rule: letters, digits, '.', '_' or '-', at most 64
 * @param device    the one device watched, or null for all
 * @param channel   the channel watched
 * @param above     fires above this value (exclusive), or null
 * @param below     fires below this value (exclusive), or null
 * @param holdFor   how long a threshold must be crossed before it fires (JSON {@code for}), or null
 * @param silentFor how long without a reading makes a device silent, or null
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "device", "channel", "above", "below", "for", "silentFor", "description" })
public record AlertRule(String id, String device, @JsonIgnore Channel channel, Double above, Double below,
        @JsonProperty("for") @JsonFormat(shape = JsonFormat.Shape.STRING) Duration holdFor,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Duration silentFor) {

    private static final Set<String> FIELDS = Set.of("id", "device", "channel", "above", "below", "for", "silentFor");
    /** Written by the API, accepted and ignored on the way in: a rule read from the API can be posted back. */
    private static final String DESCRIPTION = "description";

    public AlertRule {
        require(id != null && Reading.isValidDeviceId(id), "id",
                "must be 1 to 64 letters, digits, '.', '_' or '-', got " + quoted(id));
        require(device == null || Reading.isValidDeviceId(device), "device",
                "must be 1 to 64 letters, digits, '.', '_' or '-', got " + quoted(device));
        require(channel != null, "channel", "is required: temp or power");
        int conditions = (above != null ? 1 : 0) + (below != null ? 1 : 0) + (silentFor != null ? 1 : 0);
        require(conditions == 1, "rule", "needs exactly one of above, below or silentFor, got " + conditions);
        require(above == null || Double.isFinite(above), "above", "must be a finite number");
        require(below == null || Double.isFinite(below), "below", "must be a finite number");
        require(silentFor == null || silentFor.compareTo(Duration.ZERO) > 0, "silentFor", "must be a positive duration");
        require(silentFor == null || silentFor.compareTo(AlertEngine.LONGEST) <= 0, "silentFor",
                "must be at most " + AlertEngine.LONGEST.toDays() + " days");
        require(holdFor == null || silentFor == null, "for", "applies to above and below only");
        require(holdFor == null || !holdFor.isNegative(), "for", "must not be negative");
        require(holdFor == null || holdFor.compareTo(AlertEngine.LONGEST) <= 0, "for",
                "must be at most " + AlertEngine.LONGEST.toDays() + " days");
    }

    /** The channel's wire name, for JSON. */
    @JsonProperty("channel")
    public String channelId() {
        return channel.id();
    }

    /** Whether this is a silence rule rather than a threshold. */
    @JsonIgnore
    public boolean isSilence() {
        return silentFor != null;
    }

    /** Whether the rule watches this device. */
    public boolean watches(String deviceId) {
        return device == null || device.equals(deviceId);
    }

    /** Whether a value crosses this threshold rule's threshold. */
    boolean crossedBy(double value) {
        return above != null ? value > above : value < below;
    }

    /** How long a threshold must be crossed before the rule fires. */
    Duration hold() {
        return holdFor == null ? Duration.ZERO : holdFor;
    }

    /** A sentence for people: "washing-machine temp > 70 °C for PT30S". */
    @JsonProperty("description")
    public String describe() {
        String who = (device == null ? "any device" : device) + " " + channel.id();
        if (isSilence()) {
            return who + " silent for " + silentFor;
        }
        String condition = above != null ? "> " + number(above) : "< " + number(below);
        return who + " " + condition + " " + channel.unit() + (hold().isZero() ? "" : " for " + holdFor);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * A rule from its JSON object.
     *
     * @throws InvalidRuleException naming the first field at fault
     */
    public static AlertRule fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidRuleException("rule", "must be a JSON object, got " + (json == null ? "nothing" : json.getNodeType()));
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            require(FIELDS.contains(name) || DESCRIPTION.equals(name), name,
                    "unknown field; a rule has " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        return new AlertRule(text(json, "id"), text(json, "device"), channel(json), number(json, "above"),
                number(json, "below"), duration(json, "for"), duration(json, "silentFor"));
    }

    /**
     * Rules from a JSON array (the {@code MONITOR_ALERTS_RULES} setting).
     *
     * @throws InvalidRuleException naming the rule's index and the field at fault, or a repeated id
     */
    public static List<AlertRule> listFromJson(JsonNode json) {
        if (json == null || !json.isArray()) {
            throw new InvalidRuleException("rules", "must be a JSON array of rules");
        }
        List<AlertRule> rules = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            AlertRule rule;
            try {
                rule = fromJson(json.get(i));
            } catch (InvalidRuleException e) {
                throw new InvalidRuleException("rules[" + i + "]." + e.field(), e.reason());
            }
            int index = i;
            require(rules.stream().noneMatch(other -> other.id().equals(rule.id())), "rules[" + index + "].id",
                    "repeats the id '" + rule.id() + "'");
            rules.add(rule);
        }
        return rules;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        require(node.isTextual(), field, "must be a string, got " + node);
        return node.asText();
    }

    private static Channel channel(JsonNode json) {
        String id = text(json, "channel");
        if (id == null) {
            return null;
        }
        try {
            return Channel.of(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRuleException("channel", "unknown channel '" + id + "': temp or power");
        }
    }

    private static Double number(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        require(node.isNumber(), field, "must be a number, got " + node);
        return node.asDouble();
    }

    private static Duration duration(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidRuleException(field, "must be an ISO-8601 duration such as PT30S or PT5M, got '" + text + "'");
        }
    }

    private static void require(boolean condition, String field, String reason) {
        if (!condition) {
            throw new InvalidRuleException(field, reason);
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}

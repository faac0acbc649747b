package io.telemetry.monitor.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.alerts.AlertEvent;
import io.telemetry.monitor.alerts.AlertEvents;
import io.telemetry.monitor.alerts.AlertRule;
import io.telemetry.monitor.alerts.Alerts;
import io.telemetry.monitor.alerts.InvalidRuleException;
import io.telemetry.monitor.alerts.SharedRules;
import io.telemetry.monitor.cluster.Peers;

@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts", description = "Threshold and silence rules, and what they fired")
public class AlertsResource {

    /** The header that carries the key rule changes need. */
    public static final String API_KEY_HEADER = "X-API-Key";
    static final int DEFAULT_EVENTS = 100;
    /**
     * The order of events merged from several monitors: by event time, newest first; events of one instant
     * by device, rule and state, so that every monitor lists the same.
     */
    static final Comparator<AlertEvent> NEWEST_FIRST = Comparator.comparing(AlertEvent::at).reversed()
            .thenComparing(AlertEvent::deviceId).thenComparing(AlertEvent::rule).thenComparing(AlertEvent::state);
    private static final TypeReference<List<AlertEvent>> EVENTS = new TypeReference<>() {
    };

    private final Alerts alerts;
    private final AlertEvents events;
    private final SharedRules shared;
    private final ObjectMapper json;
    private final OwnerRouting routing;
    private final Optional<byte[]> apiKey;
    private final int maxEvents;

    public AlertsResource(Alerts alerts, AlertEvents events, SharedRules shared, ObjectMapper json, OwnerRouting routing,
            MonitorConfig config) {
        this.routing = routing;
        this.alerts = alerts;
        this.events = events;
        this.shared = shared;
        this.json = json;
        this.apiKey = config.alerts().apiKey().filter(key -> !key.isBlank()).map(key -> key.getBytes(StandardCharsets.UTF_8));
        this.maxEvents = config.alerts().history();
    }

    @GET
    @Operation(operationId = "listAlerts", summary = "The latest alert events of every monitor of the group, newest first",
            description = "A rule firing or clearing for a device, at the event time of the reading that did it. "
                    + "Each monitor keeps the latest MONITOR_ALERTS_HISTORY (1000) events of the devices it owned; the "
                    + "alerts topic has them all. Several monitors' events are merged by event time, each once; "
                    + "X-Unanswered-Monitors names the monitors whose events are missing.")
    @APIResponse(responseCode = "200", description = "The events", content = @Content(
            schema = @Schema(implementation = AlertEvent.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "events", value = Examples.ALERTS)))
    @APIResponse(responseCode = "400", description = "A malformed limit", content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class)))
    public Uni<List<AlertEvent>> events(
            @Parameter(description = "At most this many events (default 100, at most MONITOR_ALERTS_HISTORY)", example = "20",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "" + DEFAULT_EVENTS))
            @QueryParam("limit") String limit) {
        int most = Params.limit(limit, Math.min(DEFAULT_EVENTS, maxEvents), Math.max(1, maxEvents));
        return routing.everyone().map(polled -> {
            Set<AlertEvent> all = new LinkedHashSet<>(events.recent(most));
            for (Peers.Answer answer : polled.answers()) {
                routing.read(answer, EVENTS).ifPresent(all::addAll);
            }
            return polled.answers().isEmpty() ? List.copyOf(all) : all.stream().sorted(NEWEST_FIRST).limit(most).toList();
        });
    }

    @GET
    @Path("rules")
    @Operation(operationId = "listRules", summary = "The alert rules in force")
    @APIResponse(responseCode = "200", description = "The rules", content = @Content(
            schema = @Schema(implementation = AlertRule.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "rules", value = Examples.RULES)))
    public List<AlertRule> rules() {
        return alerts.rules();
    }

    @GET
    @Path("rules/{id}")
    @Operation(operationId = "getRule", summary = "One alert rule")
    @APIResponse(responseCode = "200", description = "The rule", content = @Content(
            schema = @Schema(implementation = AlertRule.class)))
    @APIResponse(responseCode = "404", description = "No such rule", content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class)))
    public AlertRule rule(@Parameter(description = "The rule's id", example = "hot-wash") @PathParam("id") String id) {
        return alerts.rule(id).orElseThrow(() -> ApiException.notFound("no alert rule '" + id + "'"));
    }

    @POST
    @Path("rules")
    @SecurityRequirement(name = ApiDocument.API_KEY)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createRule", summary = "Add an alert rule (needs the API key), for every monitor of the group",
            description = "The rule goes to the rules topic, which every monitor follows. A threshold: exactly one of above or below, optionally a device (else every device of the "
                    + "channel) and for (an ISO-8601 duration the threshold must stay crossed before the rule fires). "
                    + "A silence: silentFor, the ISO-8601 duration without a reading after which a device is silent.")
    @RequestBody(content = @Content(schema = @Schema(implementation = AlertRule.class), examples = {
            @ExampleObject(name = "threshold held 30 s", value = Examples.RULE),
            @ExampleObject(name = "silence", value = Examples.SILENCE_RULE) }))
    @APIResponse(responseCode = "201", description = "Added; Location names it", content = @Content(
            schema = @Schema(implementation = AlertRule.class)))
    @APIResponse(responseCode = "400", description = "The rule is malformed; the detail names the field", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "bad field", value = Examples.BAD_RULE)))
    @APIResponse(responseCode = "401", description = "No API key, or a wrong one", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "anonymous", value = Examples.UNAUTHORIZED)))
    @APIResponse(responseCode = "503", description = "Kafka did not take the rule", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A rule with this id exists", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "id in use", value = Examples.CONFLICT)))
    public Response add(@Parameter(hidden = true) @HeaderParam(API_KEY_HEADER) String key,
            String body) {
        authorize(key);
        AlertRule rule;
        try {
            rule = AlertRule.fromJson(json.readTree(body == null ? "" : body));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (InvalidRuleException e) {
            throw ApiException.badRequest("rule field " + e.getMessage());
        }
        if (alerts.rule(rule.id()).isPresent()) {
            throw ApiException.conflict("an alert rule '" + rule.id() + "' exists; DELETE it first to replace it");
        }
        try {
            shared.publish(rule); // first to the rules topic, for every monitor
        } catch (IllegalStateException e) {
            throw unavailable(e);
        }
        alerts.shared(rule); // and in force here at once, not only once the topic brings it back
        return Response.created(URI.create("/api/alerts/rules/" + rule.id())).entity(rule).build();
    }

    @DELETE
    @Path("rules/{id}")
    // Its only body is a problem: a client that accepts just that (as generated ones do) must not get a 406.
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @SecurityRequirement(name = ApiDocument.API_KEY)
    @Operation(operationId = "deleteRule", summary = "Delete an alert rule (needs the API key); what it had firing clears",
            description = "On every monitor of the group. A rule from MONITOR_ALERTS_RULES cannot be deleted here (409).")
    @APIResponse(responseCode = "409", description = "The rule comes from configuration", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not take the deletion", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No API key, or a wrong one", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "anonymous", value = Examples.UNAUTHORIZED)))
    @APIResponse(responseCode = "404", description = "No such rule", content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class)))
    public void delete(@Parameter(hidden = true) @HeaderParam(API_KEY_HEADER) String key,
            @Parameter(description = "The rule's id", example = "hot-wash") @PathParam("id") String id) {
        authorize(key);
        if (alerts.rule(id).isEmpty()) {
            throw ApiException.notFound("no alert rule '" + id + "'");
        }
        if (alerts.configured(id)) {
            throw ApiException.conflict("the alert rule '" + id + "' comes from MONITOR_ALERTS_RULES; change that instead");
        }
        try {
            shared.delete(id);
        } catch (IllegalStateException e) {
            throw unavailable(e);
        }
        alerts.unshared(id);
    }

    private static ApiException unavailable(IllegalStateException e) {
        return new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                "the alert rules topic did not take the change, so no monitor has it: " + e.getMessage());
    }

    private void authorize(String key) {
        if (apiKey.isEmpty()) {
            throw ApiException.unauthorized("changing alert rules needs an API key, and this monitor has none "
                    + "(set MONITOR_ALERTS_API_KEY); its rules come from MONITOR_ALERTS_RULES only");
        }
        if (key == null || key.isEmpty()) {
            throw ApiException.unauthorized("changing alert rules needs the " + API_KEY_HEADER + " header");
        }
        if (!MessageDigest.isEqual(apiKey.get(), key.getBytes(StandardCharsets.UTF_8))) { // constant time
            throw ApiException.unauthorized("the " + API_KEY_HEADER + " header does not match the monitor's API key");
        }
    }
}

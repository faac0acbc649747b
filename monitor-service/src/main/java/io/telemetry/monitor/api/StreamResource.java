package io.telemetry.monitor.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.telemetry.monitor.alerts.AlertEvent;
import io.telemetry.monitor.alerts.AlertEvents;
import io.telemetry.monitor.cluster.Hop;
import io.telemetry.monitor.cluster.PeerStreams;
import io.telemetry.monitor.live.LiveFeed;
import io.telemetry.reading.Channel;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/stream")
@Tag(name = "Live", description = "Readings and stats as the monitor applies them")
public class StreamResource {

    /** How often an idle stream says it is alive, so that proxies keep the connection open. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /**
     * One event of the stream: {@code type} is {@code reading} (with the reading and its series' updated
     * stats), {@code alert} (a rule firing or clearing, in {@code alert}) or {@code heartbeat} (sent on
     * connection and then every 15 seconds).
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LiveEvent(String type, Instant at, String deviceId, String channel, Instant timestamp, Double value,
            SeriesStats stats, AlertEvent alert) {

        static LiveEvent heartbeat() {
            return new LiveEvent("heartbeat", Instant.now(), null, null, null, null, null, null);
        }

        static LiveEvent of(AlertEvent alert) {
            return new LiveEvent("alert", Instant.now(), alert.deviceId(), alert.channel(), alert.at(), alert.value(), null,
                    alert);
        }

        static LiveEvent of(LiveFeed.Applied applied) {
            var reading = applied.reading();
            return new LiveEvent("reading", Instant.now(), reading.deviceId(), reading.channel().id(), reading.timestamp(),
                    reading.value(), SeriesStats.of(reading.deviceId(), reading.channel(), applied.stats()), null);
        }
    }

    private static final Logger LOG = Logger.getLogger(StreamResource.class);

    private final LiveFeed feed;
    private final AlertEvents alerts;
    private final PeerStreams peers;
    private final ObjectMapper json;
    private final HttpServerRequest request;

    public StreamResource(LiveFeed feed, AlertEvents alerts, PeerStreams peers, ObjectMapper json, HttpServerRequest request) {
        this.feed = feed;
        this.alerts = alerts;
        this.peers = peers;
        this.json = json;
        this.request = request;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "streamEvents", summary = "Server-Sent Events: readings and their series' stats as they are applied, and alerts",
            description = "Of every device, whichever monitor of the group owns it: the monitor asked passes on the "
                    + "other monitors' streams. Optionally for one device and/or one channel. A heartbeat event comes on connection and "
                    + "every 15 seconds. A client that reads too slowly misses readings (at most 32 events wait "
                    + "for it, newer ones are dropped for it, so it cannot slow ingestion); each event's stats are cumulative, so the next "
                    + "event it gets is complete again.")
    @APIResponse(responseCode = "200", description = "The stream: each event's data is one LiveEvent, as JSON",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(implementation = LiveEvent.class)))
    @APIResponse(responseCode = "400", description = "A malformed device id or an unknown channel")
    public Multi<LiveEvent> stream(
            @Parameter(description = "Only this device", example = "ac", schema = @Schema(ref = Params.DEVICE_ID)) @QueryParam("device") String device,
            @Parameter(description = "Only this channel: temp or power", example = "power", schema = @Schema(ref = Params.CHANNEL)) @QueryParam("channel") String channel) {
        String deviceId = device == null ? null : Params.queryDeviceId(device);
        Channel only = channel == null ? null : Params.queryChannel(channel);
        Multi<LiveEvent> readings = feed.watch(applied -> (deviceId == null || applied.reading().deviceId().equals(deviceId))
                && (only == null || applied.reading().channel() == only)).map(LiveEvent::of);
        Multi<LiveEvent> alerted = alerts.watch()
                .select().where(alert -> (deviceId == null || alert.deviceId().equals(deviceId))
                        && (only == null || alert.channel().equals(only.id())))
                .map(LiveEvent::of);
        Multi<LiveEvent> heartbeats = Multi.createFrom().ticks().startingAfter(HEARTBEAT).every(HEARTBEAT)
                .map(tick -> LiveEvent.heartbeat());
        if (request.getHeader(Hop.FROM) != null) { // another monitor's stream of the group: this monitor's own events
            return Multi.createBy().merging().streams(Multi.createFrom().item(LiveEvent.heartbeat()), readings, alerted,
                    heartbeats);
        }
        Multi<LiveEvent> others = peers.everyone(request.uri()).map(this::event).select().where(
                event -> event != null && !"heartbeat".equals(event.type()));
        return Multi.createBy().merging().streams(Multi.createFrom().item(LiveEvent.heartbeat()), readings, alerted, others,
                heartbeats);
    }

    /** Another monitor's event; {@code null} (skipped) for what is not one. */
    private LiveEvent event(String data) {
        try {
            return json.readValue(data, LiveEvent.class);
        } catch (IOException e) {
            LOG.debugf("Skipped an event of another monitor's stream that is not the API's JSON: %s", e.getMessage());
            return null;
        }
    }
}

package io.telemetry.monitor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.type.TypeReference;

import io.smallrye.mutiny.Uni;
import io.telemetry.monitor.cluster.Hop;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.stats.Resolution;
import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.Series;
import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.monitor.stats.SeriesSettings;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Devices", description = "What each device has sent: all-time stats per channel")
public class DevicesResource {

    static final int DEFAULT_BUCKETS = 1440;
    static final int MAX_BUCKETS = 10_000;
    /** The 503 of every read of one device ({@link OwnerRouting#device}). */
    static final String NO_ANSWER_YET = "The device's partition has no owner that can answer yet (the group is "
            + "rebalancing, or its owner is restoring or gone) and the read replica cannot stand in; Retry-After says "
            + "when to ask again";

    private static final TypeReference<List<DeviceSummary>> DEVICES = new TypeReference<>() {
    };
    private static final TypeReference<DeviceStats> DEVICE = new TypeReference<>() {
    };

    private final HeldPartitions held;
    private final OwnerRouting routing;
    private final Retention retention;

    public DevicesResource(HeldPartitions held, OwnerRouting routing, SeriesSettings settings) {
        this.held = held;
        this.routing = routing;
        this.retention = settings.retention();
    }

    @GET
    @Operation(operationId = "listDevices", summary = "Every device seen, its channels and when it was last heard from")
    @APIResponse(responseCode = "200", description = "The devices, by id", content = @Content(
            schema = @Schema(implementation = DeviceSummary.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "devices", value = Examples.DEVICES)))
    public Uni<List<DeviceSummary>> devices() {
        return routing.list(List.of(Channel.values())).map(gathered -> {
            List<DeviceSummary> devices = new ArrayList<>(DeviceSummary.of(HeldPartitions.entries(gathered.local(), key -> true)));
            gathered.answers().forEach(answer -> routing.read(answer, DEVICES).ifPresent(devices::addAll));
            return DeviceSummary.merge(devices);
        });
    }

    @GET
    @Path("{deviceId}")
    @Operation(operationId = "getDevice", summary = "All channels' stats for one device")
    @APIResponse(responseCode = "200", description = "The device's series", content = @Content(
            schema = @Schema(implementation = DeviceStats.class),
            examples = @ExampleObject(name = "ac", value = Examples.DEVICE)))
    @APIResponse(responseCode = "400", description = "The device id is malformed", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "malformed id", value = Examples.BAD_REQUEST)))
    @APIResponse(responseCode = "404", description = "No such device has sent readings", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "unknown device", value = Examples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = NO_ANSWER_YET)
    public Uni<DeviceStats> device(@Parameter(description = "The device id", example = "ac", schema = @Schema(ref = Params.DEVICE_ID)) @PathParam("deviceId") String deviceId) {
        String id = Params.deviceId(deviceId);
        return routing.device(id, List.of(Channel.values())).map(gathered -> {
            List<DeviceStats> parts = new ArrayList<>();
            DeviceStats.of(id, HeldPartitions.device(gathered.local(), id)).ifPresent(parts::add);
            gathered.answers().forEach(answer -> routing.read(answer, DEVICE).ifPresent(parts::add));
            return DeviceStats.merge(parts).orElseThrow(() -> gathered.replica()
                    ? notYetReplicated(deviceId, gathered)
                    : ApiException.notFound("no device '" + deviceId + "' has sent readings"));
        });
    }

    @GET
    @Path("{deviceId}/{channel}")
    @Operation(operationId = "getSeriesStats", summary = "Stats of one series: one device on one channel, all-time or over a window of event time",
            description = "Without window, all-time stats. With window (an ISO-8601 duration such as PT15M, P7D), the "
                    + "stats of the last window of event time ending at the series' latest reading, merged from whole "
                    + "buckets of the finest resolution that retains such a window (1 minute up to the minute "
                    + "retention, 48 hours by default, then 1 hour, then 1 day): the window starts at the beginning of "
                    + "the bucket that holds (latest - window), so it may cover up to one bucket more than asked, never "
                    + "less. window.from, window.to and window.resolution in the answer say exactly what was covered.")
    @APIResponse(responseCode = "200", description = "The series' stats; energyWh on the power channel only",
            content = @Content(schema = @Schema(implementation = SeriesStats.class), examples = {
                    @ExampleObject(name = "power", value = Examples.POWER_STATS),
                    @ExampleObject(name = "temp", value = Examples.TEMP_STATS),
                    @ExampleObject(name = "window", value = Examples.WINDOW_STATS) }))
    @APIResponse(responseCode = "400", description = "A malformed device id, or a window that is not a positive "
            + "ISO-8601 duration within the retained history", content = @Content(
                    mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "bad window", value = Examples.BAD_WINDOW)))
    @APIResponse(responseCode = "404", description = "Unknown device or channel, or the device sent nothing on it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown device", value = Examples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = NO_ANSWER_YET)
    public Uni<SeriesStats> series(
            @Parameter(description = "The device id", example = "washing-machine", schema = @Schema(ref = Params.DEVICE_ID)) @PathParam("deviceId") String deviceId,
            @Parameter(description = "The channel: temp or power", example = "power", schema = @Schema(ref = Params.CHANNEL)) @PathParam("channel") String channel,
            @Parameter(description = "The last stretch of event time to summarise, ISO-8601", example = "PT15M",
                    schema = @Schema(type = SchemaType.STRING, format = "duration"))
            @QueryParam("window") String window) {
        Channel known = Params.channel(channel);
        Duration length = Params.window(window, retention.longest());
        return knownSeries(deviceId, known).map(series -> length == null
                ? SeriesStats.of(deviceId, known, series.allTime())
                : SeriesStats.of(deviceId, known, series.window(length).orElseThrow()));
    }

    @GET
    @Path("{deviceId}/{channel}/series")
    @Operation(operationId = "getSeriesHistory", summary = "Bucketed history of one series",
            description = "The non-empty UTC-aligned buckets of one resolution whose start lies in [from, to) (from is "
                    + "rounded down to its bucket), in time order. to defaults to the end of the bucket holding the "
                    + "series' latest reading; from to 24 hours (PT1M), 7 days (PT1H) or 30 days (P1D) before to. "
                    + "Daily energy: resolution=P1D on the power channel. At most limit buckets are returned; when "
                    + "there are more, truncated is true and next is the from that continues.")
    @APIResponse(responseCode = "200", description = "The buckets", content = @Content(
            schema = @Schema(implementation = SeriesHistory.class),
            examples = @ExampleObject(name = "hourly power", value = Examples.HISTORY)))
    @APIResponse(responseCode = "400", description = "Unknown resolution, unparsable from or to, from not before to, "
            + "a limit out of range, or a malformed device id", content = @Content(
                    mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "bad resolution", value = Examples.BAD_RESOLUTION)))
    @APIResponse(responseCode = "404", description = "Unknown device or channel, or the device sent nothing on it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown device", value = Examples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = NO_ANSWER_YET)
    public Uni<SeriesHistory> history(
            @Parameter(description = "The device id", example = "washing-machine", schema = @Schema(ref = Params.DEVICE_ID)) @PathParam("deviceId") String deviceId,
            @Parameter(description = "The channel: temp or power", example = "power", schema = @Schema(ref = Params.CHANNEL)) @PathParam("channel") String channel,
            @Parameter(description = "Bucket width: PT1M, PT1H or P1D", example = "PT1H", schema = @Schema(ref = Params.RESOLUTION))
            @QueryParam("resolution") @DefaultValue("PT1H") String resolution,
            @Parameter(description = "Start of the range, ISO-8601", example = "2024-05-01T00:00:00Z",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("from") String from,
            @Parameter(description = "End of the range (exclusive), ISO-8601", example = "2024-05-02T00:00:00Z",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("to") String to,
            @Parameter(description = "Most buckets to return, 1 to " + MAX_BUCKETS, example = "1440", schema = @Schema(
                    type = SchemaType.INTEGER, minimum = "1", maximum = "" + MAX_BUCKETS, defaultValue = "" + DEFAULT_BUCKETS))
            @QueryParam("limit") String limit) {
        Channel known = Params.channel(channel);
        Resolution width = Params.resolution(resolution);
        Instant fromAt = Params.instant("from", from);
        Instant toAt = Params.instant("to", to);
        int most = Params.limit(limit, DEFAULT_BUCKETS, MAX_BUCKETS);
        if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
            throw ApiException.badRequest("query parameters from and to: from (" + fromAt + ") must be before to (" + toAt + ")");
        }
        return knownSeries(deviceId, known).map(series -> {
            Instant end = toAt != null ? toAt : width.startOf(Instant.ofEpochMilli(series.allTime().lastAt())).plus(width.width());
            Instant start = fromAt != null ? fromAt : end.minus(defaultSpan(width));
            if (!start.isBefore(end)) {
                throw ApiException.badRequest("query parameter from: " + start + " must be before to (" + end + ")");
            }
            List<Series.Bucket> buckets = series.buckets(width, start, end, most + 1);
            boolean truncated = buckets.size() > most;
            return new SeriesHistory(deviceId, known.id(), known.unit(), width.iso(), start, end,
                    buckets.stream().limit(most).map(bucket -> BucketStats.of(known, bucket)).toList(), truncated,
                    truncated ? buckets.get(most).start() : null);
        });
    }

    /**
     * A series the read replica does not have: its owner, who cannot answer now, may have it since its last
     * save, so not a 404.
     */
    private static ApiException notYetReplicated(String deviceId, OwnerRouting.Gathered gathered) {
        return ApiException.unavailable("the owners of " + Hop.format(gathered.local().stream()
                .map(state -> state.partition()).toList()) + " cannot answer yet, and their last snapshots hold no "
                + "such readings of device '" + deviceId + "'", OwnerRouting.RETRY_AFTER);
    }

    private static Duration defaultSpan(Resolution resolution) {
        return switch (resolution) {
            case MINUTE -> Duration.ofHours(24);
            case HOUR -> Duration.ofDays(7);
            case DAY -> Duration.ofDays(30);
        };
    }

    /**
     * The series held here.
     *
     * @return fails with {@link OwnerAnswered} if another monitor owns it, with its answer to this request
     */
    private Uni<Series> knownSeries(String deviceId, Channel channel) {
        String id = Params.deviceId(deviceId);
        return routing.device(id, List.of(channel)).map(gathered -> {
            if (!gathered.answers().isEmpty()) {
                throw new OwnerAnswered(gathered.answers().get(0));
            }
            return gathered.local().get(0).series(new SeriesKey(id, channel)).map(found -> found.series())
                    .filter(series -> !series.allTime().isEmpty())
                    .orElseThrow(() -> gathered.replica() ? notYetReplicated(deviceId, gathered) : held.device(id).isEmpty()
                            ? ApiException.notFound("no device '" + deviceId + "' has sent readings")
                            : ApiException.notFound("device '" + deviceId + "' has sent no " + channel + " readings"));
        });
    }
}

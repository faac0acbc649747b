package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.monitor.stats.Point;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Devices", description = "What each device has sent: all-time stats per channel")
public class DevicesResource {

    private final Aggregates aggregates;

    public DevicesResource(Aggregates aggregates) {
        this.aggregates = aggregates;
    }

    @GET
    @Operation(summary = "Every device seen, its channels and when it was last heard from")
    @APIResponse(responseCode = "200", description = "The devices, by id", content = @Content(
            schema = @Schema(implementation = DeviceSummary.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "devices", value = Examples.DEVICES)))
    public List<DeviceSummary> devices() {
        return aggregates.deviceIds().stream().map(this::summary).flatMap(Optional::stream).toList();
    }

    @GET
    @Path("{deviceId}")
    @Operation(summary = "All channels' stats for one device")
    @APIResponse(responseCode = "200", description = "The device's series", content = @Content(
            schema = @Schema(implementation = DeviceStats.class),
            examples = @ExampleObject(name = "ac", value = Examples.DEVICE)))
    @APIResponse(responseCode = "400", description = "The device id is malformed", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "malformed id", value = Examples.BAD_REQUEST)))
    @APIResponse(responseCode = "404", description = "No such device has sent readings", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "unknown device", value = Examples.NOT_FOUND)))
    public DeviceStats device(@Parameter(description = "The device id", example = "ac") @PathParam("deviceId") String deviceId) {
        Map<Channel, Stats> channels = knownDevice(deviceId);
        List<SeriesStats> series = channels.entrySet().stream()
                .map(entry -> SeriesStats.of(deviceId, entry.getKey(), entry.getValue()))
                .toList();
        return new DeviceStats(deviceId, aggregates.lastHeard(deviceId).orElse(null), series);
    }

    @GET
    @Path("{deviceId}/{channel}")
    @Operation(summary = "All-time stats of one series: one device on one channel")
    @APIResponse(responseCode = "200", description = "The series' stats; energyWh on the power channel only",
            content = @Content(schema = @Schema(implementation = SeriesStats.class), examples = {
                    @ExampleObject(name = "power", value = Examples.POWER_STATS),
                    @ExampleObject(name = "temp", value = Examples.TEMP_STATS) }))
    @APIResponse(responseCode = "400", description = "The device id is malformed", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "malformed id", value = Examples.BAD_REQUEST)))
    @APIResponse(responseCode = "404", description = "Unknown device or channel, or the device sent nothing on it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "unknown device", value = Examples.NOT_FOUND)))
    public SeriesStats series(
            @Parameter(description = "The device id", example = "washing-machine") @PathParam("deviceId") String deviceId,
            @Parameter(description = "The channel: temp or power", example = "power") @PathParam("channel") String channel) {
        Channel known = Params.channel(channel);
        Stats stats = knownDevice(deviceId).get(known);
        if (stats == null) {
            throw ApiException.notFound("device '" + deviceId + "' has sent no " + known + " readings");
        }
        return SeriesStats.of(deviceId, known, stats);
    }

    private Map<Channel, Stats> knownDevice(String deviceId) {
        Map<Channel, Stats> channels = aggregates.device(Params.deviceId(deviceId));
        if (channels.isEmpty()) {
            throw ApiException.notFound("no device '" + deviceId + "' has sent readings");
        }
        return channels;
    }

    private Optional<DeviceSummary> summary(String deviceId) {
        Map<Channel, Stats> channels = aggregates.device(deviceId);
        if (channels.isEmpty()) {
            return Optional.empty();
        }
        Instant lastReading = channels.values().stream().map(Stats::last).map(Point::timestamp)
                .max(Comparator.naturalOrder()).orElseThrow();
        return Optional.of(new DeviceSummary(deviceId, channels.keySet().stream().map(Channel::id).toList(),
                aggregates.lastHeard(deviceId).orElse(null), lastReading));
    }
}

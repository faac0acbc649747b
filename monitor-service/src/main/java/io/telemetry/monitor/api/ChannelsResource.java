package io.telemetry.monitor.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

import com.fasterxml.jackson.core.type.TypeReference;

import io.smallrye.mutiny.Uni;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.reading.Channel;

@Path("/api/channels")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Channels", description = "One channel across all devices: the temperature or the power monitor")
public class ChannelsResource {

    private static final TypeReference<List<SeriesStats>> LIST = new TypeReference<>() {
    };

    private final OwnerRouting routing;

    public ChannelsResource(OwnerRouting routing) {
        this.routing = routing;
    }

    @GET
    @Path("{channel}")
    @Operation(operationId = "getChannel", summary = "All-time stats of every device on one channel")
    @APIResponse(responseCode = "200", description = "One entry per device that sent on the channel, by device id",
            content = @Content(schema = @Schema(implementation = SeriesStats.class, type = SchemaType.ARRAY),
                    examples = @ExampleObject(name = "power", value = "[" + Examples.POWER_STATS + "]")))
    @APIResponse(responseCode = "404", description = "No such channel", content = @Content(
            mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
            examples = @ExampleObject(name = "unknown channel", value = """
                    {"title":"Not Found","status":404,"detail":"unknown channel 'humidity': expected one of temp, power",\
                    "instance":"/api/channels/humidity"}""")))
    public Uni<List<SeriesStats>> channel(
            @Parameter(description = "The channel: temp or power", example = "temp", schema = @Schema(ref = Params.CHANNEL)) @PathParam("channel") String channel) {
        Channel known = Params.channel(channel);
        return routing.list(List.of(known)).map(gathered -> {
            List<SeriesStats> all = new ArrayList<>();
            HeldPartitions.entries(gathered.local(), key -> key.channel() == known).stream()
                    .filter(entry -> !entry.stats().isEmpty())
                    .forEach(entry -> all.add(SeriesStats.of(entry.deviceId(), known, entry.stats())));
            gathered.answers().forEach(answer -> routing.read(answer, LIST).ifPresent(all::addAll));
            all.sort(Comparator.comparing(SeriesStats::deviceId));
            return all;
        });
    }
}

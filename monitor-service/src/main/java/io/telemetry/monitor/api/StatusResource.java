package io.telemetry.monitor.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.ingest.IngestStatus;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.state.PartitionSeries;
import io.telemetry.monitor.stats.Resolution;
import io.telemetry.reading.Channel;

@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status", description = "What ingestion has done so far")
public class StatusResource {

    /**
     * @param applied  readings folded into the aggregates, per channel
     * @param rejected records refused (malformed, invalid, on the wrong topic or under the wrong key), per channel
     * @param duplicates records skipped because their offset was already applied (redeliveries), per channel
     * @param tooLate  readings older than every retained bucket of a resolution (counted in all-time stats only)
     */
    @RegisterForReflection
    public record IngestCounts(Map<String, Long> applied, Map<String, Long> rejected, Map<String, Long> duplicates,
            Map<String, Long> tooLate) {
    }

    private final IngestStatus status;
    private final HeldPartitions held;

    public StatusResource(IngestStatus status, HeldPartitions held) {
        this.status = status;
        this.held = held;
    }

    @GET
    @Operation(summary = "Readings applied and records rejected per channel since the monitor started, and late readings")
    public IngestCounts status() {
        Map<String, Long> tooLate = new LinkedHashMap<>();
        for (Resolution resolution : Resolution.values()) {
            tooLate.put(resolution.iso(), held.partitions().stream().flatMap(state -> state.series().values().stream())
                    .map(PartitionSeries::series).mapToLong(series -> series.tooLate(resolution)).sum());
        }
        return new IngestCounts(perChannel(status::applied), perChannel(status::rejected), perChannel(status::duplicates),
                tooLate);
    }

    private static Map<String, Long> perChannel(Function<Channel, Long> count) {
        return Arrays.stream(Channel.values()).collect(Collectors.toMap(Channel::id, count, (a, b) -> a,
                LinkedHashMap::new));
    }
}

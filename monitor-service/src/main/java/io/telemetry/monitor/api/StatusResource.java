package io.telemetry.monitor.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.telemetry.monitor.cluster.Member;
import io.telemetry.monitor.cluster.Peers;
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
     * What ingestion has done, each count per channel.
     *
     * @param applied    readings folded into the aggregates
     * @param rejected   records refused (malformed, invalid, on the wrong topic or under the wrong key)
     * @param duplicates records skipped because their offset was already applied (redeliveries)
     * @param tooLate    readings older than every retained bucket of a resolution (counted in all-time stats only),
     *                   per resolution
     */
    @RegisterForReflection
    public record IngestCounts(Map<String, Long> applied, Map<String, Long> rejected, Map<String, Long> duplicates,
            Map<String, Long> tooLate) {

        /** These counts and another's, added up. */
        IngestCounts plus(IngestCounts other) {
            return new IngestCounts(sum(applied, other.applied), sum(rejected, other.rejected),
                    sum(duplicates, other.duplicates), sum(tooLate, other.tooLate));
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> total = new LinkedHashMap<>(a);
            b.forEach((key, count) -> total.merge(key, count, Long::sum));
            return total;
        }
    }

    /** One monitor's counts since it started. */
    @RegisterForReflection
    public record InstanceCounts(String id, String url, IngestCounts counts) {
    }

    /**
     * The group's status: the counts of every monitor that answered, added up, then each monitor's own.
     *
     * @param unanswered the monitors of the group that did not answer (their counts are not in the totals)
     */
    @RegisterForReflection
    public record GroupStatus(Map<String, Long> applied, Map<String, Long> rejected, Map<String, Long> duplicates,
            Map<String, Long> tooLate, List<InstanceCounts> instances, List<String> unanswered) {

        static GroupStatus of(List<InstanceCounts> instances, List<String> unanswered) {
            IngestCounts total = instances.stream().map(InstanceCounts::counts).reduce(IngestCounts::plus).orElseThrow();
            return new GroupStatus(total.applied(), total.rejected(), total.duplicates(), total.tooLate(),
                    List.copyOf(instances), List.copyOf(unanswered));
        }
    }

    private static final TypeReference<GroupStatus> ANSWER = new TypeReference<>() {
    };

    private final IngestStatus status;
    private final HeldPartitions held;
    private final OwnerRouting routing;
    private final Member self;

    public StatusResource(IngestStatus status, HeldPartitions held, OwnerRouting routing, Member self) {
        this.status = status;
        this.held = held;
        this.routing = routing;
        this.self = self;
    }

    @GET
    @Operation(operationId = "getStatus", summary = "Readings applied and records rejected per channel, and late readings, for the whole group",
            description = "The totals add up the counts of every monitor of the group that answered, each since it "
                    + "started; instances has each monitor's own, and unanswered names those that did not answer.")
    public Uni<GroupStatus> status() {
        return routing.everyone().map(polled -> {
            List<InstanceCounts> instances = new ArrayList<>();
            instances.add(new InstanceCounts(self.id(), self.url(), local()));
            for (Peers.Answer answer : polled.answers()) {
                routing.read(answer, ANSWER).ifPresent(theirs -> instances.addAll(theirs.instances()));
            }
            return GroupStatus.of(instances, polled.unanswered().stream().map(Member::id).toList());
        });
    }

    /** This monitor's counts since it started, and the late readings of the series it holds. */
    private IngestCounts local() {
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

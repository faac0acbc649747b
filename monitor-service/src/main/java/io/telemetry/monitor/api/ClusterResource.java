package io.telemetry.monitor.api;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.telemetry.monitor.cluster.Assignment;
import io.telemetry.monitor.cluster.Member;
import io.telemetry.monitor.cluster.Ownership;
import io.telemetry.monitor.cluster.Peers;
import io.telemetry.monitor.snapshot.SnapshotReplica;
import io.telemetry.monitor.state.ChannelTopics;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.reading.Channel;

@Path("/api/cluster")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cluster", description = "The monitors of the group, and which of them owns each partition")
public class ClusterResource {

    private static final Instant STARTED = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    private static final TypeReference<Instance> INSTANCE = new TypeReference<>() {
    };

    /**
     * One monitor, as it describes itself.
     *
     * @param held    each partition it owns, has restored and has caught up with (what the partition held when
     *                it was assigned is applied), with the offset through which it has applied it
     * @param replica how far its read replica of the snapshot topic is
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Instance(String id, String url, Instant startedAt, List<Held> held, ReplicaView replica) {
    }

    /**
     * A monitor's read replica.
     *
     * @param following  whether it follows the snapshot topic ({@code MONITOR_SNAPSHOT_REPLICA})
     * @param caughtUp   whether it has read the topic to the end it found at its start, so answers from it
     * @param lag        records of the snapshot topic it has not read yet
     * @param partitions each partition it has, with its last snapshot marker and when that save was written
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplicaView(boolean following, boolean caughtUp, Long lag, List<Replicated> partitions) {
    }

    /** A partition in a read replica: the offset through which its last snapshot includes every record, and when it was saved. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Replicated(String topic, int partition, long appliedThrough, Instant savedAt) {
    }

    /** A partition a monitor holds, and the offset through which it has applied its records (-1 for none). */
    @RegisterForReflection
    public record Held(String topic, int partition, long appliedThrough) {
    }

    /**
     * One monitor as the group and its own answer say.
     *
     * @param answered whether it answered {@code GET /api/cluster/self} just now
     * @param assigned the partitions the group assigns it, per channel
     * @param held     those it owns and has restored, per channel; null if it did not answer
     * @param replica  its read replica's position; null if it did not answer
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(String id, String url, boolean answered, Instant startedAt,
            Map<String, List<Integer>> assigned, Map<String, List<Integer>> held, ReplicaView replica) {
    }

    /**
     * One partition of a channel topic.
     *
     * @param owner          the monitor the group assigns it to; null while it is being rebalanced
     * @param state          {@code owned} (its owner has restored it and answers for it), {@code restoring},
     *                       {@code rebalancing} (no owner) or {@code unanswered} (its owner did not answer)
     * @param appliedThrough the offset through which its owner has applied it
     * @param lag            records in the partition its owner has not applied yet
     * @param snapshotMarker the offset through which its last snapshot includes every record, as the read
     *                       replica of the monitor answering has it
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartitionView(String channel, String topic, int partition, String owner, String state,
            Long logEndOffset, Long appliedThrough, Long lag, Long snapshotMarker) {
    }

    /**
     * @param servedBy     the monitor that made this answer
     * @param groups       the consumer group(s) of the channel topics
     * @param assignmentAt when the group coordinator last described the group
     * @param unanswered   the monitors that did not answer
     */
    @RegisterForReflection
    public record ClusterView(String servedBy, List<String> groups, Instant assignmentAt, List<InstanceView> instances,
            List<PartitionView> partitions, List<String> unanswered) {
    }

    private final HeldPartitions held;
    private final Ownership ownership;
    private final Peers peers;
    private final Member self;
    private final ChannelTopics topics;
    private final OwnerRouting routing;
    private final SnapshotReplica replica;

    public ClusterResource(HeldPartitions held, Ownership ownership, Peers peers, Member self, ChannelTopics topics,
            OwnerRouting routing, SnapshotReplica replica) {
        this.replica = replica;
        this.held = held;
        this.ownership = ownership;
        this.peers = peers;
        this.self = self;
        this.topics = topics;
        this.routing = routing;
    }

    @GET
    @Path("self")
    @Operation(operationId = "getInstance", summary = "This monitor: its id, its URL, the partitions it owns and has restored, its read replica")
    public Instance self() {
        List<Held> partitions = held.current().stream().filter(state -> ownership.vouchesFor(self, state.partition()))
                .map(state -> new Held(state.partition().topic(), state.partition().partition(), state.appliedThrough()))
                .sorted(Comparator.comparing(Held::topic).thenComparingInt(Held::partition)).toList();
        SnapshotReplica.Position position = replica.position();
        ReplicaView view = new ReplicaView(position.following(), position.caughtUp(), position.lag(),
                position.partitions().stream().map(copy -> new Replicated(copy.state().partition().topic(),
                        copy.state().partition().partition(), copy.marker(), copy.savedAt())).toList());
        return new Instance(self.id(), self.url(), STARTED, partitions, view);
    }

    @GET
    @Operation(operationId = "getCluster", summary = "The group: each monitor, each partition's owner and state, and the lag",
            description = "Made of the group coordinator's assignment and of each monitor's own answer to "
                    + "GET /api/cluster/self, asked at once; the monitors that did not answer are listed.")
    public ClusterView cluster() {
        Assignment assignment = ownership.current();
        Map<Member, CompletableFuture<Peers.Answer>> asked = new LinkedHashMap<>();
        for (Member member : assignment.members()) {
            if (!member.equals(self)) {
                asked.put(member, peers.get(member, "/api/cluster/self", List.of()));
            }
        }
        Map<String, Instance> answers = new TreeMap<>();
        answers.put(self.id(), self());
        List<String> unanswered = new ArrayList<>();
        asked.forEach((member, answer) -> {
            Optional<Instance> instance;
            try {
                instance = Peers.ok(answer).flatMap(ok -> routing.read(ok, INSTANCE));
            } catch (RuntimeException e) { // not a monitor's answer
                instance = Optional.empty();
            }
            instance.ifPresentOrElse(found -> answers.put(member.id(), found), () -> unanswered.add(member.id()));
        });

        List<TopicPartition> all = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            String topic = topics.topic(channel);
            for (int p = 0; p < assignment.partitionCounts().getOrDefault(topic, 0); p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        Map<TopicPartition, Long> ends = ownership.endOffsets(all);
        List<PartitionView> partitions = new ArrayList<>();
        for (TopicPartition partition : all) {
            Optional<Member> owner = assignment.owner(partition);
            Instance answer = owner.map(member -> answers.get(member.id())).orElse(null);
            Optional<Held> holding = answer == null ? Optional.empty() : answer.held().stream()
                    .filter(h -> h.topic().equals(partition.topic()) && h.partition() == partition.partition()).findFirst();
            String state = owner.isEmpty() ? "rebalancing" : answer == null ? "unanswered"
                    : holding.isPresent() ? "owned" : "restoring";
            Long end = ends.get(partition);
            Long applied = holding.map(Held::appliedThrough).orElse(null);
            Long marker = replica.partition(partition).map(SnapshotReplica.Replicated::marker).orElse(null);
            partitions.add(new PartitionView(channelOf(partition.topic()), partition.topic(), partition.partition(),
                    owner.map(Member::id).orElse(null), state, end, applied,
                    end == null || applied == null ? null : Math.max(0, end - 1 - applied), marker));
        }

        List<InstanceView> instances = new ArrayList<>();
        List<Member> members = new ArrayList<>(assignment.members());
        if (!members.contains(self)) {
            members.add(self);
        }
        members.sort(Comparator.comparing(Member::id));
        for (Member member : members) {
            Instance answer = answers.get(member.id());
            Map<String, List<Integer>> assigned = perChannel(assignment.owners().entrySet().stream()
                    .filter(entry -> entry.getValue().equals(member)).map(Map.Entry::getKey).toList());
            Map<String, List<Integer>> holding = answer == null ? null : perChannel(answer.held().stream()
                    .map(h -> new TopicPartition(h.topic(), h.partition())).toList());
            instances.add(new InstanceView(member.id(), member.url(), answer != null,
                    answer == null ? null : answer.startedAt(), assigned, holding, answer == null ? null : answer.replica()));
        }
        return new ClusterView(self.id(), ownership.groups().stream().sorted().toList(), assignment.at(), instances,
                partitions, unanswered);
    }

    private Map<String, List<Integer>> perChannel(List<TopicPartition> partitions) {
        Map<String, List<Integer>> byChannel = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            String topic = topics.topic(channel);
            byChannel.put(channel.id(), partitions.stream().filter(partition -> partition.topic().equals(topic))
                    .map(TopicPartition::partition).sorted().toList());
        }
        return byChannel;
    }

    private String channelOf(String topic) {
        for (Channel channel : Channel.values()) {
            if (topics.topic(channel).equals(topic)) {
                return channel.id();
            }
        }
        return null;
    }
}

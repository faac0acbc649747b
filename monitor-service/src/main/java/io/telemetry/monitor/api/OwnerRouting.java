package io.telemetry.monitor.api;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.telemetry.monitor.cluster.Assignment;
import io.telemetry.monitor.cluster.Hop;
import io.telemetry.monitor.cluster.Member;
import io.telemetry.monitor.cluster.Ownership;
import io.telemetry.monitor.cluster.Peers;
import io.telemetry.monitor.snapshot.SnapshotReplica;
import io.telemetry.monitor.state.ChannelTopics;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.reading.Channel;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who answers a request about devices: this monitor for the partitions it holds (owns and has restored),
 * their owners for the others, one hop away. A request that came as a hop is answered from what this
 * monitor holds, never passed on. Every answer says which monitors it was made of ({@link Hop#SERVED_BY}).
 */
@Singleton
public class OwnerRouting {

    /** What a 503 tells a client to wait: about one refresh of the assignment and a restore of a small partition. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /**
     * The owners' answers to a list request, and what this monitor adds to them.
     *
     * @param local   the states answered for here: held, or from the read replica if {@code replica}
     * @param replica whether some of them come from the read replica: their figures may be behind, and a
     *                device missing from them may be known to its owner
     */
    public record Gathered(List<PartitionState> local, List<Peers.Answer> answers, boolean replica) {
    }

    /** What asking the owner of some partitions gave: its answer; none if held here since; or why nobody could. */
    private record Asked(Peers.Answer answer, String unanswered) {
    }

    /**
     * The other monitors' answers to a request about the whole group, and the monitors that did not answer.
     */
    public record Polled(List<Peers.Answer> answers, List<Member> unanswered) {
    }

    private final HeldPartitions held;
    private final Ownership ownership;
    private final Peers peers;
    private final Member self;
    private final ChannelTopics topics;
    private final HttpServerRequest request;
    private final ObjectMapper json;
    private final SnapshotReplica replica;

    public OwnerRouting(HeldPartitions held, Ownership ownership, Peers peers, Member self, ChannelTopics topics,
            HttpServerRequest request, ObjectMapper json, SnapshotReplica replica) {
        this.json = json;
        this.replica = replica;
        this.held = held;
        this.ownership = ownership;
        this.peers = peers;
        this.self = self;
        this.topics = topics;
        this.request = request;
    }

    /** The partition a device's readings on a channel go to, by its topic's real partition count. */
    public TopicPartition partitionOf(String deviceId, Channel channel) {
        String topic = topics.topic(channel);
        Assignment assignment = ownership.current();
        OptionalInt partition = assignment.partition(topic, deviceId);
        if (partition.isEmpty()) {
            partition = ownership.refreshAfter(assignment).partition(topic, deviceId);
        }
        if (partition.isEmpty()) {
            throw ApiException.unavailable("the partitions of topic '" + topic + "' are not known yet: Kafka has not "
                    + "described it", RETRY_AFTER);
        }
        return new TopicPartition(topic, partition.getAsInt());
    }

    /**
     * The held state of partitions for a device's answer. Those this monitor does not hold are asked of their
     * owners (each once, again after a refresh of the assignment if an owner says it is not one any more);
     * those whose owners cannot answer are answered from the read replica.
     *
     * @return the states of those held here (or replicated), and the owners' answers for the others
     * @throws ApiException 421 for a hop asking for what is not held here; 503 if neither an owner nor the replica
     *                      can answer
     */
    public Gathered device(Collection<TopicPartition> partitions) {
        List<PartitionState> local = new ArrayList<>();
        Set<TopicPartition> elsewhere = new LinkedHashSet<>();
        Set<TopicPartition> asked = isHop() ? Hop.parse(request.getHeader(Hop.PARTITIONS)) : Set.of();
        for (TopicPartition partition : partitions) {
            if (!asked.isEmpty() && !asked.contains(partition)) {
                continue; // the sender has its answer for it from elsewhere
            }
            local(partition).ifPresentOrElse(local::add, () -> elsewhere.add(partition));
        }
        if (isHop() && local.isEmpty() && elsewhere.isEmpty()) {
            throw ApiException.misdirected("monitor " + self.id() + " was asked for " + Hop.format(asked)
                    + ", and this request's device is on " + Hop.format(partitions));
        }
        if (!elsewhere.isEmpty() && isHop()) {
            throw ApiException.misdirected("monitor " + self.id() + " does not hold " + Hop.format(elsewhere)
                    + ": it is not the owner, or has not restored and caught up with it yet");
        }
        List<Peers.Answer> answers = new ArrayList<>();
        List<SnapshotReplica.Replicated> replicated = new ArrayList<>();
        Assignment assignment = ownership.current();
        while (!elsewhere.isEmpty()) {
            TopicPartition next = elsewhere.iterator().next();
            Optional<Member> owner = assignment.owner(next);
            Set<TopicPartition> same = elsewhere.stream().filter(partition -> assignment.owner(partition).equals(owner))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            Asked outcome = ask(owner, same, assignment);
            if (outcome.answer() != null) {
                answers.add(outcome.answer());
            } else if (outcome.unanswered() == null) { // held here since
                same.forEach(partition -> local.add(local(partition).orElseThrow()));
            } else {
                List<SnapshotReplica.Replicated> copies = same.stream().map(replica::partition).flatMap(Optional::stream).toList();
                if (copies.size() < same.size()) {
                    throw ApiException.unavailable("no monitor can answer for " + Hop.format(same) + " yet: "
                            + outcome.unanswered(), RETRY_AFTER);
                }
                replicated.addAll(copies);
            }
            elsewhere.removeAll(same);
        }
        List<PartitionState> owned = List.copyOf(local);
        replicated.forEach(copy -> local.add(copy.state()));
        servedBy(owned.isEmpty() && replicated.isEmpty() ? List.of() : List.of(self.id()), answers,
                !owned.isEmpty() || !answers.isEmpty(), replicated);
        return new Gathered(local, answers, !replicated.isEmpty());
    }

    /**
     * The owner's answer for partitions that one monitor owns; no answer once they are all held here; why
     * not if no owner answers, once more after a refresh of the assignment.
     */
    private Asked ask(Optional<Member> owner, Set<TopicPartition> partitions, Assignment seen) {
        String why = "no monitor owns it (the group is rebalancing)";
        Assignment assignment = seen;
        Member silent = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            if (partitions.stream().allMatch(partition -> local(partition).isPresent())) {
                return new Asked(null, null);
            }
            Optional<Member> asked = attempt == 0 ? owner : assignment.owner(partitions.iterator().next());
            if (asked.isPresent() && asked.get().equals(self)) {
                why = "this monitor is restoring it";
            } else if (asked.isPresent() && asked.get().equals(silent)) {
                break; // still its owner, and it did not answer a moment ago: asking again would wait as long for nothing
            } else if (asked.isPresent()) {
                try {
                    Peers.Answer answer = peers.get(asked.get(), request.uri(), partitions).get();
                    if (answer.status() != ApiException.MISDIRECTED.getStatusCode()) {
                        return new Asked(answer, null);
                    }
                    why = "its owner " + asked.get().id() + " has not restored it yet";
                } catch (ExecutionException e) {
                    silent = asked.get();
                    why = "its owner " + asked.get().id() + " at " + asked.get().url() + " did not answer ("
                            + e.getCause().getMessage() + ")";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            assignment = ownership.refreshAfter(assignment);
        }
        return new Asked(null, why);
    }

    /**
     * The states and owners' answers that a list of these channels is made of: every partition held here, and
     * the others asked of their owners at once; those no owner answered for come from the read replica. What
     * neither could answer for is named in {@link Hop#MISSING}. A hop is answered with what is held here of
     * the partitions it names.
     */
    public Gathered list(Collection<Channel> channels) {
        if (isHop()) {
            Set<TopicPartition> asked = Hop.parse(request.getHeader(Hop.PARTITIONS));
            List<PartitionState> local = local().stream()
                    .filter(state -> asked.isEmpty() || asked.contains(state.partition())).toList();
            request.response().putHeader(Hop.HELD, Hop.format(local.stream().map(PartitionState::partition).toList()));
            servedBy(List.of(self.id()), List.of());
            return new Gathered(local, List.of(), false);
        }
        Assignment assignment = ownership.current();
        List<PartitionState> local = new ArrayList<>();
        Map<Member, Set<TopicPartition>> remote = new LinkedHashMap<>();
        Set<TopicPartition> missing = new TreeSet<>(OwnerRouting::compare);
        for (Channel channel : channels) {
            String topic = topics.topic(channel);
            int count = assignment.partitionCounts().getOrDefault(topic, 0);
            for (int p = 0; p < count; p++) {
                TopicPartition partition = new TopicPartition(topic, p);
                Optional<PartitionState> state = local(partition);
                Optional<Member> owner = assignment.owner(partition);
                if (state.isPresent()) {
                    local.add(state.get());
                } else if (owner.isPresent() && !owner.get().equals(self)) {
                    remote.computeIfAbsent(owner.get(), member -> new LinkedHashSet<>()).add(partition);
                } else {
                    missing.add(partition);
                }
            }
            if (count == 0) { // Kafka not described yet: what is held here is all there is to say
                local().stream().filter(state -> state.partition().topic().equals(topic)).forEach(local::add);
            }
        }
        Map<Member, CompletableFuture<Peers.Answer>> pending = new LinkedHashMap<>();
        remote.forEach((member, partitions) -> pending.put(member, peers.get(member, request.uri(), partitions)));
        List<Peers.Answer> answers = new ArrayList<>();
        pending.forEach((member, future) -> {
            Set<TopicPartition> asked = remote.get(member);
            Peers.ok(future).ifPresentOrElse(answer -> {
                answers.add(answer);
                Set<TopicPartition> answered = Hop.parse(answer.held().orElse(""));
                asked.stream().filter(partition -> !answered.contains(partition)).forEach(missing::add);
            }, () -> missing.addAll(asked));
        });
        List<SnapshotReplica.Replicated> replicated = missing.stream().map(replica::partition).flatMap(Optional::stream).toList();
        replicated.forEach(copy -> missing.remove(copy.state().partition()));
        List<PartitionState> owned = List.copyOf(local);
        replicated.forEach(copy -> local.add(copy.state()));
        servedBy(local.isEmpty() ? List.of() : List.of(self.id()), answers, !owned.isEmpty() || !answers.isEmpty(),
                replicated);
        if (!missing.isEmpty()) {
            request.response().putHeader(Hop.MISSING, Hop.format(missing));
        }
        return new Gathered(local, answers, !replicated.isEmpty());
    }

    /**
     * The answers of every other monitor of the group to this request, asked at once, for what each has of
     * its own (its counts, the alerts it fired). Those that did not answer 200 are named in
     * {@link Hop#UNANSWERED}. A hop asks nobody.
     */
    public Polled everyone() {
        if (isHop()) {
            servedBy(List.of(self.id()), List.of());
            return new Polled(List.of(), List.of());
        }
        Map<Member, CompletableFuture<Peers.Answer>> pending = new LinkedHashMap<>();
        ownership.current().members().stream().filter(member -> !member.equals(self))
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(member -> pending.put(member, peers.get(member, request.uri(), List.of())));
        List<Peers.Answer> answers = new ArrayList<>();
        List<Member> unanswered = new ArrayList<>();
        pending.forEach((member, future) -> Peers.ok(future).ifPresentOrElse(answers::add, () -> unanswered.add(member)));
        servedBy(List.of(self.id()), answers);
        if (!unanswered.isEmpty()) {
            request.response().putHeader(Hop.UNANSWERED, unanswered.stream().map(Member::id).collect(Collectors.joining(",")));
        }
        return new Polled(answers, unanswered);
    }

    /**
     * An owner's answer of 200 read as the API's type; for 404, nothing.
     *
     * @throws OwnerAnswered for any other answer, to pass it on as it came
     */
    public <T> Optional<T> read(Peers.Answer answer, TypeReference<T> type) {
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new OwnerAnswered(answer);
        }
        try {
            return Optional.of(json.readValue(answer.body(), type));
        } catch (IOException e) {
            throw new IllegalStateException("monitor " + answer.from().id() + " answered what is not the API's JSON: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A partition this monitor holds, if it may serve it as its owner now: restored and caught up, and not
     * possibly given to another monitor unbeknown to this one ({@link Ownership#vouchesFor}).
     */
    private Optional<PartitionState> local(TopicPartition partition) {
        return held.current(partition).filter(state -> ownership.vouchesFor(self, partition));
    }

    /** Every partition this monitor may serve as its owner now ({@link #local(TopicPartition)}). */
    private List<PartitionState> local() {
        return held.current().stream().filter(state -> ownership.vouchesFor(self, state.partition())).toList();
    }

    /** Whether this request is a hop from another monitor. */
    public boolean isHop() {
        return request.getHeader(Hop.FROM) != null;
    }

    private void servedBy(List<String> here, List<Peers.Answer> answers) {
        servedBy(here, answers, true, List.of());
    }

    /**
     * @param owned      whether some of the answer is owners' state
     * @param replicated the partitions answered for from the read replica
     */
    private void servedBy(List<String> here, List<Peers.Answer> answers, boolean owned,
            List<SnapshotReplica.Replicated> replicated) {
        Set<String> names = new LinkedHashSet<>(here);
        answers.forEach(answer -> names.add(answer.servedBy().orElse(answer.from().id())));
        request.response().putHeader(Hop.SERVED_BY, names.isEmpty() ? self.id() : String.join(",", names));
        request.response().putHeader(Hop.SOURCE, replicated.isEmpty() ? "owner" : owned ? "owner,replica" : "replica");
        if (!replicated.isEmpty()) {
            request.response().putHeader(Hop.REPLICA_THROUGH, replicated.stream()
                    .map(copy -> copy.state().partition() + "@" + copy.marker()).collect(Collectors.joining(",")));
            replicated.stream().map(SnapshotReplica.Replicated::savedAt).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder())
                    .ifPresent(oldest -> request.response().putHeader(Hop.REPLICA_SAVED_AT, oldest.toString()));
        }
    }

    private static int compare(TopicPartition a, TopicPartition b) {
        int topic = a.topic().compareTo(b.topic());
        return topic != 0 ? topic : Integer.compare(a.partition(), b.partition());
    }
}

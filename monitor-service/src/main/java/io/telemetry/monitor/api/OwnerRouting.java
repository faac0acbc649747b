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
import java.util.function.Supplier;
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
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

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

    /** What a request asks: its path and query, whether it is a hop and the partitions it names, and its response. */
    private record Call(String uri, boolean hop, Set<TopicPartition> asked, HttpServerResponse response) {
    }

    /** How often the owner of a partition is asked for one answer: once, and again after a refresh of the group. */
    private static final int ATTEMPTS = 2;

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

    /**
     * The held state of a device's partitions on these channels, for its answer: see
     * {@link #device(Call, Collection)}.
     */
    public Uni<Gathered> device(String deviceId, Collection<Channel> channels) {
        Call call = call(); // here: finding the partitions may go on on a worker thread
        return partitionsOf(deviceId, channels).flatMap(partitions -> device(call, partitions));
    }

    /**
     * The partitions a device's readings on these channels go to, by their topics' real partition counts.
     *
     * @return fails with a 503 {@link ApiException} while a topic's partition count is not known
     */
    private Uni<List<TopicPartition>> partitionsOf(String deviceId, Collection<Channel> channels) {
        return assignment().flatMap(assignment -> channels.stream()
                .allMatch(channel -> assignment.partition(topics.topic(channel), deviceId).isPresent())
                        ? Uni.createFrom().item(assignment)
                        : refreshAfter(assignment))
                .map(assignment -> channels.stream().map(channel -> {
                    String topic = topics.topic(channel);
                    OptionalInt partition = assignment.partition(topic, deviceId);
                    if (partition.isEmpty()) {
                        throw ApiException.unavailable("the partitions of topic '" + topic + "' are not known yet: Kafka "
                                + "has not described it", RETRY_AFTER);
                    }
                    return new TopicPartition(topic, partition.getAsInt());
                }).toList());
    }

    /**
     * The held state of partitions for a device's answer. Those this monitor does not hold are asked of their
     * owners (each once, again after a refresh of the assignment if an owner says it is not one any more);
     * those whose owners cannot answer are answered from the read replica. Nothing waits on a thread: a hop is
     * answered on the event loop that asked it, and only a read of the group from Kafka goes to a worker.
     *
     * @return the states of those held here (or replicated), and the owners' answers for the others; fails with
     *         421 for a hop asking for what is not held here, 503 if neither an owner nor the replica can answer
     */
    private Uni<Gathered> device(Call call, Collection<TopicPartition> partitions) {
        List<PartitionState> local = new ArrayList<>();
        Set<TopicPartition> elsewhere = new LinkedHashSet<>();
        for (TopicPartition partition : partitions) {
            if (!call.asked().isEmpty() && !call.asked().contains(partition)) {
                continue; // the sender has its answer for it from elsewhere
            }
            local(partition).ifPresentOrElse(local::add, () -> elsewhere.add(partition));
        }
        if (call.hop() && local.isEmpty() && elsewhere.isEmpty()) {
            throw ApiException.misdirected("monitor " + self.id() + " was asked for " + Hop.format(call.asked())
                    + ", and this request's device is on " + Hop.format(partitions));
        }
        if (!elsewhere.isEmpty() && call.hop()) {
            throw ApiException.misdirected("monitor " + self.id() + " does not hold " + Hop.format(elsewhere)
                    + ": it is not the owner, or has not restored and caught up with it yet");
        }
        if (elsewhere.isEmpty()) {
            return Uni.createFrom().item(gathered(call, local, List.of(), List.of()));
        }
        return assignment().flatMap(assignment -> gather(call, assignment, elsewhere, local, new ArrayList<>(),
                new ArrayList<>()));
    }

    /** Asks the owners of the partitions {@code elsewhere}, one owner after the other, and adds what each gave. */
    private Uni<Gathered> gather(Call call, Assignment assignment, Set<TopicPartition> elsewhere, List<PartitionState> local,
            List<Peers.Answer> answers, List<SnapshotReplica.Replicated> replicated) {
        if (elsewhere.isEmpty()) {
            return Uni.createFrom().item(() -> gathered(call, local, answers, replicated));
        }
        Optional<Member> owner = assignment.owner(elsewhere.iterator().next());
        Set<TopicPartition> same = elsewhere.stream().filter(partition -> assignment.owner(partition).equals(owner))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return ask(call, owner, same, assignment).flatMap(outcome -> {
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
            return gather(call, assignment, elsewhere, local, answers, replicated);
        });
    }

    /** What a device's answer is made of, said in its headers. */
    private Gathered gathered(Call call, List<PartitionState> owned, List<Peers.Answer> answers,
            List<SnapshotReplica.Replicated> replicated) {
        List<PartitionState> local = new ArrayList<>(owned);
        replicated.forEach(copy -> local.add(copy.state()));
        servedBy(call, owned.isEmpty() && replicated.isEmpty() ? List.of() : List.of(self.id()), answers,
                !owned.isEmpty() || !answers.isEmpty(), replicated);
        return new Gathered(local, answers, !replicated.isEmpty());
    }

    /**
     * The owner's answer for partitions that one monitor owns; no answer once they are all held here; why
     * not if no owner answers, once more after a refresh of the assignment.
     */
    private Uni<Asked> ask(Call call, Optional<Member> owner, Set<TopicPartition> partitions, Assignment seen) {
        return attempt(call, 0, owner, partitions, seen, null, "no monitor owns it (the group is rebalancing)");
    }

    /**
     * @param silent an owner that did not answer at the attempt before
     * @param why    what the attempt before found
     */
    private Uni<Asked> attempt(Call call, int attempt, Optional<Member> owner, Set<TopicPartition> partitions,
            Assignment assignment, Member silent, String why) {
        if (partitions.stream().allMatch(partition -> local(partition).isPresent())) {
            return Uni.createFrom().item(new Asked(null, null));
        }
        Optional<Member> asked = attempt == 0 ? owner : assignment.owner(partitions.iterator().next());
        if (asked.isPresent() && asked.get().equals(self)) {
            return again(call, attempt, owner, partitions, assignment, silent, "this monitor is restoring it");
        }
        if (asked.isPresent() && asked.get().equals(silent)) {
            // Still its owner, and it did not answer a moment ago: asking again would wait as long for nothing.
            return Uni.createFrom().item(new Asked(null, why));
        }
        if (asked.isEmpty()) {
            return again(call, attempt, owner, partitions, assignment, silent, why);
        }
        Member member = asked.get();
        return Uni.createFrom().completionStage(() -> peers.get(member, call.uri(), partitions))
                .onItemOrFailure().transformToUni((answer, failure) -> {
                    if (failure != null) {
                        return again(call, attempt, owner, partitions, assignment, member, "its owner " + member.id()
                                + " at " + member.url() + " did not answer (" + failure.getMessage() + ")");
                    }
                    if (answer.status() != ApiException.MISDIRECTED.getStatusCode()) {
                        return Uni.createFrom().item(new Asked(answer, null));
                    }
                    return again(call, attempt, owner, partitions, assignment, silent,
                            "its owner " + member.id() + " has not restored it yet");
                });
    }

    /** The second attempt, after a refresh of the assignment; after the second, why neither answered. */
    private Uni<Asked> again(Call call, int attempt, Optional<Member> owner, Set<TopicPartition> partitions,
            Assignment assignment, Member silent, String why) {
        if (attempt + 1 == ATTEMPTS) {
            return Uni.createFrom().item(new Asked(null, why));
        }
        return refreshAfter(assignment).flatMap(refreshed -> attempt(call, attempt + 1, owner, partitions, refreshed,
                silent, why));
    }

    /**
     * The states and owners' answers that a list of these channels is made of: every partition held here, and
     * the others asked of their owners at once; those no owner answered for come from the read replica. What
     * neither could answer for is named in {@link Hop#MISSING}. A hop is answered with what is held here of
     * the partitions it names.
     */
    public Uni<Gathered> list(Collection<Channel> channels) {
        Call call = call();
        if (call.hop()) {
            List<PartitionState> local = local().stream()
                    .filter(state -> call.asked().isEmpty() || call.asked().contains(state.partition())).toList();
            call.response().putHeader(Hop.HELD, Hop.format(local.stream().map(PartitionState::partition).toList()));
            servedBy(call, List.of(self.id()), List.of());
            return Uni.createFrom().item(new Gathered(local, List.of(), false));
        }
        return assignment().flatMap(assignment -> {
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
            Map<Member, Uni<Optional<Peers.Answer>>> pending = new LinkedHashMap<>();
            remote.forEach((member, partitions) -> pending.put(member,
                    whenOk(peers.get(member, call.uri(), partitions))));
            return all(pending).map(results -> {
                List<Peers.Answer> answers = new ArrayList<>();
                results.forEach((member, result) -> {
                    Set<TopicPartition> asked = remote.get(member);
                    result.ifPresentOrElse(answer -> {
                        answers.add(answer);
                        Set<TopicPartition> answered = Hop.parse(answer.held().orElse(""));
                        asked.stream().filter(partition -> !answered.contains(partition)).forEach(missing::add);
                    }, () -> missing.addAll(asked));
                });
                List<SnapshotReplica.Replicated> replicated = missing.stream().map(replica::partition)
                        .flatMap(Optional::stream).toList();
                replicated.forEach(copy -> missing.remove(copy.state().partition()));
                List<PartitionState> owned = List.copyOf(local);
                replicated.forEach(copy -> local.add(copy.state()));
                servedBy(call, local.isEmpty() ? List.of() : List.of(self.id()), answers,
                        !owned.isEmpty() || !answers.isEmpty(), replicated);
                if (!missing.isEmpty()) {
                    call.response().putHeader(Hop.MISSING, Hop.format(missing));
                }
                return new Gathered(local, answers, !replicated.isEmpty());
            });
        });
    }

    /**
     * The answers of every other monitor of the group to this request, asked at once, for what each has of
     * its own (its counts, the alerts it fired). Those that did not answer 200 are named in
     * {@link Hop#UNANSWERED}. A hop asks nobody.
     */
    public Uni<Polled> everyone() {
        Call call = call();
        if (call.hop()) {
            servedBy(call, List.of(self.id()), List.of());
            return Uni.createFrom().item(new Polled(List.of(), List.of()));
        }
        return assignment().flatMap(assignment -> {
            Map<Member, Uni<Optional<Peers.Answer>>> pending = new LinkedHashMap<>();
            assignment.members().stream().filter(member -> !member.equals(self))
                    .sorted((a, b) -> a.id().compareTo(b.id()))
                    .forEach(member -> pending.put(member, whenOk(peers.get(member, call.uri(), List.of()))));
            return all(pending);
        }).map(results -> {
            List<Peers.Answer> answers = new ArrayList<>();
            List<Member> unanswered = new ArrayList<>();
            results.forEach((member, result) -> result.ifPresentOrElse(answers::add, () -> unanswered.add(member)));
            servedBy(call, List.of(self.id()), answers);
            if (!unanswered.isEmpty()) {
                call.response().putHeader(Hop.UNANSWERED, unanswered.stream().map(Member::id).collect(Collectors.joining(",")));
            }
            return new Polled(answers, unanswered);
        });
    }

    /** A pending answer, if it comes and is a 200 ({@link Peers#ok} without waiting for it). */
    private static Uni<Optional<Peers.Answer>> whenOk(CompletableFuture<Peers.Answer> pending) {
        return Uni.createFrom().completionStage(pending).map(answer -> Optional.of(answer).filter(ok -> ok.status() == 200))
                .onFailure().recoverWithItem(Optional.empty());
    }

    /** Every pending answer, once all have come (or failed), by the member asked, in the order asked. */
    private static Uni<Map<Member, Optional<Peers.Answer>>> all(Map<Member, Uni<Optional<Peers.Answer>>> pending) {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Member> members = List.copyOf(pending.keySet());
        return Uni.join().all(List.copyOf(pending.values())).andFailFast().map(results -> {
            Map<Member, Optional<Peers.Answer>> byMember = new LinkedHashMap<>();
            for (int i = 0; i < members.size(); i++) {
                byMember.put(members.get(i), results.get(i));
            }
            return byMember;
        });
    }

    /** The assignment as last read; if it never was, read from Kafka on a worker thread (its Admin client waits). */
    private Uni<Assignment> assignment() {
        Assignment known = ownership.known();
        return known.at() != null ? Uni.createFrom().item(known) : onWorker(ownership::current);
    }

    /** {@link Ownership#refreshAfter}, on a worker thread. */
    private Uni<Assignment> refreshAfter(Assignment seen) {
        return onWorker(() -> ownership.refreshAfter(seen));
    }

    private static <T> Uni<T> onWorker(Supplier<T> blocking) {
        return Uni.createFrom().item(blocking).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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

    /**
     * What the request asks, read on the thread it came in on (the request-scoped {@code HttpServerRequest} is
     * not there for the rest of its answer, which may be made on another).
     */
    private Call call() {
        boolean hop = request.getHeader(Hop.FROM) != null;
        return new Call(request.uri(), hop, hop ? Hop.parse(request.getHeader(Hop.PARTITIONS)) : Set.of(), request.response());
    }

    private void servedBy(Call call, List<String> here, List<Peers.Answer> answers) {
        servedBy(call, here, answers, true, List.of());
    }

    /**
     * @param owned      whether some of the answer is owners' state
     * @param replicated the partitions answered for from the read replica
     */
    private void servedBy(Call call, List<String> here, List<Peers.Answer> answers, boolean owned,
            List<SnapshotReplica.Replicated> replicated) {
        HttpServerResponse response = call.response();
        Set<String> names = new LinkedHashSet<>(here);
        answers.forEach(answer -> names.add(answer.servedBy().orElse(answer.from().id())));
        response.putHeader(Hop.SERVED_BY, names.isEmpty() ? self.id() : String.join(",", names));
        response.putHeader(Hop.SOURCE, replicated.isEmpty() ? "owner" : owned ? "owner,replica" : "replica");
        if (!replicated.isEmpty()) {
            response.putHeader(Hop.REPLICA_THROUGH, replicated.stream()
                    .map(copy -> copy.state().partition() + "@" + copy.marker()).collect(Collectors.joining(",")));
            replicated.stream().map(SnapshotReplica.Replicated::savedAt).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder())
                    .ifPresent(oldest -> response.putHeader(Hop.REPLICA_SAVED_AT, oldest.toString()));
        }
    }

    private static int compare(TopicPartition a, TopicPartition b) {
        int topic = a.topic().compareTo(b.topic());
        return topic != 0 ? topic : Integer.compare(a.partition(), b.partition());
    }
}

package io.telemetry.monitor.cluster;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The live streams of every other monitor of the group, as one: each member's stream of the same request
 * (as a hop, so it holds that member's own events only), opened when it joins the group and closed when it
 * leaves, reopened after it broke while the member is still in the group.
 */
@Singleton
public class PeerStreams {

    /** How often the members are compared with the streams open: the period {@link Ownership} reads them in. */
    static final Duration FOLLOW = Duration.ofSeconds(2);

    private final Peers peers;
    private final Ownership ownership;
    private final Member self;

    public PeerStreams(Peers peers, Ownership ownership, Member self) {
        this.peers = peers;
        this.ownership = ownership;
        this.self = self;
    }

    /**
     * The data of every event the other members stream for this request, as they come; dropped for a
     * subscriber that is behind.
     */
    public Multi<String> everyone(String pathAndQuery) {
        return Multi.createFrom().<String> emitter(emitter -> {
            Map<Member, Cancellable> open = new ConcurrentHashMap<>();
            Runnable follow = () -> {
                if (emitter.isCancelled()) {
                    return;
                }
                // What was read last: on an event loop at subscription, this must not wait for Kafka.
                Set<Member> others = ownership.known().members().stream().filter(member -> !member.equals(self))
                        .collect(Collectors.toSet());
                open.entrySet().removeIf(entry -> {
                    boolean gone = !others.contains(entry.getKey());
                    if (gone) {
                        entry.getValue().cancel();
                    }
                    return gone;
                });
                others.stream().sorted(Comparator.comparing(Member::id)).filter(member -> !open.containsKey(member))
                        .forEach(member -> open.put(member, peers.stream(member, pathAndQuery).subscribe().with(
                                emitter::emit, failure -> open.remove(member), () -> open.remove(member))));
            };
            Cancellable ticks = Multi.createFrom().ticks().every(FOLLOW).subscribe().with(tick -> follow.run());
            emitter.onTermination(() -> {
                ticks.cancel();
                open.values().forEach(Cancellable::cancel);
                open.clear();
            });
            follow.run();
        }, BackPressureStrategy.DROP);
    }
}

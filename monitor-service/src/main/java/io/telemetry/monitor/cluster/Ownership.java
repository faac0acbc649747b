package io.telemetry.monitor.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.telemetry.monitor.KafkaClients;
import io.telemetry.monitor.state.ChannelTopics;

/**
 * Which monitor owns each partition of the channel topics: the group coordinator's assignment, read with
 * Kafka's Admin client every {@link #EVERY} and whenever an answer shows it changed. The members are the
 * group's own ({@link Member#ofClientId}), so there is nothing to register and nothing left behind by a
 * monitor that died.
 */
@Singleton
public class Ownership {

    static final String EVERY = "2s";
    static final Duration PATIENCE = Duration.ofSeconds(5);
    /** A forced refresh within this of the last one returns the last one: a burst of failures asks once. */
    static final Duration QUIET = Duration.ofMillis(250);
    /**
     * How recent the last assignment read must be for this monitor to serve what it holds as its owner.
     * The coordinator gives a silent member's partitions away once its session ends ({@code session.timeout.ms},
     * 10 s as shipped), counted from its last heartbeat, which is at most {@code heartbeat.interval.ms} (3 s)
     * older than its last read of the group: a monitor that read the group less than 6 s ago still owns what
     * it was assigned, unless the session timeout is set to less than the heartbeat interval plus 6 s. A monitor that was frozen
     * (SIGSTOP, a long pause of the JVM) or cut off from Kafka wakes with an older read, and serves nothing as
     * its own until it has read the group again.
     */
    static final Duration FRESH = Duration.ofSeconds(6);

    private static final Logger LOG = Logger.getLogger(Ownership.class);

    private final Map<String, Object> kafka;
    private final ChannelTopics topics;
    private final Map<String, String> groups = new ConcurrentHashMap<>();
    /** The channel topics whose partitions this monitor holds may have gone to another unbeknown to it. */
    private final Set<String> doubted = ConcurrentHashMap.newKeySet();
    private volatile Assignment current = Assignment.UNKNOWN;
    private Admin admin;
    private boolean warned;

    public Ownership(@Identifier("default-kafka-broker") Map<String, Object> kafka, Config config, ChannelTopics topics) {
        this.kafka = KafkaClients.settings(kafka, config);
        this.topics = topics;
    }

    /** Notes the group a channel topic's consumer is in, as the consumer says when it is given partitions. */
    public void joined(String topic, String group) {
        groups.put(topic, group);
        doubted.remove(topic);
    }

    /** The assignment as last read, {@link Assignment#UNKNOWN} if it never was: never waits for Kafka. */
    public Assignment known() {
        return current;
    }

    /** The assignment as last read; read now if it never was. */
    public Assignment current() {
        Assignment known = current;
        return known.at() == null ? refresh() : known;
    }

    /**
     * Whether this monitor may serve a partition it holds as its owner now. Only if the group was read within
     * {@link #FRESH}; and after a longer gap between two reads (frozen, or cut off from Kafka), only if the
     * coordinator names it the owner, until its consumer of that topic is given partitions again: its consumer
     * may not have heard yet that they were given away meanwhile.
     */
    public boolean vouchesFor(Member self, TopicPartition partition) {
        Assignment known = current; // never waits: asked on the event loop, and a group never read vouches for nothing
        if (known.at() == null || !known.at().isAfter(Instant.now().minus(FRESH))) {
            return false;
        }
        return !doubted.contains(partition.topic()) || known.owner(partition).filter(self::equals).isPresent();
    }

    /** The assignment read again, unless it was read after {@code seen} was (or within {@link #QUIET}). */
    public synchronized Assignment refreshAfter(Assignment seen) {
        Assignment known = current;
        if (known != seen || (known.at() != null && known.at().isAfter(Instant.now().minus(QUIET)))) {
            return known;
        }
        return refresh();
    }

    @Scheduled(every = EVERY, concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "1s")
    void tick() {
        refresh();
    }

    /** Reads the topics' partition counts and the groups' members; keeps the last assignment if Kafka does not answer. */
    public synchronized Assignment refresh() {
        try {
            Instant asked = Instant.now(); // the coordinator's answer is about this moment or a later one
            Admin client = admin();
            Map<String, Integer> counts = new HashMap<>();
            for (Map.Entry<String, TopicDescription> topic : client.describeTopics(topics.all()).allTopicNames()
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
                counts.put(topic.getKey(), topic.getValue().partitions().size());
            }
            Map<TopicPartition, Member> owners = new HashMap<>();
            Set<Member> members = new HashSet<>();
            if (!groups.isEmpty()) {
                for (ConsumerGroupDescription group : client.describeConsumerGroups(Set.copyOf(groups.values())).all()
                        .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).values()) {
                    for (MemberDescription member : group.members()) {
                        Member.ofClientId(member.clientId()).ifPresent(monitor -> {
                            members.add(monitor);
                            for (TopicPartition partition : member.assignment().topicPartitions()) {
                                if (groups.get(partition.topic()) != null) {
                                    owners.put(partition, monitor);
                                }
                            }
                        });
                    }
                }
            }
            Instant before = current.at();
            if (before != null && asked.isAfter(before.plus(FRESH))) {
                LOG.warnf("The group was last read %d s ago (this process was frozen, or Kafka out of reach): serving the"
                        + " partitions held only where the coordinator names this monitor their owner, until the"
                        + " consumers are given partitions again", Duration.between(before, asked).toSeconds());
                doubted.addAll(groups.keySet());
            }
            current = new Assignment(counts, owners, members, asked);
            warned = false;
        } catch (ExecutionException | TimeoutException e) {
            if (!warned) {
                LOG.warnf("Cannot read the group's assignment from Kafka (kept the last one, tried every %s): %s", EVERY,
                        e instanceof ExecutionException ? e.getCause().getMessage() : "no answer in " + PATIENCE.toSeconds() + " s");
                warned = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return current;
    }

    /**
     * The log-end offset of each of these partitions; empty if Kafka does not answer.
     */
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        try {
            admin().listOffsets(latest).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("No log-end offsets from Kafka: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ends;
    }

    /** The groups the channel consumers are in, as they said. */
    public Set<String> groups() {
        return Set.copyOf(groups.values());
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.put("client.id", "monitor-ownership");
            settings.put("request.timeout.ms", (int) PATIENCE.toMillis());
            settings.put("default.api.timeout.ms", (int) PATIENCE.toMillis());
            admin = Admin.create(settings);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}

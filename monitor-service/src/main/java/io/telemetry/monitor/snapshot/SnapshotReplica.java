package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.SeriesSettings;

/**
 * A read replica of every partition of the channel topics, built by following the snapshot topic: committed
 * saves only ({@code read_committed}), each applied whole at its marker. What a monitor answers from, marked
 * as a replica, for a partition whose owner cannot answer: being rebalanced, restoring, frozen, or gone. It
 * is as fresh as the owner's last save (every {@code MONITOR_SNAPSHOT_INTERVAL}) plus the second this
 * follows at.
 *
 * <p>A compacted topic is consistent only at its end: the replica serves nothing until it has read the topic
 * once to the end offsets it found when it started; from then on, each marker applied is a save as its owner
 * committed it. (Kafka compacts only segments older than the active one, rolled every
 * {@code MONITOR_SNAPSHOT_SEGMENT}: a replica that falls further behind than that could apply a marker
 * missing a record superseded later, until it reads that later one.)
 */
@Singleton
public class SnapshotReplica {

    private static final Logger LOG = Logger.getLogger(SnapshotReplica.class);
    /** The longest one turn of following goes on polling, so that a long first read does not hold a thread for good. */
    private static final Duration TURN = Duration.ofSeconds(2);

    /**
     * One partition as the replica has it.
     *
     * @param state   its series as of its last marker
     * @param marker  the offset of the channel topic's partition through which they include every record
     * @param savedAt when the owner wrote that save; {@code null} if unknown
     */
    public record Replicated(PartitionState state, long marker, Instant savedAt) {
    }

    /**
     * How far the replica has read the snapshot topic.
     *
     * @param following whether it follows the topic (off when {@code MONITOR_SNAPSHOT_REPLICA} is false)
     * @param caughtUp  whether it has read the topic to the end it found at its start, so serves its partitions
     * @param lag       records of the topic not read yet, as of its last fetch; {@code null} if not known
     */
    public record Position(boolean following, boolean caughtUp, Long lag, List<Replicated> partitions) {
    }

    private final SnapshotTopic topic;
    private final SeriesSettings settings;
    private final boolean enabled;
    private volatile SnapshotImages images;
    private volatile boolean caughtUp;
    private volatile Long lag;
    /** Guarded by this. */
    private KafkaConsumer<String, byte[]> reader;
    private Map<TopicPartition, Long> startEnds;
    private boolean closed;

    public SnapshotReplica(SnapshotTopic topic, SeriesSettings settings, MonitorConfig config) {
        this.topic = topic;
        this.settings = settings;
        this.enabled = config.snapshot().replica();
    }

    /** A partition of a channel topic as the replica has it, once it has caught up and the partition has a marker. */
    public Optional<Replicated> partition(TopicPartition partition) {
        SnapshotImages known = images;
        if (!caughtUp || known == null) {
            return Optional.empty();
        }
        return known.image(partition).flatMap(SnapshotReplica::replicated);
    }

    public Position position() {
        SnapshotImages known = images;
        List<Replicated> partitions = !caughtUp || known == null ? List.of() : known.all().values().stream()
                .map(SnapshotReplica::replicated).flatMap(Optional::stream)
                .sorted(Comparator.comparing((Replicated r) -> r.state().partition().topic())
                        .thenComparingInt(r -> r.state().partition().partition()))
                .toList();
        return new Position(enabled, caughtUp, lag, partitions);
    }

    private static Optional<Replicated> replicated(PartitionImage image) {
        long marker = image.marker();
        if (marker < 0 || image.problem().isPresent()) {
            return Optional.empty();
        }
        long savedAt = image.savedAt();
        return Optional.of(new Replicated(image.state(), marker, savedAt < 0 ? null : Instant.ofEpochMilli(savedAt)));
    }

    /** Reads what was committed to the snapshot topic since the last turn. */
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    synchronized void follow() {
        if (!enabled || closed) {
            return;
        }
        try {
            if (reader == null) {
                reader = topic.reader("monitor-snapshots-replica");
                startEnds = reader.endOffsets(topic.assignAll(reader), Duration.ofSeconds(30));
                images = new SnapshotImages(settings, any -> true, System::currentTimeMillis, true);
            }
            long until = System.nanoTime() + TURN.toNanos();
            ConsumerRecords<String, byte[]> records;
            do {
                records = reader.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, byte[]> record : records) {
                    images.add(record.key(), record.value(), record.timestamp());
                }
            } while (!records.isEmpty() && System.nanoTime() < until);
            long behind = 0;
            for (TopicPartition partition : reader.assignment()) {
                behind += reader.currentLag(partition).orElse(0);
            }
            lag = behind;
            if (!caughtUp && startEnds.entrySet().stream().allMatch(end -> reader.position(end.getKey()) >= end.getValue())) {
                caughtUp = true;
                LOG.infof("The read replica has read the snapshot topic %s to its end: it answers for %d partitions"
                        + " whose owners cannot", topic.name(), position().partitions().size());
            }
        } catch (RuntimeException e) {
            // Starting over from the beginning is the one way back to a consistent image.
            LOG.warnf("The read replica stopped following the snapshot topic %s (starts over in a second): %s",
                    topic.name(), e.getMessage());
            stopReading();
        }
    }

    private void stopReading() {
        caughtUp = false;
        lag = null;
        images = null;
        if (reader != null) {
            reader.close(Duration.ZERO);
            reader = null;
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        stopReading();
    }
}

package io.telemetry.monitor.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.common.TopicPartition;

import io.telemetry.monitor.stats.SeriesKey;
import io.telemetry.reading.Channel;

/**
 * The partitions of the channel topics this monitor holds: assigned to it by the consumer group and
 * restored from their snapshots. Only these are served as current; a partition revoked or lost is
 * dropped at once, with all its series, and a batch still in flight for it applies to a state nobody
 * serves any more.
 */
@Singleton
public class HeldPartitions {

    private final Map<TopicPartition, PartitionState> held = new ConcurrentHashMap<>();
    private final Consumer<PartitionsReleased> released;

    @Inject
    public HeldPartitions(Event<PartitionsReleased> released) {
        this(released::fire);
    }

    /** @param released told which series went, each time partitions are let go of */
    public HeldPartitions(Consumer<PartitionsReleased> released) {
        this.released = released;
    }

    /** The hold on a partition as it is now, for ingestion to take at the start of a batch. */
    public PartitionHold hold(TopicPartition partition) {
        PartitionState state = held.get(partition);
        return state == null ? PartitionHold.NONE : state;
    }

    /** Holds a restored partition from now on, in place of any earlier hold on it. */
    public void take(PartitionState state) {
        held.put(state.partition(), state);
    }

    /**
     * Lets go of partitions, and tells the observers of {@link PartitionsReleased} which series went.
     *
     * @return the states let go of
     */
    public List<PartitionState> release(Collection<TopicPartition> partitions) {
        List<PartitionState> gone = new ArrayList<>();
        List<SeriesKey> series = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            PartitionState state = held.remove(partition);
            if (state != null) {
                gone.add(state);
                series.addAll(state.series().keySet());
            }
        }
        if (!series.isEmpty()) {
            released.accept(new PartitionsReleased(List.copyOf(series)));
        }
        return gone;
    }

    public Optional<PartitionState> partition(TopicPartition partition) {
        return Optional.ofNullable(held.get(partition));
    }

    /** Every partition held now. */
    public Collection<PartitionState> partitions() {
        return held.values();
    }

    /**
     * A held partition whose series are current: restored and caught up with what the partition held when it
     * was assigned. One still reading is not served: its devices' figures are behind, and those it has not
     * reached yet would answer as unknown.
     */
    public Optional<PartitionState> current(TopicPartition partition) {
        return partition(partition).filter(PartitionState::caughtUp);
    }

    /** Every held partition whose series are current ({@link #current(TopicPartition)}). */
    public List<PartitionState> current() {
        return held.values().stream().filter(PartitionState::caughtUp).toList();
    }

    /** The all-time figures of one device's series, one look-up a channel (not a walk over every series). */
    public List<SeriesEntry> device(String deviceId) {
        return device(held.values(), deviceId);
    }

    /** The all-time figures of one device's series in these partitions, one look-up a channel and partition. */
    public static List<SeriesEntry> device(Collection<PartitionState> partitions, String deviceId) {
        List<SeriesEntry> entries = new ArrayList<>(2);
        for (PartitionState state : partitions) {
            for (Channel channel : Channel.values()) {
                SeriesKey key = new SeriesKey(deviceId, channel);
                state.series(key).ifPresent(series -> entries.add(new SeriesEntry(deviceId, channel,
                        state.partition().partition(), series.series().allTime(), series.heardAt())));
            }
        }
        return entries;
    }

    /** The all-time figures of every series of the held partitions that {@code wanted} takes. */
    public List<SeriesEntry> entries(Predicate<SeriesKey> wanted) {
        return entries(held.values(), wanted);
    }

    /** The all-time figures of every series of these partitions that {@code wanted} takes. */
    public static List<SeriesEntry> entries(Collection<PartitionState> partitions, Predicate<SeriesKey> wanted) {
        List<SeriesEntry> entries = new ArrayList<>();
        for (PartitionState state : partitions) {
            state.series().forEach((key, series) -> {
                if (wanted.test(key)) {
                    entries.add(new SeriesEntry(key.deviceId(), key.channel(), state.partition().partition(),
                            series.series().allTime(), series.heardAt()));
                }
            });
        }
        return entries;
    }
}

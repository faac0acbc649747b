package io.telemetry.monitor.snapshot;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.state.SeriesDelta;
import io.telemetry.monitor.stats.Series;

/**
 * Saves one held partition's state to the snapshot topic, one Kafka transaction a save: the header of
 * each series that changed since the last save, each bucket that changed (a tombstone for one that left
 * retention), and the partition's marker, the offset through which every record is applied. Together or
 * not at all: a reader of committed records only never sees part of a save.
 *
 * <p>The producer is the partition's own transactional one ({@link SnapshotProducers}): once another
 * monitor has opened it (the group gave it the partition while this one stalled), this one is fenced and
 * stops saving the partition for good.
 */
final class PartitionSaver {

    private static final Logger LOG = Logger.getLogger(PartitionSaver.class);

    /** For crash tests: where a save halts the process. */
    enum FailPoint {
        /** Never: every real deployment. */
        NONE,
        /** After a save's series are written and before its marker is, in a partition that has an older marker. */
        BEFORE_MARKER;

        static FailPoint of(String name) {
            return switch (name) {
                case "none" -> NONE;
                case "before-marker" -> BEFORE_MARKER;
                default -> throw new IllegalArgumentException("MONITOR_SNAPSHOT_FAIL_POINT: '" + name
                        + "' is not one of none, before-marker");
            };
        }
    }

    /** A save whose commit or abort has yet to be finished (it timed out): the changes it wrote and its marker. */
    record Unfinished(boolean commit, List<SeriesDelta> written, long through) {
    }

    /** What a committed save wrote: its records and their bytes (keys and values). */
    record Saved(int records, long bytes) {
        static final Saved NOTHING = new Saved(0, 0);

        /** This and one more record, its key's and value's bytes counted (keys are ASCII). */
        Saved plus(ProducerRecord<String, byte[]> record) {
            return new Saved(records + 1, bytes + record.key().length() + (record.value() == null ? 0 : record.value().length));
        }
    }

    private final String topic;
    private final PartitionState state;
    private final FailPoint failPoint;
    private Producer<String, byte[]> producer;
    private long savedThrough;
    private Unfinished unfinished;
    private boolean stopped;

    /**
     * @param topic        the snapshot topic
     * @param savedThrough the marker the partition was restored from; -1 for none
     */
    PartitionSaver(String topic, PartitionState state, Producer<String, byte[]> producer, long savedThrough,
            FailPoint failPoint) {
        this.topic = topic;
        this.state = state;
        this.producer = producer;
        this.savedThrough = savedThrough;
        this.failPoint = failPoint;
    }

    TopicPartition partition() {
        return state.partition();
    }

    /** The offset through which the partition's state is saved; -1 if never. */
    long savedThrough() {
        return savedThrough;
    }

    /** Whether this monitor has stopped saving the partition (its producer was fenced, or cannot go on). */
    boolean stopped() {
        return stopped;
    }

    /**
     * Saves what changed since the last save, if anything did.
     *
     * @return what the save wrote, once committed
     * @throws RuntimeException if it could not, for now: what it took is saved at the next save instead
     */
    Saved save() {
        if (stopped || producer == null) {
            return Saved.NOTHING;
        }
        if (unfinished != null) {
            finish(); // throws while it still cannot
            if (stopped) {
                return Saved.NOTHING;
            }
        }
        long through = state.appliedThrough();
        if (through < 0) {
            return Saved.NOTHING;
        }
        List<SeriesDelta> deltas = state.takeChanges();
        if (deltas.isEmpty() && through == savedThrough) {
            return Saved.NOTHING;
        }
        Saved written;
        try {
            producer.beginTransaction();
            written = send(deltas);
            if (failPoint == FailPoint.BEFORE_MARKER && savedThrough >= 0) {
                producer.flush();
                LOG.errorf("fail point before-marker: halting after %d records of %s", written.records(), partition());
                Runtime.getRuntime().halt(137);
            }
            ProducerRecord<String, byte[]> marker = new ProducerRecord<>(topic, SnapshotCodec.markerKey(partition()),
                    SnapshotCodec.marker(through));
            producer.send(marker);
            written = written.plus(marker);
        } catch (RuntimeException e) {
            if (fenced(e)) {
                stopSaving(e);
                return Saved.NOTHING;
            }
            unfinished = new Unfinished(false, deltas, through);
            try {
                finish();
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
        unfinished = new Unfinished(true, deltas, through);
        finish();
        return stopped ? Saved.NOTHING : written;
    }

    /** Lets go of the producer; no more saves. */
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /**
     * Sends the records of these changes, each as soon as it is encoded: a save after a burst (a catch-up, a
     * first load) holds its changes, not every record of them too, while the producer takes them.
     */
    private Saved send(List<SeriesDelta> deltas) {
        TopicPartition partition = partition();
        Saved sent = Saved.NOTHING;
        for (SeriesDelta delta : deltas) {
            sent = sent.plus(send(new ProducerRecord<>(topic, SnapshotCodec.headerKey(partition, delta.key()),
                    SnapshotCodec.header(delta.appliedOffset(), delta.changes().summary()))));
            for (Series.Change change : delta.changes().buckets()) {
                sent = sent.plus(send(new ProducerRecord<>(topic,
                        SnapshotCodec.bucketKey(partition, delta.key(), change.resolution(), change.start()),
                        change.stats() == null ? null : SnapshotCodec.bucket(change.start(), change.stats()))));
            }
        }
        return sent;
    }

    private ProducerRecord<String, byte[]> send(ProducerRecord<String, byte[]> record) {
        producer.send(record);
        return record;
    }

    /**
     * Commits or aborts the open transaction ({@link #unfinished}). One that timed out (a broker away for
     * longer than {@code max.block.ms}) stays unfinished and is tried again at the next save, as Kafka
     * requires: after a call timed out, nothing but the same call is allowed. A fenced producer stops
     * saving, and returns.
     *
     * @throws RuntimeException when the transaction is not finished, or was aborted after a failed commit
     */
    private void finish() {
        Unfinished open = unfinished;
        try {
            if (open.commit()) {
                producer.commitTransaction();
                savedThrough = open.through();
            } else {
                producer.abortTransaction();
                state.unsaved(open.written()); // none of it is visible: written again next time
            }
            unfinished = null;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer in time; the " + (open.commit() ? "commit" : "abort")
                    + " of the snapshot of " + partition() + " is tried again at the next save", e);
        } catch (RuntimeException e) {
            unfinished = null;
            if (fenced(e)) {
                stopSaving(e);
                return;
            }
            if (!open.commit()) {
                stopSaving(e);
                throw e;
            }
            // A commit refused without fencing (a record too large, say) can still be aborted.
            unfinished = new Unfinished(false, open.written(), open.through());
            try {
                finish();
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /**
     * This monitor stops saving a partition whose producer cannot go on. It never opens another one itself:
     * that would fence the partition's new owner, if there is one. Nothing is lost: the partition's records
     * after its last saved snapshot are read again wherever it is next assigned.
     */
    private void stopSaving(RuntimeException why) {
        stopped = true;
        if (fenced(why)) {
            // The group gave the partition to another monitor while this one was stalled, and that one has opened
            // the partition's producer since. The consumer learns it lost the partition at its next poll.
            LOG.warnf("Partition %s was taken over by another monitor: this one no longer saves it (%s)", partition(),
                    why.getMessage());
        } else {
            LOG.errorf(why, "The snapshots of partition %s can no longer be saved by this monitor: its records since"
                    + " the last saved snapshot will be read again when it restarts or the partition moves", partition());
        }
    }

    private static boolean fenced(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // Not InvalidProducerEpochException: Kafka raises it for a transaction the coordinator timed out too,
            // which an abort recovers from; when another producer did fence this one, the abort says so.
            if (cause instanceof ProducerFencedException) {
                return true;
            }
        }
        return false;
    }
}

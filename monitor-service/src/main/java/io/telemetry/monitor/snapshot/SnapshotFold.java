package io.telemetry.monitor.snapshot;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Folds the snapshot topic's records (into {@link SnapshotImages}) on a worker thread while the reading
 * thread polls the next ones: Kafka's decoding of a poll and ours of its records take about as long, and
 * on two cores a restore then waits for the longer of them instead of both.
 */
final class SnapshotFold {

    /** Polls waiting to be folded: enough to keep the worker busy, few enough to bound the memory. */
    private static final int WAITING = 4;
    private static final Iterable<ConsumerRecord<String, byte[]>> END = List.of();

    private final BlockingQueue<Iterable<ConsumerRecord<String, byte[]>>> polls = new ArrayBlockingQueue<>(WAITING);
    private final CompletableFuture<Long> folded;

    /**
     * @param sink     takes each record's key and value, in log order, on one thread
     * @param executor where that thread comes from
     */
    SnapshotFold(BiConsumer<String, byte[]> sink, Executor executor) {
        folded = CompletableFuture.supplyAsync(() -> {
            long records = 0;
            for (Iterable<ConsumerRecord<String, byte[]>> poll = next(); poll != END; poll = next()) {
                for (ConsumerRecord<String, byte[]> record : poll) {
                    sink.accept(record.key(), record.value());
                    records++;
                }
            }
            return records;
        }, executor);
    }

    /** Hands over one poll's records; waits while {@value #WAITING} wait already. */
    void add(Iterable<ConsumerRecord<String, byte[]>> poll) {
        hand(poll);
    }

    /**
     * Waits until every record handed over is folded.
     *
     * @return how many were
     */
    long finish() {
        hand(END);
        return result();
    }

    /** Stops folding, what was handed over or not: the read failed. */
    void abandon() {
        polls.clear();
        polls.offer(END); // the reading thread is the only one to hand over: there is room now
    }

    private void hand(Iterable<ConsumerRecord<String, byte[]>> poll) {
        try {
            while (!polls.offer(poll, 100, TimeUnit.MILLISECONDS)) {
                if (folded.isDone()) { // failed: nothing takes polls any more
                    result();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new IllegalStateException("interrupted while reading the snapshot topic", e);
        }
    }

    private Iterable<ConsumerRecord<String, byte[]>> next() {
        try {
            return polls.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while folding the snapshot topic", e);
        }
    }

    private long result() {
        try {
            return folded.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}

package io.telemetry.monitor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-off from the thread polling the snapshot topic to the one folding its records: every record,
 * in order, once; and a fold that fails stops the read with its cause instead of leaving it waiting.
 */
class SnapshotFoldTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static List<ConsumerRecord<String, byte[]>> poll(int from, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(new ConsumerRecord<>("snapshots", 0, i, "k" + i, new byte[] {(byte) i}));
        }
        return records;
    }

    @Test
    @Timeout(10)
    void everyRecordHandedOverIsFoldedInOrderOnce() {
        List<String> folded = new ArrayList<>();
        SnapshotFold fold = new SnapshotFold((key, value) -> folded.add(key), executor);
        for (int i = 0; i < 50; i++) { // more polls than wait at once: the reading thread waits for the fold
            fold.add(poll(i * 100, 100));
        }

        assertThat(fold.finish()).isEqualTo(5_000);
        assertThat(folded).hasSize(5_000);
        for (int i = 0; i < folded.size(); i++) {
            assertThat(folded.get(i)).isEqualTo("k" + i);
        }
    }

    @Test
    @Timeout(10)
    void aFoldThatFailsStopsTheReadWithItsCause() {
        SnapshotFold fold = new SnapshotFold((key, value) -> {
            throw new IllegalStateException("test: cannot fold " + key);
        }, executor);

        assertThatThrownBy(() -> {
            for (int i = 0; i < 50; i++) { // the queue fills up behind the failed fold: add must not wait forever
                fold.add(poll(i, 1));
            }
            fold.finish();
        }).isInstanceOf(IllegalStateException.class).hasMessage("test: cannot fold k0");
    }

    @Test
    @Timeout(10)
    void anAbandonedFoldLetsItsThreadGo() throws Exception {
        SnapshotFold fold = new SnapshotFold((key, value) -> { }, executor);
        fold.add(poll(0, 10));
        fold.abandon();

        executor.shutdown();
        assertThat(executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).as("the folding thread ended").isTrue();
    }
}

package io.telemetry.monitor.snapshot;

import io.telemetry.reading.Reading;

/**
 * Ingestion's hand on one partition this monitor holds, taken at the start of a batch from
 * {@link Snapshots#hold}: what the batch tells it decides what the next snapshot of the partition holds.
 */
public interface PartitionHold {

    /** The hold on a partition this monitor does not hold: nothing it is told is saved. */
    PartitionHold NONE = new PartitionHold() {
        @Override
        public void track(Reading reading) {
        }

        @Override
        public void appliedThrough(long offset) {
        }
    };

    /** The series of this reading, applied or skipped as already applied, lives in the partition. */
    void track(Reading reading);

    /** Every record of the partition through {@code offset} is applied, or dead-lettered (or its dead letter refused). */
    void appliedThrough(long offset);
}

package io.telemetry.monitor.state;

import io.telemetry.reading.Reading;

/**
 * Ingestion's hand on one partition of a channel topic, taken at the start of a batch from
 * {@link HeldPartitions#hold}: the batch's readings go into the state it holds, and what the batch
 * reports decides what the next snapshot of the partition holds.
 */
public interface PartitionHold {

    /** The hold on a partition this monitor does not hold (any more): it takes nothing. */
    PartitionHold NONE = new PartitionHold() {
        @Override
        public boolean held() {
            return false;
        }

        @Override
        public PartitionSeries apply(Reading reading, long offset) {
            return null;
        }

        @Override
        public void appliedThrough(long offset) {
        }
    };

    /**
     * Whether the partition is held: false once it was revoked or lost, even if it has been assigned back
     * since (the new hold starts from the restored snapshot, and the records are read again after it).
     */
    boolean held();

    /**
     * Applies the reading at {@code offset} of the partition to its series, unless that series has had a
     * record at this offset or a later one already: redelivered records count once.
     *
     * @return the series it was applied to; {@code null} if it was not (one allocation fewer per reading than
     *         an Optional)
     */
    PartitionSeries apply(Reading reading, long offset);

    /** Every record of the partition through {@code offset} is applied, or dead-lettered (or its dead letter refused). */
    void appliedThrough(long offset);
}

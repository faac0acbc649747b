package io.telemetry.monitor.cluster;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * The headers of the one hop a request may take from the monitor it reached to the owners of what it
 * asks for, and of every answer. The API between monitors is the public API with these headers.
 */
public final class Hop {

    /**
     * On a request from one monitor to another: the sender's instance id. The receiver answers from what it
     * holds and never passes the request on, so a request can neither loop nor fan out twice.
     */
    public static final String FROM = "X-Monitor-Hop";
    /**
     * On such a request: the partitions the sender takes the receiver to own, e.g. {@code power-3,temp-3}. A
     * device's answer is 421 unless the receiver holds (owns and has restored) each; a list holds those only.
     */
    public static final String PARTITIONS = "X-Monitor-Partitions";
    /** On a list's answer to such a request: those of the partitions asked for that it holds. */
    public static final String HELD = "X-Monitor-Held";
    /** On every answer: the monitors whose state it was made of, comma-separated. */
    public static final String SERVED_BY = "X-Served-By";
    /**
     * On every answer about devices: {@code owner} (the state of monitors that own and have restored it),
     * {@code replica} (this monitor's read replica of partitions whose owners could not answer), or
     * {@code owner,replica} for a list or device made of both.
     */
    public static final String SOURCE = "X-Source";
    /**
     * On an answer made partly or wholly of the read replica: each partition it answered for with the offset
     * of its channel topic through which its figures include every record, e.g. {@code power-3@1200}.
     */
    public static final String REPLICA_THROUGH = "X-Replica-Applied-Through";
    /** On the same: when the oldest of those partitions' saves was written (ISO-8601): how stale it may be. */
    public static final String REPLICA_SAVED_AT = "X-Replica-Saved-At";
    /** On a list's answer: the partitions no monitor could answer for (being rebalanced or restored). */
    public static final String MISSING = "X-Missing-Partitions";
    /** On an answer gathered from every monitor of the group: those that did not answer, comma-separated. */
    public static final String UNANSWERED = "X-Unanswered-Monitors";

    private Hop() {
    }

    /** {@code topic-3,topic-1}: Kafka's own form of each, in the given order. */
    public static String format(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).collect(Collectors.joining(","));
    }

    /** The partitions of a {@link #PARTITIONS} or {@link #HELD} header; entries of another form are skipped. */
    public static Set<TopicPartition> parse(String header) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        if (header == null || header.isBlank()) {
            return partitions;
        }
        for (String part : header.split(",")) {
            String entry = part.trim();
            int dash = entry.lastIndexOf('-');
            if (dash > 0) {
                try {
                    partitions.add(new TopicPartition(entry.substring(0, dash), Integer.parseInt(entry.substring(dash + 1))));
                } catch (NumberFormatException e) {
                    // not a partition: skipped
                }
            }
        }
        return partitions;
    }
}

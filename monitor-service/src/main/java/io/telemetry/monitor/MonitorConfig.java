package io.telemetry.monitor;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The monitor's settings; each can be set from the environment, e.g. {@code MONITOR_ENERGY_MAX_GAP=PT15M}. */
@ConfigMapping(prefix = "monitor")
public interface MonitorConfig {

    /** Energy is not integrated across a longer gap between two readings of a device (ISO-8601 duration). */
    @WithDefault("PT5M")
    Duration energyMaxGap();

    /** A record whose value is larger is refused and dead-lettered (a reading is about 110 bytes). */
    @WithDefault("4096")
    int maxRecordBytes();

    /**
     * A reading dated further ahead of the monitor's clock is refused and dead-lettered: one reading from
     * 2099 would otherwise push every bucket out of retention and make all later readings "late".
     */
    @WithDefault("P1D")
    Duration maxFuture();

    /**
     * This monitor's name in the group ({@code MONITOR_INSTANCE_ID}), in {@code GET /api/cluster} and the
     * {@code X-Served-By} header; without '@' or '/'. Named after the HTTP port by default, which tells apart
     * the monitors of one machine; set it where monitors on several machines share a port.
     */
    @WithDefault("monitor-${quarkus.http.port}")
    String instanceId();

    /**
     * The base URL the other monitors of the group reach this one on ({@code MONITOR_ADVERTISED_URL}), to
     * forward the requests for the devices it owns. The default works for monitors on one machine; set it to
     * the container's or host's address elsewhere.
     */
    @WithDefault("http://localhost:${quarkus.http.port}")
    String advertisedUrl();

    /** How long time buckets are kept, in event time back from the newest reading of their series. */
    RetentionConfig retention();

    /** Snapshots of the aggregates and the offsets they include, so that a restart neither loses nor re-reads. */
    SnapshotConfig snapshot();

    /** Alert rules and who may change them. */
    AlertsConfig alerts();

    interface AlertsConfig {

        /**
         * The rules in force at start ({@code MONITOR_ALERTS_RULES}), a JSON array in the form of
         * {@code POST /api/alerts/rules}, e.g. {@code [{"id":"hot","channel":"temp","above":70,"for":"PT30S"}]}.
         */
        Optional<String> rules();

        /**
         * The key that rule changes must present in the {@code X-API-Key} header ({@code MONITOR_ALERTS_API_KEY});
         * without one, rules can only be set through configuration.
         */
        Optional<String> apiKey();

        /**
         * The compacted topic of the rules posted over REST ({@code MONITOR_ALERTS_RULES_TOPIC}), which every
         * monitor of the group reads whole: one per group, so named after the application by default.
         */
        @WithDefault("${quarkus.application.name}-alert-rules")
        String rulesTopic();

        /** How many of the latest alert events {@code GET /api/alerts} keeps ({@code MONITOR_ALERTS_HISTORY}). */
        @WithDefault("1000")
        int history();
    }

    interface SnapshotConfig {

        /**
         * The compacted topic that holds the snapshots ({@code MONITOR_SNAPSHOT_TOPIC}); one per consumer group,
         * so its default is named after the application, which is the group's default name.
         */
        @WithDefault("${quarkus.application.name}-snapshots")
        String topic();

        /**
         * How often what changed is saved ({@code MONITOR_SNAPSHOT_INTERVAL}): a restart re-reads at most this
         * much of the topics; each snapshot writes the all-time figures of each series that changed and each
         * bucket that changed, not whole series.
         */
        @WithDefault("PT5S")
        Duration interval();

        /**
         * How often the snapshot topic rolls a new log segment ({@code MONITOR_SNAPSHOT_SEGMENT}; its
         * {@code segment.ms} when the monitor creates it): Kafka never compacts the newest segment, so this
         * bounds how long superseded snapshots stay on disk.
         */
        @WithDefault("PT10M")
        Duration segment();

        /**
         * How long the snapshot topic keeps a tombstone ({@code MONITOR_SNAPSHOT_TOMBSTONE_RETENTION}; its
         * {@code delete.retention.ms} when the monitor creates it): a reader that starts from the beginning must
         * finish within it to see every bucket that left retention as gone.
         */
        @WithDefault("P1D")
        Duration tombstoneRetention();

        /**
         * Whether the monitor follows the snapshot topic into a read replica of every partition
         * ({@code MONITOR_SNAPSHOT_REPLICA}): what it answers from, marked as such, for a partition whose owner
         * cannot answer (rebalancing, restoring, frozen). It holds the whole state of the group once more; off,
         * those answers are 503.
         */
        @WithDefault("true")
        boolean replica();

        /**
         * For crash tests only: {@code before-marker} halts the process after a snapshot's series are written
         * and before its marker is (in a partition that has an older marker), the worst moment for a crash.
         * {@code none} in every real deployment.
         */
        @WithDefault("none")
        String failPoint();
    }

    interface RetentionConfig {

        /** 1-minute buckets ({@code MONITOR_RETENTION_MINUTE}). */
        @WithDefault("PT48H")
        Duration minute();

        /** 1-hour buckets ({@code MONITOR_RETENTION_HOUR}). */
        @WithDefault("P90D")
        Duration hour();

        /** 1-day buckets ({@code MONITOR_RETENTION_DAY}); five years by default. */
        @WithDefault("P1826D")
        Duration day();
    }
}

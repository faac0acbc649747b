package io.telemetry.monitor.alerts;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.state.PartitionState;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;

/**
 * Every second, the devices silent for longer than a silence rule allows: the newest reading of each
 * series this monitor holds, handed to {@link Alerts}. Only the series it holds: the others are their
 * owners' to watch.
 */
@ApplicationScoped
class SilenceCheck {

    private static final Logger LOG = Logger.getLogger(SilenceCheck.class);

    private final Alerts alerts;
    private final HeldPartitions held;

    SilenceCheck(Alerts alerts, HeldPartitions held) {
        this.alerts = alerts;
        this.held = held;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class) // not while the emitters are being wired
    void check() {
        try {
            // Gathered before Alerts takes its lock, which the consumers need for every reading a rule watches.
            Map<Channel, Map<String, Instant>> newest = new EnumMap<>(Channel.class);
            alerts.silenceChannels().forEach(channel -> newest.put(channel, new HashMap<>()));
            for (PartitionState partition : held.partitions()) {
                partition.series().forEach((key, series) -> {
                    Map<String, Instant> devices = newest.get(key.channel());
                    Stats stats = series.series().allTime();
                    if (devices != null && !stats.isEmpty()) {
                        devices.put(key.deviceId(), Instant.ofEpochMilli(stats.lastAt()));
                    }
                });
            }
            alerts.checkSilence(newest);
        } catch (RuntimeException e) { // never let one failure end the schedule
            LOG.error("Looking for silent devices failed", e);
        }
    }
}

package io.telemetry.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.telemetry.reading.Channel;

/** Logs the simulator's progress at a steady interval: readings sent per channel, rate, errors. */
@Startup
@ApplicationScoped
public class ProgressReporter {

    private static final Logger LOG = Logger.getLogger(ProgressReporter.class);

    private final Cancellable ticks;
    private long lastSent;
    private double lastSeconds;
    private volatile double rate;

    public ProgressReporter(Device device, Progress progress, SimulatorConfig config) {
        if (device == Device.NONE) {
            this.ticks = () -> {
            };
            return;
        }
        LOG.infof("Simulating device %s: %s at replay speed %s%s", device.deviceId(),
                device.files().entrySet().stream().map(e -> e.getKey() + " from " + e.getValue())
                        .collect(Collectors.joining(", ")),
                device.replaySpeed() == 0 ? "0 (as fast as Kafka accepts)" : device.replaySpeed() + "x",
                device.loop() ? ", looping" : "");
        this.ticks = Multi.createFrom().ticks().startingAfter(config.progressInterval()).every(config.progressInterval())
                .subscribe().with(tick -> report(device, progress));
    }

    private synchronized void report(Device device, Progress progress) {
        if (progress.done()) {
            rate = 0;
            ticks.cancel();
            return;
        }
        long sent = progress.sent();
        double seconds = progress.seconds();
        rate = (sent - lastSent) / Math.max(1e-9, seconds - lastSeconds);
        lastSent = sent;
        lastSeconds = seconds;
        LOG.infof("Progress: %s; now %.0f readings/s", summary(device.deviceId(), progress), rate);
    }

    /** Readings acknowledged per second over the last progress interval; 0 before the first, and once done. */
    public double rate() {
        return rate;
    }

    /** One line: per channel sent, failed and bad rows, then the overall average rate. */
    static String summary(String deviceId, Progress progress) {
        String channels = progress.channels().entrySet().stream()
                .map(ProgressReporter::channel)
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s sent %s in %.1f s (%.0f readings/s on average)", deviceId, channels,
                progress.seconds(), progress.sent() / Math.max(1e-9, progress.seconds()));
    }

    private static String channel(Map.Entry<Channel, Progress.Counts> entry) {
        Progress.Counts counts = entry.getValue();
        return String.format(Locale.ROOT, "%d %s (%d failed, %d bad rows)", counts.sent(), entry.getKey(), counts.failed(),
                counts.badRows());
    }

    @PreDestroy
    void stop() {
        ticks.cancel();
    }
}

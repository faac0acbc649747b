package io.telemetry.simulator;

import java.util.Map;
import java.util.function.ToLongFunction;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.telemetry.reading.Channel;

/**
 * The simulator's progress as Prometheus metrics at {@code /q/metrics}, tagged by device and channel:
 * {@code simulator_readings_sent_total} (acknowledged by Kafka), {@code simulator_readings_failed_total}
 * (refused by Kafka), {@code simulator_bad_rows_total} (skipped CSV rows), and the gauge
 * {@code simulator_send_rate} (readings acknowledged per second over the last progress interval).
 */
@Startup
@Singleton
public class SimulatorMetrics {

    public SimulatorMetrics(Device device, Progress progress, ProgressReporter reporter, MeterRegistry registry) {
        if (device == Device.NONE) {
            return;
        }
        for (Map.Entry<Channel, Progress.Counts> entry : progress.channels().entrySet()) {
            counter(registry, "simulator.readings.sent", "readings Kafka acknowledged", device, entry, Progress.Counts::sent);
            counter(registry, "simulator.readings.failed", "readings Kafka refused", device, entry, Progress.Counts::failed);
            counter(registry, "simulator.bad.rows", "CSV rows skipped as bad", device, entry, Progress.Counts::badRows);
        }
        Gauge.builder("simulator.send.rate", reporter, ProgressReporter::rate)
                .description("readings acknowledged per second over the last progress interval")
                .tag("device", device.deviceId()).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, Device device,
            Map.Entry<Channel, Progress.Counts> entry, ToLongFunction<Progress.Counts> count) {
        FunctionCounter.builder(name, entry.getValue(), counts -> count.applyAsLong(counts))
                .description(description)
                .tag("device", device.deviceId())
                .tag("channel", entry.getKey().id())
                .register(registry);
    }
}

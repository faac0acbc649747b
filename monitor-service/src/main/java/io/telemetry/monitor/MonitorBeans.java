package io.telemetry.monitor;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.monitor.stats.Retention;

/** Makes the plain state holder a bean, configured, so that it stays free of Quarkus itself. */
public class MonitorBeans {

    @Produces
    @Singleton
    Aggregates aggregates(MonitorConfig config) {
        MonitorConfig.RetentionConfig retention = config.retention();
        return new Aggregates(config.energyMaxGap(), Retention.of(retention.minute(), retention.hour(), retention.day()),
                Clock.systemUTC());
    }
}

package io.telemetry.monitor;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.telemetry.monitor.stats.Aggregates;

/** Makes the plain state holder a bean, configured, so that it stays free of Quarkus itself. */
public class MonitorBeans {

    @Produces
    @Singleton
    Aggregates aggregates(MonitorConfig config) {
        return new Aggregates(config.energyMaxGap(), Clock.systemUTC());
    }
}

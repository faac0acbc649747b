package io.telemetry.monitor;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.SeriesSettings;

/** Makes the plain fold's settings a bean, configured, so that the fold stays free of Quarkus itself. */
public class MonitorBeans {

    @Produces
    @Singleton
    SeriesSettings seriesSettings(MonitorConfig config) {
        MonitorConfig.RetentionConfig retention = config.retention();
        return new SeriesSettings(config.energyMaxGap(), Retention.of(retention.minute(), retention.hour(), retention.day()));
    }
}

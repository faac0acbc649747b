package io.telemetry.monitor;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.telemetry.monitor.cluster.Member;
import io.telemetry.monitor.stats.Retention;
import io.telemetry.monitor.stats.SeriesSettings;

/**
 * Makes the plain fold's settings a bean, configured, so that the fold stays free of Quarkus itself; and
 * this monitor's name and address in the group.
 */
public class MonitorBeans {

    @Produces
    @Singleton
    SeriesSettings seriesSettings(MonitorConfig config) {
        MonitorConfig.RetentionConfig retention = config.retention();
        return new SeriesSettings(config.energyMaxGap(), Retention.of(retention.minute(), retention.hour(), retention.day()));
    }

    /** @throws IllegalArgumentException naming the setting, if the instance id or the URL is malformed */
    @Produces
    @Singleton
    Member self(MonitorConfig config) {
        return new Member(config.instanceId(), config.advertisedUrl());
    }
}

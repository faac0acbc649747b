package io.telemetry.monitor.snapshot;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the state of the assigned partitions is restored from the snapshots. */
@Readiness
@ApplicationScoped
public class StateReadiness implements HealthCheck {

    private final Snapshots snapshots;
    private final List<String> topics;

    public StateReadiness(Snapshots snapshots, @ConfigProperty(name = "mp.messaging.incoming.temp.topic") String temp,
            @ConfigProperty(name = "mp.messaging.incoming.power.topic") String power) {
        this.snapshots = snapshots;
        this.topics = List.of(temp, power);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("monitor-state-restored").status(snapshots.restored(topics)).build();
    }
}

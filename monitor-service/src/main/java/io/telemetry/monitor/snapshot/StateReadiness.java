package io.telemetry.monitor.snapshot;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.telemetry.monitor.state.ChannelTopics;

/** Not ready until the state of the assigned partitions is restored from the snapshots. */
@Readiness
@ApplicationScoped
public class StateReadiness implements HealthCheck {

    private final Snapshots snapshots;
    private final ChannelTopics topics;

    public StateReadiness(Snapshots snapshots, ChannelTopics topics) {
        this.snapshots = snapshots;
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("monitor-state-restored").status(snapshots.restored(topics.all())).build();
    }
}

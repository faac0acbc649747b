package io.telemetry.localkafka.deployment;

import io.quarkus.builder.item.SimpleBuildItem;

/** The shared broker process that dev mode uses (started by this app or reused). */
public final class LocalKafkaBrokerBuildItem extends SimpleBuildItem {

    private final BrokerProcess.Broker broker;
    private final boolean reused;

    LocalKafkaBrokerBuildItem(BrokerProcess.Broker broker, boolean reused) {
        this.broker = broker;
        this.reused = reused;
    }

    public BrokerProcess.Broker broker() {
        return broker;
    }

    /** Whether another process started it. */
    public boolean reused() {
        return reused;
    }
}

package io.telemetry.localkafka.deployment;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import io.quarkus.deployment.builditem.Startable;

/**
 * A single-node Apache Kafka broker (combined KRaft controller and broker) running in this JVM, on a
 * free port, with its log directories in a temporary folder deleted on close.
 */
final class InJvmKafkaBroker implements Startable {

    static final String DESCRIPTION = "Apache Kafka 4.1.2 broker, KRaft, in this JVM";

    /**
     * The broker's own log categories. They are set to WARN so that its start-up (several hundred INFO
     * lines) does not flood the application's console; the application's Kafka clients are left alone.
     * The loggers are held here: a logger that nobody references may be collected with its level.
     */
    private static final List<Logger> BROKER_LOGGERS = List.of(
            "kafka", "state.change.logger", "org.apache.kafka.server", "org.apache.kafka.controller",
            "org.apache.kafka.raft", "org.apache.kafka.image", "org.apache.kafka.metadata",
            "org.apache.kafka.storage", "org.apache.kafka.coordinator", "org.apache.kafka.snapshot",
            "org.apache.kafka.queue", "org.apache.kafka.network", "org.apache.kafka.security",
            "org.apache.kafka.common.test", "org.apache.kafka.common.utils.AppInfoParser",
            "org.apache.kafka.common.metrics", "org.apache.kafka.common.network",
            "org.apache.kafka.clients.admin", "org.apache.kafka.clients.NetworkClient",
            "org.apache.kafka.common.security", "org.apache.kafka.common.config.AbstractConfig")
            .stream().map(Logger::getLogger).toList();

    /**
     * A single broker cannot hold three replicas of the internal topics (the default), and without
     * {@code __consumer_offsets} no consumer group can form. The log cleaner's dedupe buffer is 16 MiB
     * instead of 128: the default alone filled most of the broker's heap, and the collections of a full
     * heap paused the broker for up to 200 ms (bench/README.md, "Latency: what sets the p99"). 16 MiB
     * still compacts about 700,000 keys per pass.
     */
    static final Map<String, String> SINGLE_NODE_CONFIG = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("unstable.api.versions.enable", "false"),
            Map.entry("unstable.feature.versions.enable", "false"),
            Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024)));

    private final int partitions;
    private KafkaClusterTestKit cluster;
    private String bootstrapServers;

    /** @param partitions of each topic created on first use */
    InJvmKafkaBroker(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void start() {
        BROKER_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // The test kit defaults to the newest *testing* metadata version; run what production runs.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            SINGLE_NODE_CONFIG.forEach(builder::setConfigProp);
            builder.setConfigProp("num.partitions", String.valueOf(partitions));
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            bootstrapServers = cluster.bootstrapServers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local Kafka broker", e);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("could not start the local Kafka broker: " + e.getMessage(), e);
        }
    }

    @Override
    public String getConnectionInfo() {
        return bootstrapServers;
    }

    @Override
    public String getContainerId() {
        return null;
    }

    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                Logger.getLogger(InJvmKafkaBroker.class.getName()).log(Level.WARNING, "local Kafka broker did not stop cleanly", e);
            } finally {
                cluster = null;
            }
        }
    }
}

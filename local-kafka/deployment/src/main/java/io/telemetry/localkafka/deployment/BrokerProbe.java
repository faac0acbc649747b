package io.telemetry.localkafka.deployment;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Asks a broker whether it answers, and what it holds: a socket first (nothing there, no Admin client
 * and its connection warnings), then an Admin client of this class loader, quiet while it is created.
 */
final class BrokerProbe {

    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Loggers that {@link #admin} turns down to WARN while it creates its client (the configuration dump, some 60
     * lines, and the version banner), and only then: they are global, and the application's own clients log
     * through them too. Held here so that the logger objects, and so their levels, stay.
     */
    private static final List<Logger> CREATION_LOGGERS = List.of("org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.common.utils.AppInfoParser").stream().map(Logger::getLogger).toList();

    /** One thread at a time changes and restores those levels, so that none restores another's change. */
    private static final Object LOGGER_LEVELS = new Object();

    private BrokerProbe() {
    }

    /**
     * Its process is alive and its address answers a {@code describeCluster} within {@link #HEALTH_TIMEOUT}, with
     * the recorded cluster id (any, for a file written before cluster ids were recorded).
     */
    static boolean healthy(BrokerProcess.Broker broker) {
        if (!ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Optional<String> clusterId = clusterId(broker.bootstrapServers(), HEALTH_TIMEOUT);
        return clusterId.isPresent() && (broker.clusterId() == null || broker.clusterId().equals(clusterId.get()));
    }

    static boolean healthyWithin(BrokerProcess.Broker broker, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            if (healthy(broker)) {
                return true;
            }
            if (!ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                return false;
            }
        }
        return false;
    }

    /** The id of the Kafka cluster that answers at this address within the timeout, if one does. */
    static Optional<String> clusterId(String bootstrapServers, Duration timeout) {
        if (!listening(bootstrapServers)) {
            return Optional.empty(); // nothing there: no need for an Admin client and its connection warnings
        }
        try (Admin admin = admin(bootstrapServers, timeout)) {
            return Optional.ofNullable(admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The topics of the broker at this address, name to partition count, internal ones excluded. */
    static Map<String, Integer> topics(String bootstrapServers) throws Exception {
        try (Admin admin = admin(bootstrapServers, HEALTH_TIMEOUT)) {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
                    .get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                    .get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Integer> topics = new TreeMap<>();
            descriptions.forEach((name, description) -> topics.put(name, description.partitions().size()));
            return topics;
        }
    }

    /**
     * An Admin client of this class's class loader: in dev mode the Dev UI calls from a thread whose context
     * class loader is the application's, whose Kafka classes are other classes. Its configuration dump (INFO,
     * some 60 lines) and version banner are left out: {@link #CREATION_LOGGERS} are at WARN for the moment of
     * its creation only, one thread at a time, each level restored as it was.
     */
    private static Admin admin(String bootstrapServers, Duration timeout) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BrokerProbe.class.getClassLoader());
        try {
            synchronized (LOGGER_LEVELS) {
                List<Level> previousLevels = CREATION_LOGGERS.stream().map(Logger::getLevel).toList();
                CREATION_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
                try {
                    return Admin.create(adminConfig(bootstrapServers, timeout));
                } finally {
                    for (int i = 0; i < CREATION_LOGGERS.size(); i++) {
                        CREATION_LOGGERS.get(i).setLevel(previousLevels.get(i));
                    }
                }
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Properties adminConfig(String bootstrapServers, Duration timeout) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-health-check");
        config.put(AdminClientConfig.ENABLE_METRICS_PUSH_CONFIG, false);
        return config;
    }

    static boolean listening(String bootstrapServers) {
        String address = bootstrapServers.split(",")[0];
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

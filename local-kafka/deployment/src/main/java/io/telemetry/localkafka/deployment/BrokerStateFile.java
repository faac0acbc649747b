package io.telemetry.localkafka.deployment;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The state file of a broker's directory, {@value BrokerProcess#STATE_FILE}: its address, pid, owner and
 * cluster id, written as soon as the process exists and read by whoever looks for the broker (dev mode,
 * {@code local-kafka/broker}, its tool commands with {@code sed}).
 */
final class BrokerStateFile {

    private BrokerStateFile() {
    }

    /** The broker the state file of {@code dir} names, if there is a readable file; no health check. */
    static Optional<BrokerProcess.Broker> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Path real = dir.toRealPath();
        Path file = real.resolve(BrokerProcess.STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            state.load(reader);
        }
        String bootstrapServers = state.getProperty("bootstrap.servers", "");
        if (!bootstrapServers.matches("[^,\\s]+:\\d+")) {
            return Optional.empty(); // half-written or edited by hand: as good as stale
        }
        try {
            return Optional.of(new BrokerProcess.Broker(bootstrapServers, Long.parseLong(state.getProperty("pid")),
                    Long.parseLong(state.getProperty("owner.pid", "-1")), real, state.getProperty("cluster.id")));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Writes the state file of the broker's directory at once (a temporary file moved in place). */
    static void write(BrokerProcess.Broker broker, String status) throws IOException {
        // Plain key=value lines (no escaped colons), so that local-kafka/broker can read them with sed.
        String state = """
                # The local Kafka broker of this directory; stop it with local-kafka/broker stop
                bootstrap.servers=%s
                pid=%d
                owner.pid=%d
                cluster.id=%s
                status=%s
                log=%s
                written=%s
                """.formatted(broker.bootstrapServers(), broker.pid(), broker.ownerPid(), broker.clusterId(), status,
                broker.log(), Instant.now());
        Path temporary = broker.dir().resolve(BrokerProcess.STATE_FILE + ".tmp");
        Files.writeString(temporary, state);
        Files.move(temporary, broker.dir().resolve(BrokerProcess.STATE_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}

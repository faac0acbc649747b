package io.telemetry.localkafka.deployment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local Kafka broker as a detached process (Apache Kafka 4.1.2, KRaft, one node that is broker and
 * controller at once), shared by whoever finds it: the dev mode of every app of the project,
 * {@code local-kafka/broker}, {@code ./demo} and the process tests. The one copy of its start-up logic.
 * <p>
 * A broker lives in a directory: {@code server.properties}, {@code data/}, {@code server.log} and
 * {@value #STATE_FILE}, which holds its address, pid and cluster id from the moment it is started. {@link #acquire}
 * reuses the broker that file names only after a health check (the pid is alive and the address answers an Admin
 * {@code describeCluster} with the recorded cluster id within {@link BrokerProbe#HEALTH_TIMEOUT}); a broker of this directory
 * that is alive but slow gets {@link #HEALTH_PATIENCE} to answer. Otherwise the file is stale and a new broker
 * replaces it, on the recorded port if it is free. The broker outlives the process that started it, until
 * {@link #stop} or {@code local-kafka/broker stop}. {@link #acquire} and {@link #stop} hold the same file lock.
 * <p>
 * The directory is known by its real path ({@link Path#toRealPath}), so that two spellings of it (a symbolic
 * link, {@code ..}) mean one broker.
 * <p>
 * The rooms of this job: {@link BrokerStateFile} (the file), {@link BrokerProbe} (does it answer),
 * {@link BrokerLauncher} (a new process) and {@link BrokerCli} ({@code local-kafka/broker}).
 */
public final class BrokerProcess {

    /** Address and pid of the running broker, as properties. */
    public static final String STATE_FILE = "broker.properties";
    /** How long a live broker of the directory that fails the health check gets before it is replaced. */
    static final Duration HEALTH_PATIENCE = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Threads of this JVM take it before the file lock: a second lock of the same file in one JVM would throw. */
    private static final Object DIRECTORY_LOCK = new Object();

    private BrokerProcess() {
    }

    /**
     * How to start a broker.
     *
     * @param dir its directory (created if missing)
     * @param port its client port; 0 for a free one
     * @param controllerPort its KRaft controller port; 0 for a free one
     * @param partitions of each topic it creates on first use
     * @param classPath the Kafka jars (and JBoss LogManager, its SLF4J provider)
     */
    public record Settings(Path dir, int port, int controllerPort, int partitions, List<Path> classPath) {
    }

    /**
     * A broker process as its state file describes it.
     *
     * @param ownerPid the process that started it (and wrote the file)
     */
    public record Broker(String bootstrapServers, long pid, long ownerPid, Path dir, String clusterId) {

        int port() {
            return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        }

        Path log() {
            return dir.resolve("server.log");
        }

        /** Whether the JVM running this code started it. */
        public boolean ownedByThisJvm() {
            return ownerPid == ProcessHandle.current().pid();
        }
    }

    /** @param reused whether the broker was running already and passed the health check */
    public record Acquired(Broker broker, boolean reused) {
    }

    /**
     * The healthy broker of {@code settings.dir()}, or a new one started in its place. Holds a file lock
     * meanwhile, so that two apps starting at once end up with one broker.
     */
    public static Acquired acquire(Settings settings) throws IOException, InterruptedException {
        Files.createDirectories(settings.dir());
        Path dir = settings.dir().toRealPath();
        return locked(dir, () -> {
            Optional<Broker> recorded = BrokerStateFile.read(dir);
            int port = settings.port();
            if (recorded.isPresent()) {
                Broker broker = recorded.get();
                Optional<ProcessHandle> ours = ProcessHandle.of(broker.pid()).filter(process -> isBrokerOf(dir, process));
                if (BrokerProbe.healthy(broker) || ours.isPresent() && BrokerProbe.healthyWithin(broker, HEALTH_PATIENCE)) {
                    return new Acquired(broker, true);
                }
                // Stale: the process is gone, or a pid reused by another program, or our broker that does not answer.
                ours.ifPresent(BrokerProcess::terminate);
                Files.deleteIfExists(dir.resolve(STATE_FILE));
                if (port == 0 && !BrokerProbe.listening(broker.bootstrapServers())) {
                    port = broker.port(); // the address the apps of the project were given, if nothing took it meanwhile
                }
            }
            return new Acquired(BrokerLauncher.start(new Settings(dir, port, settings.controllerPort(), settings.partitions(),
                    settings.classPath())), false);
        });
    }

    private interface Locked<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T locked(Path dir, Locked<T> action) throws IOException, InterruptedException {
        synchronized (DIRECTORY_LOCK) {
            try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return action.run();
            }
        }
    }

    /**
     * Stops the broker of {@code dir}: SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}. The data stays. Holds the
     * lock of {@link #acquire} meanwhile.
     *
     * @return whether a broker was running
     * @throws IllegalStateException when the recorded pid is alive but cannot be identified as this directory's
     *         broker while its address answers as the recorded cluster (or its command line cannot be read): then
     *         nothing is stopped and the file stays
     */
    public static boolean stop(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Path real = dir.toRealPath();
        try {
            return locked(real, () -> {
                Optional<Broker> recorded = BrokerStateFile.read(real);
                Optional<ProcessHandle> alive = recorded.flatMap(broker -> ProcessHandle.of(broker.pid()))
                        .filter(ProcessHandle::isAlive);
                if (alive.isPresent() && !isBrokerOf(real, alive.get())) {
                    Broker broker = recorded.get();
                    boolean unreadable = alive.get().info().commandLine().isEmpty();
                    Optional<String> answering = BrokerProbe.clusterId(broker.bootstrapServers(), BrokerProbe.HEALTH_TIMEOUT);
                    if (unreadable || answering.isPresent() && answering.get().equals(broker.clusterId())) {
                        throw new IllegalStateException("pid " + broker.pid() + " is alive but cannot be identified as the broker of "
                                + real + "; nothing stopped, " + real.resolve(STATE_FILE) + " kept");
                    }
                    alive = Optional.empty(); // the pid of another program now: the file is stale
                }
                alive.ifPresent(BrokerProcess::terminate);
                Files.deleteIfExists(real.resolve(STATE_FILE));
                return alive.isPresent();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the lock of " + real, e);
        }
    }

    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillRunning) {
            process.destroyForcibly();
        }
    }

    /**
     * A pid can be reused by another program: only the broker of this directory is ever stopped. It is known by
     * the marker option at the front of its command line (the JDK reads only the first 4 KB of a command line,
     * and the class path makes the broker's longer).
     */
    private static boolean isBrokerOf(Path dir, ProcessHandle process) {
        return process.isAlive() && process.info().commandLine().map(line -> line.contains(marker(dir) + " ")).orElse(false);
    }

    static String marker(Path dir) {
        return "-Dlocal-kafka.dir=" + dir; // the real path: acquire and stop resolve it first
    }

}

package io.telemetry.localkafka.deployment;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.kafka.common.Uuid;

/**
 * The local Kafka broker as a detached process (Apache Kafka 4.1.2, KRaft, one node that is broker and
 * controller at once), shared by whoever finds it: the dev mode of every app of the project,
 * {@code local-kafka/broker}, {@code ./demo} and the process tests. The one copy of its start-up logic.
 * <p>
 * A broker lives in a directory: {@code server.properties}, {@code data/}, {@code server.log} and
 * {@value #STATE_FILE}, which holds its address, pid and cluster id from the moment it is started. {@link #acquire}
 * reuses the broker that file names only after a health check (the pid is alive and the address answers an Admin
 * {@code describeCluster} with the recorded cluster id within {@link #HEALTH_TIMEOUT}); a broker of this directory
 * that is alive but slow gets {@link #HEALTH_PATIENCE} to answer. Otherwise the file is stale and a new broker
 * replaces it, on the recorded port if it is free. The broker outlives the process that started it, until
 * {@link #stop} or {@code local-kafka/broker stop}. {@link #acquire} and {@link #stop} hold the same file lock.
 * <p>
 * The directory is known by its real path ({@link Path#toRealPath}), so that two spellings of it (a symbolic
 * link, {@code ..}) mean one broker.
 * <p>
 * As a program ({@code java -cp <broker class path> ...BrokerProcess start|stop|status}) it reads
 * {@code LOCAL_KAFKA_DIR}, {@code LOCAL_KAFKA_PORT} (9092), {@code LOCAL_KAFKA_CONTROLLER_PORT} (port + 1)
 * and {@code LOCAL_KAFKA_PARTITIONS} (1), and starts the broker with its own class path.
 */
public final class BrokerProcess {

    /** Address and pid of the running broker, as properties. */
    public static final String STATE_FILE = "broker.properties";
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    /** How long a live broker of the directory that fails the health check gets before it is replaced. */
    static final Duration HEALTH_PATIENCE = Duration.ofSeconds(30);
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Loggers that {@link #admin} turns down to WARN while it creates its client (the configuration dump, some 60
     * lines, and the version banner), and only then: they are global, and the application's own clients log
     * through them too. Held here so that the logger objects, and so their levels, stay.
     */
    private static final List<Logger> CREATION_LOGGERS = List.of("org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.common.utils.AppInfoParser").stream().map(Logger::getLogger).toList();

    /** One thread at a time changes and restores those levels, so that none restores another's change. */
    private static final Object LOGGER_LEVELS = new Object();

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
            Optional<Broker> recorded = read(dir);
            int port = settings.port();
            if (recorded.isPresent()) {
                Broker broker = recorded.get();
                Optional<ProcessHandle> ours = ProcessHandle.of(broker.pid()).filter(process -> isBrokerOf(dir, process));
                if (healthy(broker) || ours.isPresent() && healthyWithin(broker, HEALTH_PATIENCE)) {
                    return new Acquired(broker, true);
                }
                // Stale: the process is gone, or a pid reused by another program, or our broker that does not answer.
                ours.ifPresent(BrokerProcess::terminate);
                Files.deleteIfExists(dir.resolve(STATE_FILE));
                if (port == 0 && !listening(broker.bootstrapServers())) {
                    port = broker.port(); // the address the apps of the project were given, if nothing took it meanwhile
                }
            }
            return new Acquired(start(new Settings(dir, port, settings.controllerPort(), settings.partitions(),
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

    /** The broker the state file of {@code dir} names, if there is a readable file; no health check. */
    public static Optional<Broker> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Path real = dir.toRealPath();
        Path file = real.resolve(STATE_FILE);
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
            return Optional.of(new Broker(bootstrapServers, Long.parseLong(state.getProperty("pid")),
                    Long.parseLong(state.getProperty("owner.pid", "-1")), real, state.getProperty("cluster.id")));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Its process is alive and its address answers a {@code describeCluster} within {@link #HEALTH_TIMEOUT}, with
     * the recorded cluster id (any, for a file written before cluster ids were recorded).
     */
    public static boolean healthy(Broker broker) {
        if (!ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Optional<String> clusterId = clusterId(broker.bootstrapServers(), HEALTH_TIMEOUT);
        return clusterId.isPresent() && (broker.clusterId() == null || broker.clusterId().equals(clusterId.get()));
    }

    private static boolean healthyWithin(Broker broker, Duration patience) throws InterruptedException {
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
    public static Map<String, Integer> topics(String bootstrapServers) throws Exception {
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
                Optional<Broker> recorded = read(real);
                Optional<ProcessHandle> alive = recorded.flatMap(broker -> ProcessHandle.of(broker.pid()))
                        .filter(ProcessHandle::isAlive);
                if (alive.isPresent() && !isBrokerOf(real, alive.get())) {
                    Broker broker = recorded.get();
                    boolean unreadable = alive.get().info().commandLine().isEmpty();
                    Optional<String> answering = clusterId(broker.bootstrapServers(), HEALTH_TIMEOUT);
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

    private static String marker(Path dir) {
        return "-Dlocal-kafka.dir=" + dir; // the real path: acquire and stop resolve it first
    }

    private static Broker start(Settings settings) throws IOException, InterruptedException {
        Path dir = settings.dir();
        int[] free = freePorts((settings.port() == 0 ? 1 : 0) + (settings.controllerPort() == 0 ? 1 : 0));
        int port = settings.port() == 0 ? free[0] : settings.port();
        int controllerPort = settings.controllerPort() == 0 ? free[free.length - 1] : settings.controllerPort();
        for (int taken : new int[] { port, controllerPort }) {
            if (listening("localhost:" + taken)) {
                throw new IllegalStateException("port " + taken + " is taken by another process");
            }
        }
        String classPath = String.join(File.pathSeparator, settings.classPath().stream().map(Path::toString).toList());
        Path serverProperties = configure(dir, port, controllerPort, settings.partitions());
        Path log = dir.resolve("server.log");
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(dir, classPath, serverProperties, log);
        }
        String clusterId = clusterIdOf(dir);
        List<String> command = new ArrayList<>();
        setsid().ifPresent(setsid -> {
            // A session of its own: Ctrl-C in the terminal of the app that started it does not reach it.
            command.add(setsid.toString());
        });
        command.addAll(java(dir, classPath, "-Xms256m", "-Xmx1g", "-XX:+UseSerialGC"));
        command.add("kafka.Kafka");
        command.add(serverProperties.toString());
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Broker broker = new Broker("localhost:" + port, process.pid(), ProcessHandle.current().pid(), dir, clusterId);
        try {
            // Recorded at once: whatever happens to this JVM from here on, the broker can be found and stopped.
            write(broker, "starting");
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (!clusterId(broker.bootstrapServers(), HEALTH_TIMEOUT).isPresent()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited during start-up; the end of " + log + ":\n" + tail(log));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the broker did not answer on " + broker.bootstrapServers() + " within "
                            + START_TIMEOUT.toSeconds() + " s; see " + log);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while the broker was starting");
                }
                Thread.sleep(200);
            }
            write(broker, "running");
            return broker;
        } catch (IOException | InterruptedException | RuntimeException | Error failed) {
            process.destroyForcibly();
            try {
                process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // it was killed; waiting was a courtesy to the next start
            }
            Files.deleteIfExists(dir.resolve(STATE_FILE));
            throw failed;
        }
    }

    /** {@code setsid} at /usr/bin, else on the PATH (util-linux; macOS has none). */
    private static Optional<Path> setsid() {
        Path usual = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(usual)) {
            return Optional.of(usual);
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty()).map(folder -> Path.of(folder, "setsid"))
                .filter(Files::isExecutable).findFirst();
    }

    /** The {@code cluster.id} of the formatted data folder (written by {@code kafka-storage format}). */
    private static String clusterIdOf(Path dir) throws IOException {
        Properties meta = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("data/meta.properties"))) {
            meta.load(reader);
        }
        String clusterId = meta.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(dir.resolve("data/meta.properties") + " has no cluster.id; delete " + dir
                    + " to start afresh");
        }
        return clusterId;
    }

    private static Path configure(Path dir, int port, int controllerPort, int partitions) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        // A static quorum (controller.quorum.voters): the ports may change from one start to the next.
        String properties = """
                # Written by %s at each start; change the code, not this file.
                process.roles=broker,controller
                node.id=1
                listeners=PLAINTEXT://localhost:%d,CONTROLLER://localhost:%d
                advertised.listeners=PLAINTEXT://localhost:%d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                inter.broker.listener.name=PLAINTEXT
                controller.quorum.voters=1@localhost:%d
                log.dirs=%s
                num.partitions=%d
                """.formatted(BrokerProcess.class.getName(), port, controllerPort, port, controllerPort,
                dir.resolve("data"), partitions);
        StringBuilder all = new StringBuilder(properties);
        InJvmKafkaBroker.SINGLE_NODE_CONFIG.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> all.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        Path file = dir.resolve("server.properties");
        Files.writeString(file, all);
        try (InputStream logging = BrokerProcess.class.getResourceAsStream("/META-INF/local-kafka/broker-logging.properties")) {
            Files.copy(logging, dir.resolve("logging.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static void format(Path dir, String classPath, Path serverProperties, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java(dir, classPath));
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", serverProperties.toString()));
        Process format = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting " + dir.resolve("data") + " failed:\n" + tail(log));
        }
    }

    private static List<String> java(Path dir, String classPath, String... options) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                marker(dir),
                // Kafka logs through SLF4J to JBoss LogManager (on the class path), configured from this file.
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dlogging.configuration=" + dir.resolve("logging.properties").toUri()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classPath));
        return command;
    }

    private static void write(Broker broker, String status) throws IOException {
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
        Path temporary = broker.dir().resolve(STATE_FILE + ".tmp");
        Files.writeString(temporary, state);
        Files.move(temporary, broker.dir().resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
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
        thread.setContextClassLoader(BrokerProcess.class.getClassLoader());
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

    private static boolean listening(String bootstrapServers) {
        String address = bootstrapServers.split(",")[0];
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct free ports: each socket stays open until all are taken, so that no port is handed out twice. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * {@code start}, {@code stop} or {@code status}: see {@code local-kafka/broker}. Exits with 2 and one line naming
     * the variable when a {@code LOCAL_KAFKA_*} number is not one.
     */
    public static void main(String[] args) throws Exception {
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        Settings settings;
        try {
            settings = settings(System.getenv(), classPath);
        } catch (IllegalArgumentException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = settings.dir();
        String command = args.length == 0 ? "" : args[0];
        try {
            switch (command) {
                case "start" -> {
                    Acquired acquired = acquire(settings);
                    Broker broker = acquired.broker();
                    say((acquired.reused() ? "already running" : "ready") + " on " + broker.bootstrapServers() + " (pid "
                            + broker.pid() + "; data " + dir.resolve("data") + "; log " + broker.log()
                            + "; stop: local-kafka/broker stop)");
                }
                case "stop" -> say(stop(dir) ? "stopped (data kept in " + dir.resolve("data") + ")" : "not running");
                case "status" -> {
                    Optional<Broker> broker = read(dir).filter(BrokerProcess::healthy);
                    if (broker.isEmpty()) {
                        say("not running; data dir " + dir);
                        System.exit(3);
                    }
                    say("running (pid " + broker.get().pid() + ") on " + broker.get().bootstrapServers() + "; data "
                            + dir.resolve("data") + "; log " + broker.get().log());
                }
                default -> {
                    System.err.println("usage: BrokerProcess start|stop|status");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0); // the Admin client's threads must not keep this JVM alive
    }

    /**
     * The settings the environment gives: {@code LOCAL_KAFKA_DIR} (.local-kafka), {@code LOCAL_KAFKA_PORT} (9092),
     * {@code LOCAL_KAFKA_CONTROLLER_PORT} (port + 1), {@code LOCAL_KAFKA_PARTITIONS} (1). Empty means unset, as in
     * {@code local-kafka/broker}.
     *
     * @throws IllegalArgumentException naming the variable and its value, when a number is not one or out of range
     */
    static Settings settings(Map<String, String> env, List<Path> classPath) {
        Path dir = Path.of(variable(env, "LOCAL_KAFKA_DIR").orElse(".local-kafka")).toAbsolutePath();
        int port = number(env, "LOCAL_KAFKA_PORT", 9092, 1, 65535);
        int controllerPort = number(env, "LOCAL_KAFKA_CONTROLLER_PORT", port + 1, 1, 65535);
        int partitions = number(env, "LOCAL_KAFKA_PARTITIONS", 1, 1, Integer.MAX_VALUE);
        return new Settings(dir, port, controllerPort, partitions, classPath);
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        Optional<String> value = variable(env, name);
        if (value.isEmpty()) {
            if (fallback < min || fallback > max) { // the controller port's default, the port + 1, after 65535
                throw new IllegalArgumentException(name + " must be set: its default, " + fallback + ", is not from "
                        + min + " to " + max);
            }
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '"
                + env.get(name) + "'");
    }

    private static void say(String message) {
        System.out.println("local-kafka: " + message);
    }
}

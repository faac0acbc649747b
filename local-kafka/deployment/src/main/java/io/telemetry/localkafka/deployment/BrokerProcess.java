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
 * {@value #STATE_FILE}, which holds its address and pid while it runs. {@link #acquire} reuses the
 * broker that file names only after a health check (the pid is alive and the address answers an Admin
 * {@code describeCluster} within {@link #HEALTH_TIMEOUT}); otherwise the file is stale and a new broker
 * replaces it. The broker outlives the process that started it, until {@link #stop} or
 * {@code local-kafka/broker stop}.
 * <p>
 * As a program ({@code java -cp <broker class path> ...BrokerProcess start|stop|status|run}) it reads
 * {@code LOCAL_KAFKA_DIR}, {@code LOCAL_KAFKA_PORT} (9092), {@code LOCAL_KAFKA_CONTROLLER_PORT} (port + 1)
 * and {@code LOCAL_KAFKA_PARTITIONS} (1), and starts the broker with its own class path.
 */
public final class BrokerProcess {

    /** Address and pid of the running broker, as properties. */
    public static final String STATE_FILE = "broker.properties";
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The Admin client of the health check says nothing below WARN (held here so the levels stay). */
    private static final List<Logger> QUIET_LOGGERS = List.of(
            "org.apache.kafka.clients.admin.AdminClientConfig", "org.apache.kafka.common.utils.AppInfoParser",
            "org.apache.kafka.common.telemetry", "org.apache.kafka.clients.admin.internals")
            .stream().map(Logger::getLogger).toList();

    private static final Logger CONFIG_LOGGER = Logger.getLogger("org.apache.kafka.common.config.AbstractConfig");

    static {
        QUIET_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
    }

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
    public record Broker(String bootstrapServers, long pid, long ownerPid, Path dir) {

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
        Path dir = settings.dir().toAbsolutePath();
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Optional<Broker> recorded = read(dir);
            if (recorded.isPresent()) {
                if (healthy(recorded.get())) {
                    return new Acquired(recorded.get(), true);
                }
                // Stale: the process is gone, or a pid reused by another program, or a broker that does not answer.
                ProcessHandle.of(recorded.get().pid()).filter(process -> isBrokerOf(dir, process))
                        .ifPresent(hung -> terminate(hung));
                Files.deleteIfExists(dir.resolve(STATE_FILE));
            }
            return new Acquired(start(new Settings(dir, settings.port(), settings.controllerPort(),
                    settings.partitions(), settings.classPath())), false);
        }
    }

    /** The broker the state file of {@code dir} names, if there is a file; no health check. */
    public static Optional<Broker> read(Path dir) throws IOException {
        Path file = dir.toAbsolutePath().resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            state.load(reader);
        }
        try {
            return Optional.of(new Broker(state.getProperty("bootstrap.servers"), Long.parseLong(state.getProperty("pid")),
                    Long.parseLong(state.getProperty("owner.pid", "-1")), dir.toAbsolutePath()));
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // half-written or edited by hand: as good as stale
        }
    }

    /** Its process is alive and its address answers a {@code describeCluster} within {@link #HEALTH_TIMEOUT}. */
    public static boolean healthy(Broker broker) {
        return ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false)
                && answers(broker.bootstrapServers(), HEALTH_TIMEOUT);
    }

    /** Whether a Kafka cluster answers at this address within the timeout. */
    public static boolean answers(String bootstrapServers, Duration timeout) {
        if (!listening(bootstrapServers)) {
            return false; // nothing there: no need for an Admin client and its connection warnings
        }
        try (Admin admin = admin(bootstrapServers, timeout)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
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
     * Stops the broker of {@code dir}: SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}. The data stays.
     *
     * @return whether a broker was running
     */
    public static boolean stop(Path dir) throws IOException {
        Optional<Broker> recorded = read(dir);
        boolean wasRunning = recorded.flatMap(broker -> ProcessHandle.of(broker.pid()))
                .filter(process -> isBrokerOf(dir, process))
                .map(process -> {
                    terminate(process);
                    return true;
                }).orElse(false);
        Files.deleteIfExists(dir.toAbsolutePath().resolve(STATE_FILE));
        return wasRunning;
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
        return "-Dlocal-kafka.dir=" + dir.toAbsolutePath();
    }

    private static Broker start(Settings settings) throws IOException, InterruptedException {
        Path dir = settings.dir();
        int port = settings.port() == 0 ? freePort() : settings.port();
        int controllerPort = settings.controllerPort() == 0 ? freePort() : settings.controllerPort();
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
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            // A session of its own: Ctrl-C in the terminal of the app that started it does not reach it.
            command.add("/usr/bin/setsid");
        }
        command.addAll(java(dir, classPath, "-Xms256m", "-Xmx1g", "-XX:+UseSerialGC"));
        command.add("kafka.Kafka");
        command.add(serverProperties.toString());
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Broker broker = new Broker("localhost:" + port, process.pid(), ProcessHandle.current().pid(), dir);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers(broker.bootstrapServers(), HEALTH_TIMEOUT)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited during start-up; the end of " + log + ":\n" + tail(log));
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException("the broker did not answer on " + broker.bootstrapServers() + " within "
                        + START_TIMEOUT.toSeconds() + " s; see " + log);
            }
            Thread.sleep(200);
        }
        write(broker);
        return broker;
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

    private static void write(Broker broker) throws IOException {
        // Plain key=value lines (no escaped colons), so that local-kafka/broker can read them with sed.
        String state = """
                # The local Kafka broker of this directory; stop it with local-kafka/broker stop
                bootstrap.servers=%s
                pid=%d
                owner.pid=%d
                log=%s
                started=%s
                """.formatted(broker.bootstrapServers(), broker.pid(), broker.ownerPid(), broker.log(), Instant.now());
        Path temporary = broker.dir().resolve(STATE_FILE + ".tmp");
        Files.writeString(temporary, state);
        Files.move(temporary, broker.dir().resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * An Admin client of this class's class loader: in dev mode the Dev UI calls from a thread whose context
     * class loader is the application's, whose Kafka classes are other classes. Its configuration dump (INFO,
     * some 60 lines) is left out; the application's own clients still log theirs.
     */
    private static Admin admin(String bootstrapServers, Duration timeout) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        Level previousLevel = CONFIG_LOGGER.getLevel();
        thread.setContextClassLoader(BrokerProcess.class.getClassLoader());
        CONFIG_LOGGER.setLevel(Level.WARNING);
        try {
            return Admin.create(adminConfig(bootstrapServers, timeout));
        } finally {
            CONFIG_LOGGER.setLevel(previousLevel);
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
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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

    /** {@code start}, {@code stop}, {@code status} or {@code run}: see {@code local-kafka/broker}. */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path dir = Path.of(env.getOrDefault("LOCAL_KAFKA_DIR", ".local-kafka")).toAbsolutePath();
        int port = Integer.parseInt(env.getOrDefault("LOCAL_KAFKA_PORT", "9092"));
        int controllerPort = Integer.parseInt(env.getOrDefault("LOCAL_KAFKA_CONTROLLER_PORT", Integer.toString(port + 1)));
        int partitions = Integer.parseInt(env.getOrDefault("LOCAL_KAFKA_PARTITIONS", "1"));
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        String command = args.length == 0 ? "" : args[0];
        try {
            switch (command) {
                case "start" -> {
                    Acquired acquired = acquire(new Settings(dir, port, controllerPort, partitions, classPath));
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

    private static void say(String message) {
        System.out.println("local-kafka: " + message);
    }
}

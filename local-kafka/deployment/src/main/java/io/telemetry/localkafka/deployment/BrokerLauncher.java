package io.telemetry.localkafka.deployment;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * Starts a broker process: its {@code server.properties}, the first format of its data folder, the
 * command line (in a session of its own where {@code setsid} exists), and the wait until it answers. A
 * start that fails kills the process and removes the state file, so no broker is left unrecorded.
 */
final class BrokerLauncher {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private BrokerLauncher() {
    }

    /** Starts a broker in {@code settings.dir()}, formatting its data folder the first time, and waits until it answers. */
    static BrokerProcess.Broker start(BrokerProcess.Settings settings) throws IOException, InterruptedException {
        Path dir = settings.dir();
        int[] free = freePorts((settings.port() == 0 ? 1 : 0) + (settings.controllerPort() == 0 ? 1 : 0));
        int port = settings.port() == 0 ? free[0] : settings.port();
        int controllerPort = settings.controllerPort() == 0 ? free[free.length - 1] : settings.controllerPort();
        for (int taken : new int[] { port, controllerPort }) {
            if (BrokerProbe.listening("localhost:" + taken)) {
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
        BrokerProcess.Broker broker = new BrokerProcess.Broker("localhost:" + port, process.pid(), ProcessHandle.current().pid(), dir, clusterId);
        try {
            // Recorded at once: whatever happens to this JVM from here on, the broker can be found and stopped.
            BrokerStateFile.write(broker, "starting");
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (!BrokerProbe.clusterId(broker.bootstrapServers(), BrokerProbe.HEALTH_TIMEOUT).isPresent()) {
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
            BrokerStateFile.write(broker, "running");
            return broker;
        } catch (IOException | InterruptedException | RuntimeException | Error failed) {
            process.destroyForcibly();
            try {
                process.onExit().get(BrokerProcess.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // it was killed; waiting was a courtesy to the next start
            }
            Files.deleteIfExists(dir.resolve(BrokerProcess.STATE_FILE));
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
                """.formatted(BrokerLauncher.class.getName(), port, controllerPort, port, controllerPort,
                dir.resolve("data"), partitions);
        StringBuilder all = new StringBuilder(properties);
        InJvmKafkaBroker.SINGLE_NODE_CONFIG.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> all.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        Path file = dir.resolve("server.properties");
        Files.writeString(file, all);
        try (InputStream logging = BrokerLauncher.class.getResourceAsStream("/META-INF/local-kafka/broker-logging.properties")) {
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
                BrokerProcess.marker(dir),
                // Kafka logs through SLF4J to JBoss LogManager (on the class path), configured from this file.
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dlogging.configuration=" + dir.resolve("logging.properties").toUri()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classPath));
        return command;
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
}

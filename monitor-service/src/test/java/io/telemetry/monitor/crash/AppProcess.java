package io.telemetry.monitor.crash;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.restassured.specification.RequestSpecification;

/**
 * A packaged application (the monitor, or the simulator) as a process of its own, configured by
 * environment only, that a test can kill -9.
 */
final class AppProcess implements AutoCloseable {

    private static final Path MONITOR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path SIMULATOR = Path.of("../device-simulator/target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int port;
    final Path log;

    static AppProcess monitor(String name, Map<String, String> env) throws IOException {
        return new AppProcess(MONITOR, name, env);
    }

    static AppProcess simulator(String name, Map<String, String> env) throws IOException {
        return new AppProcess(SIMULATOR, name, env);
    }

    private AppProcess(Path jar, String name, Map<String, String> env) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with ./mvnw verify");
        }
        port = LocalBroker.freePort();
        log = Path.of("target", name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(all);
        process = builder.start();
    }

    /** Where it answers HTTP. */
    String url() {
        return "http://localhost:" + port;
    }

    RequestSpecification http() {
        return given().port(port);
    }

    /** Waits until the application says it is ready (for the monitor: state restored, Kafka reachable). */
    AppProcess awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> http().get("/q/health/ready").statusCode() == 200);
        return this;
    }

    long applied(String channel) {
        return http().get("/api/status").jsonPath().getLong("applied." + channel);
    }

    /** SIGKILL: no shutdown hook, no final snapshot. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the application shuts down as it does when an orchestrator stops it. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException(log + ": the process did not stop within 30 s of SIGTERM");
        }
    }

    /** SIGSTOP: the process freezes where it is, as in a long pause, until {@link #wake()}. */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a frozen process goes on where it stopped. */
    void wake() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + kill.exitValue());
        }
    }

    /** Waits for the process to end on its own, and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(log + ": the process did not exit");
        }
        return process.exitValue();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

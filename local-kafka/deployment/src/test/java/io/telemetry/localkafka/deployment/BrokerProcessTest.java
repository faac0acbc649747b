package io.telemetry.localkafka.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real broker processes on free ports, each in a temporary directory. They run detached (setsid): a shutdown
 * hook ends those of a test JVM that is stopped before its {@code @AfterEach} runs (SIGTERM, Ctrl-C, a
 * surefire timeout; SIGKILL still leaves them, stopped by {@code LOCAL_KAFKA_DIR=... local-kafka/broker stop}).
 */
class BrokerProcessTest {

    private static final List<Path> CLASS_PATH = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(Path::of).toList();

    /** The directories of this JVM's tests that may hold a running broker. */
    private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DIRS.forEach(dir -> {
            try {
                // No lock: a test thread may hold it; the state file names the broker from its first moment.
                BrokerStateFile.read(dir).flatMap(broker -> ProcessHandle.of(broker.pid()))
                        .filter(process -> process.info().commandLine().map(line -> line.contains("-Dlocal-kafka.dir=")).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException | RuntimeException e) {
                // shutting down: nothing more to do
            }
        }), "stop-test-brokers"));
    }

    @TempDir
    Path dir;

    private Process bystander;

    @AfterEach
    void stopBrokerAndBystander() throws IOException {
        BrokerProcess.stop(dir);
        DIRS.remove(dir);
        if (bystander != null) {
            bystander.destroyForcibly();
        }
    }

    @Test
    void aSecondAcquireReusesTheHealthyBrokerAndStopEndsIt() throws Exception {
        BrokerProcess.Acquired first = BrokerProcess.acquire(settings());
        assertThat(first.reused()).isFalse();
        assertThat(BrokerProbe.healthy(first.broker())).isTrue();
        assertThat(first.broker().ownedByThisJvm()).isTrue();
        assertThat(BrokerStateFile.read(dir)).contains(first.broker());

        BrokerProcess.Acquired second = BrokerProcess.acquire(settings());
        assertThat(second.reused()).isTrue();
        assertThat(second.broker()).isEqualTo(first.broker());

        // Another spelling of the directory (a symbolic link) means the same broker.
        Path link = Files.createSymbolicLink(dir.resolveSibling(dir.getFileName() + "-link"), dir);
        try {
            BrokerProcess.Acquired viaLink = BrokerProcess.acquire(new BrokerProcess.Settings(link, 0, 0, 1, CLASS_PATH));
            assertThat(viaLink.reused()).isTrue();
            assertThat(viaLink.broker()).isEqualTo(first.broker());
        } finally {
            Files.delete(link);
        }

        // The same address answering as another cluster is not this broker.
        BrokerProcess.Broker impostor = new BrokerProcess.Broker(first.broker().bootstrapServers(), first.broker().pid(),
                first.broker().ownerPid(), first.broker().dir(), "another-cluster");
        assertThat(BrokerProbe.healthy(impostor)).isFalse();

        ProcessHandle process = ProcessHandle.of(first.broker().pid()).orElseThrow();
        assertThat(BrokerProcess.stop(dir)).isTrue();
        assertThat(process.isAlive()).isFalse();
        assertThat(dir.resolve(BrokerProcess.STATE_FILE)).doesNotExist();
        assertThat(BrokerProbe.clusterId(first.broker().bootstrapServers(), BrokerProbe.HEALTH_TIMEOUT)).isEmpty();
        assertThat(BrokerProcess.stop(dir)).isFalse();
    }

    @Test
    void aFileNamingADeadProcessIsReplacedByANewBroker() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        int port = BrokerLauncher.freePort();
        writeState(gone.pid(), port);

        BrokerProcess.Acquired acquired = BrokerProcess.acquire(settings());

        assertThat(acquired.reused()).isFalse();
        assertThat(acquired.broker().pid()).isNotEqualTo(gone.pid());
        assertThat(BrokerStateFile.read(dir)).contains(acquired.broker());
        assertThat(BrokerProbe.healthy(acquired.broker())).isTrue();
        assertThat(acquired.broker().bootstrapServers()).as("the recorded port, still free").isEqualTo("localhost:" + port);
    }

    @Test
    void aLiveBrokerThatIsSlowToAnswerIsWaitedForNotReplaced() throws Exception {
        BrokerProcess.Broker broker = BrokerProcess.acquire(settings()).broker();
        signal("STOP", broker.pid()); // alive, ours, and silent: a health check times out
        Thread resume = new Thread(() -> {
            try {
                Thread.sleep(BrokerProbe.HEALTH_TIMEOUT.toMillis() + 3000);
                signal("CONT", broker.pid());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        resume.start();
        try {
            BrokerProcess.Acquired again = BrokerProcess.acquire(settings());

            assertThat(again.reused()).isTrue();
            assertThat(again.broker()).isEqualTo(broker);
        } finally {
            resume.join();
            signal("CONT", broker.pid());
        }
    }

    @Test
    void aStartThatIsInterruptedLeavesNeitherBrokerNorFile() throws Exception {
        Thread starting = new Thread(() -> {
            try {
                BrokerProcess.acquire(settings());
            } catch (Exception expected) {
                // interrupted
            }
        });
        starting.start();
        Path file = dir.resolve(BrokerProcess.STATE_FILE);
        for (int i = 0; i < 600 && BrokerStateFile.read(dir).isEmpty(); i++) {
            Thread.sleep(50);
        }
        BrokerProcess.Broker recorded = BrokerStateFile.read(dir).orElseThrow();
        assertThat(Files.readString(file)).contains("status=starting").contains("cluster.id=" + recorded.clusterId());
        ProcessHandle process = ProcessHandle.of(recorded.pid()).orElseThrow();

        starting.interrupt();
        starting.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(starting.isAlive()).isFalse();
        assertThat(process.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileWithoutAnAddressIsNoBroker() throws Exception {
        Files.writeString(dir.resolve(BrokerProcess.STATE_FILE), "pid=" + ProcessHandle.current().pid() + "\n");
        assertThat(BrokerStateFile.read(dir)).isEmpty();
        Files.writeString(dir.resolve(BrokerProcess.STATE_FILE), "bootstrap.servers=\npid=1\n");
        assertThat(BrokerStateFile.read(dir)).isEmpty();
    }

    @Test
    void freePortsAreDistinct() throws IOException {
        int[] ports = BrokerLauncher.freePorts(2);
        assertThat(ports[0]).isNotEqualTo(ports[1]);
    }

    @Test
    void aLiveProcessThatIsNoBrokerIsNeitherReusedNorStopped() throws Exception {
        bystander = new ProcessBuilder("sleep", "120").start();
        writeState(bystander.pid(), BrokerLauncher.freePort()); // alive, but nothing answers at its address

        BrokerProcess.Acquired acquired = BrokerProcess.acquire(settings());

        assertThat(acquired.reused()).isFalse();
        assertThat(acquired.broker().pid()).isNotEqualTo(bystander.pid());
        assertThat(bystander.isAlive()).isTrue();
        assertThat(BrokerProbe.healthy(acquired.broker())).isTrue();
    }

    @Test
    void stopLeavesAProcessThatIsNotTheBrokerAlone() throws Exception {
        bystander = new ProcessBuilder("sleep", "120").start();
        writeState(bystander.pid(), BrokerLauncher.freePort());

        assertThat(BrokerProcess.stop(dir)).isFalse();
        assertThat(bystander.isAlive()).isTrue();
        assertThat(dir.resolve(BrokerProcess.STATE_FILE)).doesNotExist();
    }

    @Test
    void stopRefusesAPidItCannotTellIsTheBrokerWhileTheRecordedClusterAnswers() throws Exception {
        BrokerProcess.Broker broker = BrokerProcess.acquire(settings()).broker();
        String recorded = Files.readString(dir.resolve(BrokerProcess.STATE_FILE));
        bystander = new ProcessBuilder("sleep", "120").start();
        Files.writeString(dir.resolve(BrokerProcess.STATE_FILE), recorded.replace("pid=" + broker.pid() + "\n",
                "pid=" + bystander.pid() + "\n"));

        assertThatThrownBy(() -> BrokerProcess.stop(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be identified");
        assertThat(dir.resolve(BrokerProcess.STATE_FILE)).exists();
        assertThat(bystander.isAlive()).isTrue();
        assertThat(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive)).contains(true);

        Files.writeString(dir.resolve(BrokerProcess.STATE_FILE), recorded); // for @AfterEach to stop it
    }

    @Test
    void aPortThatIsNotANumberIsRefusedInOneLineNamingTheVariableAndTheValue() throws Exception {
        // The program itself, as local-kafka/broker runs it: what matters is what the user sees.
        ProcessBuilder program = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BrokerCli.class.getName(), "status")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        program.environment().put("LOCAL_KAFKA_DIR", dir.toString());
        program.environment().put("LOCAL_KAFKA_PORT", "abc");
        Process process = program.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stderr).isEqualTo("local-kafka: LOCAL_KAFKA_PORT must be a whole number from 1 to 65535, got 'abc'\n");
        assertThat(process.exitValue()).isEqualTo(2);
    }

    @Test
    void theEnvironmentGivesTheSettingsWithTheControllerOnTheNextPortByDefault() {
        BrokerProcess.Settings settings = BrokerCli.settings(
                Map.of("LOCAL_KAFKA_DIR", dir.toString(), "LOCAL_KAFKA_PORT", "29092", "LOCAL_KAFKA_PARTITIONS", ""), CLASS_PATH);

        // An empty variable counts as unset, as in local-kafka/broker's ${LOCAL_KAFKA_PORT:-9092}.
        assertThat(settings).isEqualTo(new BrokerProcess.Settings(dir, 29092, 29093, 1, CLASS_PATH));
    }

    @Test
    void tooManyPartitionsForANumberAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> BrokerCli.settings(Map.of("LOCAL_KAFKA_PARTITIONS", "99999999999"), CLASS_PATH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LOCAL_KAFKA_PARTITIONS must be a whole number from 1 to 2147483647, got '99999999999'");
    }

    @Test
    void theLastPortLeavesNoDefaultControllerPortAndSaysSo() {
        assertThatThrownBy(() -> BrokerCli.settings(Map.of("LOCAL_KAFKA_PORT", "65535"), CLASS_PATH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LOCAL_KAFKA_CONTROLLER_PORT must be set: its default, 65536, is not from 1 to 65535");
    }

    @Test
    void theProjectRootIsTheOutermostFolderWithABuildFile(@TempDir Path workspace) throws IOException {
        Path project = Files.createDirectories(workspace.resolve("project"));
        Path module = Files.createDirectories(project.resolve("monitor-service"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(module.resolve("pom.xml"), "<project/>");

        assertThat(LocalKafkaProcessor.projectRoot(module)).isEqualTo(project.toAbsolutePath().normalize());
        assertThat(LocalKafkaProcessor.projectRoot(project)).isEqualTo(project.toAbsolutePath().normalize());
    }

    private BrokerProcess.Settings settings() {
        DIRS.add(dir);
        return new BrokerProcess.Settings(dir, 0, 0, 1, CLASS_PATH);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private void writeState(long pid, int port) throws IOException {
        Files.writeString(dir.resolve(BrokerProcess.STATE_FILE),
                "bootstrap.servers=localhost:" + port + "\npid=" + pid + "\nowner.pid=" + pid + "\n");
    }
}

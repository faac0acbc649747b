package io.telemetry.localkafka.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real broker processes on free ports, each in a temporary directory. */
class BrokerProcessTest {

    private static final List<Path> CLASS_PATH = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(Path::of).toList();

    @TempDir
    Path dir;

    private Process bystander;

    @AfterEach
    void stopBrokerAndBystander() throws IOException {
        BrokerProcess.stop(dir);
        if (bystander != null) {
            bystander.destroyForcibly();
        }
    }

    @Test
    void aSecondAcquireReusesTheHealthyBrokerAndStopEndsIt() throws Exception {
        BrokerProcess.Acquired first = BrokerProcess.acquire(settings());
        assertThat(first.reused()).isFalse();
        assertThat(BrokerProcess.healthy(first.broker())).isTrue();
        assertThat(first.broker().ownedByThisJvm()).isTrue();
        assertThat(BrokerProcess.read(dir)).contains(first.broker());

        BrokerProcess.Acquired second = BrokerProcess.acquire(settings());
        assertThat(second.reused()).isTrue();
        assertThat(second.broker()).isEqualTo(first.broker());

        ProcessHandle process = ProcessHandle.of(first.broker().pid()).orElseThrow();
        assertThat(BrokerProcess.stop(dir)).isTrue();
        assertThat(process.isAlive()).isFalse();
        assertThat(dir.resolve(BrokerProcess.STATE_FILE)).doesNotExist();
        assertThat(BrokerProcess.answers(first.broker().bootstrapServers(), BrokerProcess.HEALTH_TIMEOUT)).isFalse();
        assertThat(BrokerProcess.stop(dir)).isFalse();
    }

    @Test
    void aFileNamingADeadProcessIsReplacedByANewBroker() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        writeState(gone.pid(), BrokerProcess.freePort());

        BrokerProcess.Acquired acquired = BrokerProcess.acquire(settings());

        assertThat(acquired.reused()).isFalse();
        assertThat(acquired.broker().pid()).isNotEqualTo(gone.pid());
        assertThat(BrokerProcess.read(dir)).contains(acquired.broker());
        assertThat(BrokerProcess.healthy(acquired.broker())).isTrue();
    }

    @Test
    void aLiveProcessThatIsNoBrokerIsNeitherReusedNorStopped() throws Exception {
        bystander = new ProcessBuilder("sleep", "120").start();
        writeState(bystander.pid(), BrokerProcess.freePort()); // alive, but nothing answers at its address

        BrokerProcess.Acquired acquired = BrokerProcess.acquire(settings());

        assertThat(acquired.reused()).isFalse();
        assertThat(acquired.broker().pid()).isNotEqualTo(bystander.pid());
        assertThat(bystander.isAlive()).isTrue();
        assertThat(BrokerProcess.healthy(acquired.broker())).isTrue();
    }

    @Test
    void stopLeavesAProcessThatIsNotTheBrokerAlone() throws Exception {
        bystander = new ProcessBuilder("sleep", "120").start();
        writeState(bystander.pid(), BrokerProcess.freePort());

        assertThat(BrokerProcess.stop(dir)).isFalse();
        assertThat(bystander.isAlive()).isTrue();
        assertThat(dir.resolve(BrokerProcess.STATE_FILE)).doesNotExist();
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
        return new BrokerProcess.Settings(dir, 0, 0, 1, CLASS_PATH);
    }

    private void writeState(long pid, int port) throws IOException {
        Files.writeString(dir.resolve(BrokerProcess.STATE_FILE),
                "bootstrap.servers=localhost:" + port + "\npid=" + pid + "\nowner.pid=" + pid + "\n");
    }
}

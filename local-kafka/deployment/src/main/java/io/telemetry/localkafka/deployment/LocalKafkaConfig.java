package io.telemetry.localkafka.deployment;

import java.nio.file.Path;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The local Kafka broker of dev mode (a shared process) and test mode (in the test JVM). */
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
@ConfigMapping(prefix = "quarkus.local-kafka")
public interface LocalKafkaConfig {

    /** Give the app a local broker in dev and test mode when {@code kafka.bootstrap.servers} is not set. */
    @WithDefault("true")
    boolean enabled();

    /** Partitions of each topic the broker creates on first use (dev mode: if this app starts the broker). */
    @WithDefault("1")
    int partitions();

    /**
     * Dev mode: directory of the shared broker process (its address and pid in {@code broker.properties},
     * data, log). Default: {@code .local-kafka} at the top of the project (the outermost folder with a build file).
     */
    Optional<Path> dir();

    /** Dev mode: client port of the shared broker if this app starts it; 0 for a free port. */
    @WithDefault("0")
    int port();
}

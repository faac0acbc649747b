package io.telemetry.localkafka.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The in-JVM Kafka broker of dev and test mode. */
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
@ConfigMapping(prefix = "quarkus.local-kafka")
public interface LocalKafkaConfig {

    /** Start a broker in the JVM in dev and test mode when {@code kafka.bootstrap.servers} is not set. */
    @WithDefault("true")
    boolean enabled();

    /** Partitions of each topic the broker creates on first use. */
    @WithDefault("1")
    int partitions();
}

package io.telemetry.localkafka.deployment;

import java.util.Map;

import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Kafka Dev Services without Docker: in dev and test mode, when no {@code kafka.bootstrap.servers} is
 * configured, start a real Apache Kafka broker in this JVM and hand its address to the application.
 */
class LocalKafkaProcessor {

    static final String FEATURE = "local-kafka";

    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep(onlyIf = { IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class })
    DevServicesResultBuildItem broker(LocalKafkaConfig config) {
        if (!config.enabled() || ConfigUtils.isPropertyNonEmpty(BOOTSTRAP_SERVERS)) {
            return null; // turned off, or the user has a broker of their own
        }
        int partitions = config.partitions();
        return DevServicesResultBuildItem.owned()
                .feature(FEATURE)
                .description(InJvmKafkaBroker.DESCRIPTION)
                // Only the broker's own settings: live reload keeps the broker (and its topics) unless they change.
                .serviceConfig(InJvmKafkaBroker.DESCRIPTION + ", " + partitions + " partitions per topic")
                .startable(() -> new InJvmKafkaBroker(partitions))
                .configProvider(Map.of(BOOTSTRAP_SERVERS, InJvmKafkaBroker::getConnectionInfo))
                .build();
    }
}

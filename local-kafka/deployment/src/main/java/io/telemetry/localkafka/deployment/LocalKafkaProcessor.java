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

    /** Turns the in-JVM broker off while keeping the extension on the class path. */
    static final String ENABLED_KEY = "quarkus.local-kafka.enabled";

    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep(onlyIf = { IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class })
    DevServicesResultBuildItem broker() {
        if (ConfigUtils.isPropertyNonEmpty(BOOTSTRAP_SERVERS) || !enabled()) {
            return null; // the user has a broker of their own
        }
        return DevServicesResultBuildItem.owned()
                .feature(FEATURE)
                .description(InJvmKafkaBroker.DESCRIPTION)
                // A constant: the broker is the same whatever the application's configuration, so live
                // reload keeps it (and its topics) instead of starting a new one.
                .serviceConfig(InJvmKafkaBroker.DESCRIPTION)
                .startable(InJvmKafkaBroker::new)
                .configProvider(Map.of(BOOTSTRAP_SERVERS, InJvmKafkaBroker::getConnectionInfo))
                .build();
    }

    private static boolean enabled() {
        return ConfigUtils.getFirstOptionalValue(java.util.List.of(ENABLED_KEY), Boolean.class).orElse(true);
    }
}

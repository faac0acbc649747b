package io.telemetry.monitor;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.Config;

/** Settings for the monitor's own Kafka clients (snapshots, alert rules), beside the messaging channels. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * @param kafka the application's {@code kafka.*} settings (security and the like, for a real cluster)
     * @return those settings with the brokers the channels use: {@code kafka.bootstrap.servers}, else the
     *         connector's setting, else Kafka's default (the {@code kafka.*} map lacks it when it is left at
     *         the default)
     */
    public static Map<String, Object> settings(Map<String, Object> kafka, Config config) {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.put("bootstrap.servers", config.getOptionalValue("kafka.bootstrap.servers", String.class)
                .or(() -> config.getOptionalValue("mp.messaging.connector.smallrye-kafka.bootstrap.servers", String.class))
                .orElse("localhost:9092"));
        return Map.copyOf(settings);
    }
}

package io.telemetry.monitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * A compacted topic of the monitor's own (its snapshots, its alert rules): created with one partition
 * when missing, refused when it exists with another cleanup policy, since deletion by age would lose
 * what was written long ago and never since.
 */
public final class CompactedTopic {

    private static final Logger LOG = Logger.getLogger(CompactedTopic.class);

    private CompactedTopic() {
    }

    /**
     * @param kafka    the client settings
     * @param topic    the topic's name
     * @param maxBytes its largest record
     * @param configs  more topic settings it is created with
     * @param what     what it holds, and the setting that names it, for messages: "snapshot topic (MONITOR_SNAPSHOT_TOPIC)"
     * @throws IllegalStateException if it cannot be created or is not compacted
     */
    public static void ensure(Map<String, Object> kafka, String topic, int maxBytes, Map<String, String> configs,
            String what) {
        try (Admin admin = Admin.create(new HashMap<>(kafka))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                Map<String, String> settings = new HashMap<>(configs);
                settings.put("cleanup.policy", "compact");
                settings.put("max.message.bytes", Integer.toString(maxBytes));
                NewTopic created = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(settings);
                admin.createTopics(List.of(created)).all().get(30, TimeUnit.SECONDS);
                LOG.infof("Created the compacted %s %s", what, topic);
            } else {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                String policy = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                        .get("cleanup.policy").value();
                if (!"compact".equals(policy)) {
                    throw new IllegalStateException("the " + what + " " + topic + " has cleanup.policy=" + policy
                            + "; it must be compact");
                }
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the " + what + " " + topic + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the " + what + " " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating the " + what + " " + topic, e);
        }
    }
}

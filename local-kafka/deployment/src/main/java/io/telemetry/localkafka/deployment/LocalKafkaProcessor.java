package io.telemetry.localkafka.deployment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.deployment.pkg.builditem.CurateOutcomeBuildItem;
import io.quarkus.devui.spi.buildtime.BuildTimeActionBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.maven.dependency.ResolvedDependency;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Kafka Dev Services without Docker, when no {@code kafka.bootstrap.servers} is configured:
 * <ul>
 * <li>dev mode: the project's shared broker process ({@link BrokerProcess}), reused if a healthy one runs,
 * started otherwise; it outlives the app, like a shared Dev Services container;</li>
 * <li>test mode: a broker of its own inside the test JVM ({@link InJvmKafkaBroker}), isolated and gone with it.</li>
 * </ul>
 */
class LocalKafkaProcessor {

    static final String FEATURE = "local-kafka";

    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    /** The broker's dependencies (group:artifact), listed at build time by the dependency plugin. */
    static final String BROKER_DEPENDENCIES = "/META-INF/local-kafka/broker-dependencies.txt";

    private static final String ANNOUNCED = "io.telemetry.local-kafka.announced";

    private static final Logger LOG = Logger.getLogger(LocalKafkaProcessor.class);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * Test mode's broker, a Dev Service owned by the test JVM (Quarkus' {@code KafkaCompanionResource} finds
     * it through the dev-services context).
     */
    @BuildStep(onlyIf = { IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class })
    DevServicesResultBuildItem testBroker(LocalKafkaConfig config, LaunchModeBuildItem launchMode) {
        if (launchMode.getLaunchMode() == LaunchMode.DEVELOPMENT || !wanted(config)) {
            return null;
        }
        int partitions = config.partitions();
        String identity = InJvmKafkaBroker.DESCRIPTION + ", " + partitions + " partitions per topic";
        if (launchMode.isAuxiliaryApplication()) {
            // Continuous testing in dev mode: each run of the tests gets an empty broker, as ./mvnw verify does;
            // tests that count what lands in a topic would otherwise see the records of the run before.
            identity += ", continuous-testing build " + System.nanoTime();
        }
        return DevServicesResultBuildItem.owned()
                .feature(FEATURE)
                .description(InJvmKafkaBroker.DESCRIPTION)
                // Only the broker's own settings: a restart of the tests' app keeps the broker unless they change.
                .serviceConfig(identity)
                .startable(() -> new InJvmKafkaBroker(partitions))
                .configProvider(Map.of(BOOTSTRAP_SERVERS, InJvmKafkaBroker::getConnectionInfo))
                .build();
    }

    /**
     * Dev mode's broker: the project's shared broker process. Its address reaches the app as a configuration
     * default, not as a {@link DevServicesResultBuildItem}: in dev mode Quarkus probes for a container runtime for
     * every such item (a Testcontainers ERROR on a machine without Docker), and this broker needs none.
     */
    @BuildStep(onlyIf = { IsDevelopment.class, DevServicesConfig.Enabled.class })
    void devBroker(LocalKafkaConfig config, CurateOutcomeBuildItem curateOutcome,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults, BuildProducer<LocalKafkaBrokerBuildItem> brokers) {
        if (!wanted(config)) {
            return;
        }
        Path dir = config.dir().orElseGet(() -> projectRoot(Path.of(System.getProperty("user.dir"))).resolve(".local-kafka"))
                .toAbsolutePath();
        BrokerProcess.Acquired acquired;
        try {
            acquired = BrokerProcess.acquire(new BrokerProcess.Settings(dir, config.port(), 0, config.partitions(),
                    brokerClassPath(curateOutcome)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local Kafka broker in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local Kafka broker", e);
        }
        BrokerProcess.Broker broker = acquired.broker();
        // Said once per broker and JVM, not again at each live reload (system properties outlive the reload's class loaders).
        String announced = broker.bootstrapServers() + " pid " + broker.pid();
        if (!announced.equals(System.setProperty(ANNOUNCED, announced))) {
            if (!acquired.reused()) {
                LOG.infof("Started the shared local Kafka broker at %s (pid %d, %s); it outlives this app, for others to"
                        + " reuse; stop it with local-kafka/broker stop", broker.bootstrapServers(), broker.pid(), dir);
            } else if (!broker.ownedByThisJvm()) {
                // A broker this JVM started is never announced as "discovered".
                LOG.infof("Reusing the shared local Kafka broker at %s (pid %d, %s); stop it with local-kafka/broker stop",
                        broker.bootstrapServers(), broker.pid(), dir);
            }
        }
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(BOOTSTRAP_SERVERS, broker.bootstrapServers()));
        brokers.produce(new LocalKafkaBrokerBuildItem(broker, acquired.reused() && !broker.ownedByThisJvm()));
    }

    /** The Dev UI card: the broker's address, where it lives, how to stop it, and its topics. */
    @BuildStep(onlyIf = IsDevelopment.class)
    void devUi(Optional<LocalKafkaBrokerBuildItem> shared, BuildProducer<CardPageBuildItem> cards,
            BuildProducer<BuildTimeActionBuildItem> actions) {
        if (shared.isEmpty()) {
            return;
        }
        BrokerProcess.Broker broker = shared.get().broker();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("address", broker.bootstrapServers());
        info.put("pid", Long.toString(broker.pid()));
        info.put("startedBy", shared.get().reused() ? "another process (reused)" : "this app");
        info.put("directory", broker.dir().toString());
        info.put("stateFile", broker.dir().resolve(BrokerProcess.STATE_FILE).toString());
        info.put("log", broker.log().toString());
        info.put("stop", "LOCAL_KAFKA_DIR=" + broker.dir() + " local-kafka/broker stop");
        CardPageBuildItem card = new CardPageBuildItem();
        card.addBuildTimeData("broker", info);
        card.addPage(Page.webComponentPageBuilder()
                .title("Broker and topics")
                .icon("font-awesome-solid:server")
                .componentLink("qwc-local-kafka-broker.js")
                .staticLabel(broker.bootstrapServers()));
        cards.produce(card);

        BuildTimeActionBuildItem topics = new BuildTimeActionBuildItem();
        // Off the Vert.x event loop that calls it: the Admin client blocks for up to a few seconds.
        topics.addAction("topics", ignored -> CompletableFuture.supplyAsync(() -> {
            try {
                List<Map<String, Object>> rows = new ArrayList<>();
                BrokerProbe.topics(broker.bootstrapServers())
                        .forEach((name, partitions) -> rows.add(Map.of("name", name, "partitions", partitions)));
                return rows;
            } catch (Exception e) {
                throw new IllegalStateException("the broker at " + broker.bootstrapServers() + " did not list its topics: "
                        + e.getMessage(), e);
            }
        }));
        actions.produce(topics);
    }

    private static boolean wanted(LocalKafkaConfig config) {
        return config.enabled() && !ConfigUtils.isPropertyNonEmpty(BOOTSTRAP_SERVERS); // else turned off, or a broker of the user's own
    }

    /**
     * The outermost folder of the build that holds {@code start}: the project's root, so that every app of
     * the project (and {@code local-kafka/broker}) finds the same broker, and two checkouts never share one.
     */
    static Path projectRoot(Path start) {
        Path root = start.toAbsolutePath().normalize();
        for (Path parent = root.getParent(); parent != null && isBuildFolder(parent); parent = parent.getParent()) {
            root = parent;
        }
        return root;
    }

    private static boolean isBuildFolder(Path folder) {
        return Set.of("pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts").stream()
                .anyMatch(file -> Files.isRegularFile(folder.resolve(file)));
    }

    /**
     * The jars of the broker process: this module's runtime dependencies (listed at its build), resolved from
     * the application's model, so dev mode runs exactly the Kafka that the build resolved.
     */
    static List<Path> brokerClassPath(CurateOutcomeBuildItem curateOutcome) {
        Map<String, List<Path>> resolved = new HashMap<>();
        for (ResolvedDependency dependency : curateOutcome.getApplicationModel().getDependencies()) {
            List<Path> paths = new ArrayList<>();
            dependency.getResolvedPaths().forEach(paths::add);
            resolved.putIfAbsent(dependency.getGroupId() + ":" + dependency.getArtifactId(), paths);
        }
        List<String> wanted = brokerDependencies();
        List<Path> classPath = wanted.stream().filter(resolved::containsKey).flatMap(key -> resolved.get(key).stream())
                .distinct().collect(Collectors.toList());
        List<String> missing = wanted.stream().filter(key -> !resolved.containsKey(key)).toList();
        if (!wanted.contains("org.apache.kafka:kafka_2.13") || missing.contains("org.apache.kafka:kafka_2.13")) {
            throw new IllegalStateException("the Kafka broker's jars are not among the application's dependencies; missing: "
                    + (missing.isEmpty() ? "org.apache.kafka:kafka_2.13 (not in " + BROKER_DEPENDENCIES + ")" : String.join(", ", missing))
                    + ". Run ./mvnw install -DskipTests at the top of the project, then start dev mode again");
        }
        if (!missing.isEmpty()) {
            // Usual (Kafka's tools and Connect, which the broker does not load): said only when asked for, so that a
            // broker that fails to start can be traced to a jar its class path lacks.
            LOG.debugf("The broker's class path lacks %s (not among the application's dependencies)", String.join(", ", missing));
        }
        return classPath;
    }

    private static List<String> brokerDependencies() {
        try (InputStream list = LocalKafkaProcessor.class.getResourceAsStream(BROKER_DEPENDENCIES)) {
            if (list == null) {
                throw new IllegalStateException(BROKER_DEPENDENCIES + " is missing from local-kafka-deployment");
            }
            // Lines of the dependency plugin's list: "   group:artifact:type[:classifier]:version:scope[ -- module ...]",
            // coloured with ANSI escapes when Maven ran in a terminal.
            return new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8)).lines()
                    .map(line -> line.replaceAll("\u001B\\[[;\\d]*m", " ").trim()).map(line -> line.split("\\s")[0].split(":"))
                    .filter(parts -> parts.length >= 5)
                    .map(parts -> parts[0] + ":" + parts[1])
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

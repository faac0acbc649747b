package io.telemetry.monitor.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.telemetry.testing.ConfigReference;

/**
 * What can be checked of the container files on a machine without Docker, after {@code ./mvnw package}:
 * the files each Dockerfile copies exist, the ports they expose are the apps' own, and compose.yaml
 * builds existing Dockerfiles and sets only environment variables the apps read (the README's tables,
 * which ConfigReferenceTest keeps equal to the code).
 */
class ContainerFilesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("src/main/docker");
    private static final List<String> APPS = List.of("monitor-service", "device-simulator");

    private static int httpPort(String app) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve(app).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties.getProperty("quarkus.http.port", "8080"));
    }

    private static List<String> lines(Path file, String instruction) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith(instruction + " ")).toList();
    }

    private static boolean exists(String source) throws IOException {
        Path pattern = ROOT.resolve(source.endsWith("/") ? source.substring(0, source.length() - 1) : source);
        if (!source.contains("*")) {
            return Files.exists(pattern);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.list(pattern.getParent())) {
            return files.anyMatch(matcher::matches);
        }
    }

    @Test
    void everyJvmDockerfileCopiesFilesThatExistAndExposesTheAppsPort() throws IOException {
        for (String app : APPS) {
            Path dockerfile = DOCKER.resolve(app).resolve("Dockerfile.jvm");
            assertThat(Files.readString(dockerfile)).startsWith("#").contains("docker build").contains("docker run")
                    .contains("USER 185");
            for (String copy : lines(dockerfile, "COPY")) {
                String[] words = Stream.of(copy.split("\\s+")).filter(word -> !word.startsWith("--")).toArray(String[]::new);
                assertThat(exists(words[1])).as("%s copies %s", dockerfile, words[1]).isTrue();
            }
            assertThat(lines(dockerfile, "EXPOSE")).containsExactly("EXPOSE " + httpPort(app));
        }
    }

    @Test
    void everyNativeDockerfileCopiesTheRunnerOfANativeBuildAndExposesTheAppsPort() throws IOException {
        for (String app : APPS) {
            Path dockerfile = DOCKER.resolve(app).resolve("Dockerfile.native");
            assertThat(Files.readString(dockerfile)).contains("-Pnative").contains("USER 1001");
            for (String copy : lines(dockerfile, "COPY")) {
                String source = Stream.of(copy.split("\\s+")).filter(word -> !word.startsWith("--")).toList().get(1);
                // The runner exists only after a native build, which needs GraalVM/Mandrel or a container runtime.
                assertThat(source.endsWith("/target/*-runner") || exists(source)).as("%s copies %s", dockerfile, source)
                        .isTrue();
            }
            assertThat(lines(dockerfile, "EXPOSE")).containsExactly("EXPOSE " + httpPort(app));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeBuildsTheDockerfilesAndSetsOnlyVariablesTheAppsRead() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("kafka", "monitor", "washing-machine", "ac");
        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:4.1.2");
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            Map<String, Object> build = (Map<String, Object>) service.getValue().get("build");
            if (build == null) {
                continue;
            }
            Path context = DOCKER.resolve((String) build.get("context")).normalize();
            assertThat(context).isEqualTo(ROOT);
            Path dockerfile = context.resolve((String) build.get("dockerfile"));
            assertThat(dockerfile).exists();
            String app = APPS.stream().filter(name -> dockerfile.toString().contains(name)).findFirst().orElseThrow();
            Map<String, String> readme = ConfigReference.readmeTable(ROOT.resolve("docs/" + app + ".md"), "# " + app);
            ((Map<String, Object>) service.getValue().get("environment")).keySet().forEach(variable -> assertThat(readme)
                    .as("%s sets %s, which %s reads", service.getKey(), variable, app).containsKey(variable));
            for (Object port : (List<Object>) service.getValue().getOrDefault("ports", List.of())) {
                assertThat(port.toString()).as(service.getKey() + " port").endsWith(":" + httpPort(app));
            }
            assertThat((Map<String, Object>) service.getValue().get("depends_on")).containsKey("kafka");
        }
    }
}

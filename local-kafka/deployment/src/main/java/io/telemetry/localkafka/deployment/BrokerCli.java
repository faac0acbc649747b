package io.telemetry.localkafka.deployment;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code local-kafka/broker start|stop|status} as a program ({@code java -cp <broker class path>
 * ...BrokerCli start}): its settings from {@code LOCAL_KAFKA_DIR}, {@code LOCAL_KAFKA_PORT} (9092),
 * {@code LOCAL_KAFKA_CONTROLLER_PORT} (port + 1) and {@code LOCAL_KAFKA_PARTITIONS} (1), the broker
 * started with its own class path, one line said.
 */
public final class BrokerCli {

    private BrokerCli() {
    }

    /**
     * {@code start}, {@code stop} or {@code status}: see {@code local-kafka/broker}. Exits with 2 and one line naming
     * the variable when a {@code LOCAL_KAFKA_*} number is not one.
     */
    public static void main(String[] args) throws Exception {
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        BrokerProcess.Settings settings;
        try {
            settings = settings(System.getenv(), classPath);
        } catch (IllegalArgumentException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = settings.dir();
        String command = args.length == 0 ? "" : args[0];
        try {
            switch (command) {
                case "start" -> {
                    BrokerProcess.Acquired acquired = BrokerProcess.acquire(settings);
                    BrokerProcess.Broker broker = acquired.broker();
                    say((acquired.reused() ? "already running" : "ready") + " on " + broker.bootstrapServers() + " (pid "
                            + broker.pid() + "; data " + dir.resolve("data") + "; log " + broker.log()
                            + "; stop: local-kafka/broker stop)");
                }
                case "stop" -> say(BrokerProcess.stop(dir) ? "stopped (data kept in " + dir.resolve("data") + ")" : "not running");
                case "status" -> {
                    Optional<BrokerProcess.Broker> broker = BrokerStateFile.read(dir).filter(BrokerProbe::healthy);
                    if (broker.isEmpty()) {
                        say("not running; data dir " + dir);
                        System.exit(3);
                    }
                    say("running (pid " + broker.get().pid() + ") on " + broker.get().bootstrapServers() + "; data "
                            + dir.resolve("data") + "; log " + broker.get().log());
                }
                default -> {
                    System.err.println("usage: BrokerCli start|stop|status");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0); // the Admin client's threads must not keep this JVM alive
    }

    /**
     * The settings the environment gives: {@code LOCAL_KAFKA_DIR} (.local-kafka), {@code LOCAL_KAFKA_PORT} (9092),
     * {@code LOCAL_KAFKA_CONTROLLER_PORT} (port + 1), {@code LOCAL_KAFKA_PARTITIONS} (1). Empty means unset, as in
     * {@code local-kafka/broker}.
     *
     * @throws IllegalArgumentException naming the variable and its value, when a number is not one or out of range
     */
    static BrokerProcess.Settings settings(Map<String, String> env, List<Path> classPath) {
        Path dir = Path.of(variable(env, "LOCAL_KAFKA_DIR").orElse(".local-kafka")).toAbsolutePath();
        int port = number(env, "LOCAL_KAFKA_PORT", 9092, 1, 65535);
        int controllerPort = number(env, "LOCAL_KAFKA_CONTROLLER_PORT", port + 1, 1, 65535);
        int partitions = number(env, "LOCAL_KAFKA_PARTITIONS", 1, 1, Integer.MAX_VALUE);
        return new BrokerProcess.Settings(dir, port, controllerPort, partitions, classPath);
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        Optional<String> value = variable(env, name);
        if (value.isEmpty()) {
            if (fallback < min || fallback > max) { // the controller port's default, the port + 1, after 65535
                throw new IllegalArgumentException(name + " must be set: its default, " + fallback + ", is not from "
                        + min + " to " + max);
            }
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '"
                + env.get(name) + "'");
    }

    private static void say(String message) {
        System.out.println("local-kafka: " + message);
    }
}

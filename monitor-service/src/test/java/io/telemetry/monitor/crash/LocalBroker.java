package io.telemetry.monitor.crash;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The project's broker process ({@code local-kafka/broker}) on free ports with a data folder of its
 * own: a real Kafka that a test can stop and start again with its data. As a JUnit extension
 * ({@code @RegisterExtension static}), it runs for the test class.
 */
final class LocalBroker implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private static final Path SCRIPT = Path.of("../local-kafka/broker");

    private final Map<String, String> env;
    final String bootstrapServers;

    LocalBroker(Path dir) {
        try {
            int[] ports = freePorts();
            int port = ports[0];
            this.env = Map.of("LOCAL_KAFKA_PORT", Integer.toString(port),
                    "LOCAL_KAFKA_CONTROLLER_PORT", Integer.toString(ports[1]),
                    "LOCAL_KAFKA_DIR", dir.toAbsolutePath().toString());
            this.bootstrapServers = "localhost:" + port;
            deleteRecursively(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void start() throws IOException, InterruptedException {
        run("start");
    }

    void stop() throws IOException, InterruptedException {
        run("stop");
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** The end offset of partition 0 of a topic. */
    long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }

    /**
     * The marker a monitor saved for a partition of a channel topic in its snapshot topic (the key as
     * {@code SnapshotCodec} documents it), among committed records only; -1 if there is none.
     */
    long savedMarker(String snapshotTopic, String topic, int partition) {
        byte[] marker = latest(snapshotTopic).get("m|" + topic + "|" + partition);
        return marker == null ? -1 : ByteBuffer.wrap(marker).getLong();
    }

    /**
     * What compaction keeps of partition 0 of a topic: the latest committed value of each key, in the order
     * of their latest records; {@code null} for a key whose latest record is a tombstone.
     */
    Map<String, byte[]> latest(String topic) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : committed(topic, 0)) {
            latest.remove(record.key());
            latest.put(record.key(), record.value());
        }
        return latest;
    }

    /** The committed records of partition 0 of a topic from {@code offset} to its end. */
    List<ConsumerRecord<String, byte[]>> committed(String topic, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** Creates topics of this many partitions each, as an operator would for a group of several monitors. */
    void createTopics(List<String> topics, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
            // Until the broker leads every partition: an idempotent producer whose first batch for a partition is
            // refused (not the leader yet) gets every later batch refused as out of order, until they expire.
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            topics.forEach(topic -> IntStream.range(0, partitions).forEach(p -> ends.put(new TopicPartition(topic, p),
                    OffsetSpec.latest())));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Creates a compacted topic of one partition, as the monitor creates its snapshot topic. */
    void createCompacted(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private void run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command).inheritIO();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("local-kafka/broker " + command + " failed");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Two distinct free ports: both sockets stay open until both are taken. */
    private static int[] freePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            return new int[] { first.getLocalPort(), second.getLocalPort() };
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}

package io.telemetry.monitor.crash;

import static io.telemetry.monitor.TestReadings.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.restassured.path.json.JsonPath;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;

/** One scenario's topics, readings sent so far, and how to run monitors on them. */
final class Scenario {

    static final List<String> DEVICES = List.of("washer", "dryer", "ac");
    static final List<String> CHANNELS = List.of("temp", "power");
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private final LocalBroker broker;
    private final Map<String, String> settings = new HashMap<>();
    private final List<String> devices;
    final String name;
    final Map<String, List<Sample>> sent = new HashMap<>();
    final Random random = new Random(7);
    int next;

    Scenario(LocalBroker broker, String name) {
        this(broker, name, DEVICES);
    }

    Scenario(LocalBroker broker, String name, List<String> devices) {
        this.broker = broker;
        this.name = name;
        this.devices = List.copyOf(devices);
    }

    String topic(String channel) {
        return name + "-" + channel;
    }

    String snapshots() {
        return name + "-snapshots";
    }

    /** Runs a monitor until every reading sent so far is applied and in its snapshots, then kills it. */
    void applyAndSaveAll(String process) throws Exception {
        try (AppProcess monitor = AppProcess.monitor(process, env("PT0.5S", "none")).awaitReady()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> monitor.applied("power") + monitor.applied("temp") == total());
            Thread.sleep(1500); // snapshots with their markers include everything so far
            monitor.kill();
        }
    }

    /** A setting of every monitor of the scenario from now on, beside the topics and the group. */
    Scenario with(String variable, String value) {
        settings.put(variable, value);
        return this;
    }

    Map<String, String> env(String snapshotInterval, String failPoint) {
        Map<String, String> env = new HashMap<>(settings);
        env.putAll(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers),
                Map.entry("TEMP_TOPIC", topic("temp")),
                Map.entry("POWER_TOPIC", topic("power")),
                Map.entry("MONITOR_SNAPSHOT_TOPIC", snapshots()),
                Map.entry("MONITOR_SNAPSHOT_INTERVAL", snapshotInterval),
                Map.entry("MONITOR_SNAPSHOT_FAIL_POINT", failPoint),
                Map.entry("MP_MESSAGING_INCOMING_TEMP_GROUP_ID", name),
                Map.entry("MP_MESSAGING_INCOMING_POWER_GROUP_ID", name),
                // Static membership: the restarted monitor takes the killed one's place without waiting.
                Map.entry("MP_MESSAGING_INCOMING_TEMP_GROUP_INSTANCE_ID", name + "-temp"),
                Map.entry("MP_MESSAGING_INCOMING_POWER_GROUP_INSTANCE_ID", name + "-power")));
        return env;
    }

    /**
     * Sends {@code perSeries} more readings of every device on every channel, 10 s apart.
     *
     * @return the bytes of their keys and values
     */
    long send(int perSeries) throws ExecutionException, InterruptedException {
        long bytes = 0;
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < perSeries; i++, next++) {
                Instant at = T0.plusSeconds(10L * next);
                for (String device : devices) {
                    for (String channel : CHANNELS) {
                        double value = Math.round(random.nextDouble() * (channel.equals("power") ? 200_000 : 4_000)) / 100.0;
                        sent.computeIfAbsent(device + "/" + channel, key -> new ArrayList<>()).add(new Sample(at, value));
                        String json = json(device, channel, at, value);
                        bytes += device.length() + json.getBytes(StandardCharsets.UTF_8).length;
                        acks.add(producer.send(new ProducerRecord<>(topic(channel), device, json)));
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(); // a reading the oracle counts must be in the topic: a refused one fails the test here
            }
        }
        return bytes;
    }

    /**
     * The settings of one of several monitors that share the scenario's topics in one group: named, on
     * dynamic membership (static members of one name would fence each other).
     */
    Map<String, String> member(String instanceId, String snapshotInterval) {
        Map<String, String> env = env(snapshotInterval, "none");
        env.remove("MP_MESSAGING_INCOMING_TEMP_GROUP_INSTANCE_ID");
        env.remove("MP_MESSAGING_INCOMING_POWER_GROUP_INSTANCE_ID");
        env.put("MONITOR_INSTANCE_ID", instanceId);
        return env;
    }

    /** Creates the scenario's channel topics with this many partitions each. */
    Scenario partitions(int count) throws Exception {
        broker.createTopics(List.of(topic("temp"), topic("power")), count);
        return this;
    }

    List<String> devices() {
        return devices;
    }

    long total() {
        return sent.values().stream().mapToLong(List::size).sum();
    }

    /** Every series' all-time stats and hourly buckets equal the oracle's. */
    void assertExact(AppProcess monitor) {
        sent.forEach((series, samples) -> {
            String path = "/api/devices/" + series;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                io.restassured.response.Response answer = monitor.http().get(path);
                assertThat(answer.jsonPath().getLong("count")).as(path + " count, served by " + answer.header("X-Served-By"))
                        .isEqualTo(samples.size());
            });
            JsonPath stats = monitor.http().get(path).jsonPath();
            SeriesOracle expected = SeriesOracle.of(samples, Duration.ofMinutes(5));
            assertThat(stats.getDouble("mean")).as(series + " mean").isCloseTo(expected.mean(), within(1e-6));
            assertThat(stats.getDouble("stddev")).as(series + " stddev").isCloseTo(expected.stddev(), within(1e-6));
            assertThat(stats.getDouble("min")).as(series + " min").isEqualTo(expected.min(), within(1e-9));
            assertThat(stats.getDouble("max")).as(series + " max").isEqualTo(expected.max(), within(1e-9));
            if (series.endsWith("power")) {
                assertThat(stats.getDouble("energyWh")).as(series + " energy").isCloseTo(expected.energyWh(), within(1e-6));
            }
            Map<Instant, Long> hourly = new HashMap<>();
            samples.forEach(sample -> hourly.merge(sample.at().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum));
            JsonPath buckets = monitor.http().queryParam("resolution", "PT1H").queryParam("from", T0.toString())
                    .queryParam("to", T0.plus(Duration.ofDays(2)).toString()).get(path + "/series").jsonPath();
            Map<Instant, Long> actual = new HashMap<>();
            List<Map<String, Object>> list = buckets.getList("buckets");
            list.forEach(bucket -> actual.put(Instant.parse((String) bucket.get("start")),
                    ((Number) bucket.get("count")).longValue()));
            assertThat(actual).as(series + " hourly counts").isEqualTo(hourly);
        });
    }
}

package io.telemetry.monitor.ingest;

import static io.restassured.RestAssured.given;
import static io.telemetry.monitor.TestReadings.json;
import static io.telemetry.monitor.TestReadings.newDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.telemetry.monitor.JsonNumbers;
import io.telemetry.monitor.SeriesOracle;
import io.telemetry.monitor.SeriesOracle.Sample;
import io.telemetry.reading.Topics;

/**
 * A corpus of bad records ({@link PoisonCorpus}), sent with a raw producer between good ones: each bad
 * one must reach the dead-letter topic with its reason and origin, and the good ones must all count.
 * (Each one's reason alone, without a broker: {@code RecordDecoderTest}.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class PoisonRecordsTest {

    private static final String DEVICE = newDevice("poison");
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @BeforeAll
    static void readNumbersAsDoubles() {
        JsonNumbers.readAsDoubles();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyBadRecordIsDeadLetteredWithItsReasonAndTheGoodOnesAllCount() {
        List<PoisonCorpus.Bad> corpus = PoisonCorpus.of(DEVICE, T0);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(20);
        Map<String, Long> dlqStart = new LinkedHashMap<>();
        for (String topic : List.of(Topics.POWER, Topics.TEMP)) {
            String dlq = DeadLetters.TOPIC_PREFIX + topic;
            if (!kafka.topics().list().contains(dlq)) {
                kafka.topics().createAndWait(dlq, 1);
            }
            dlqStart.put(topic, kafka.offsets().get(new TopicPartition(dlq, 0), OffsetSpec.latest()).offset());
        }

        List<Sample> good = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            Sample sample = new Sample(T0.plusSeconds(10L * i), 100 + 7 * i);
            good.add(sample);
            // The first good one says it is a structured CloudEvent: a header the monitor must not act on.
            List<Header> headers = i == 0
                    ? List.of(new RecordHeader("content-type", utf8("application/cloudevents+json; charset=UTF-8")))
                    : List.of();
            records.add(new ProducerRecord<>(Topics.POWER, null, DEVICE,
                    utf8(json(DEVICE, "power", sample.at().toString(), Double.toString(sample.value()))), headers));
            PoisonCorpus.Bad bad = corpus.get(i);
            records.add(new ProducerRecord<>(bad.topic(), bad.key(), bad.value()));
        }
        kafka.produceWithSerializers(Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .fromRecords(records).awaitCompletion();

        String path = "/api/devices/" + DEVICE + "/power";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("count", equalTo(good.size())));
        JsonPath stats = given().get(path).jsonPath();
        SeriesOracle expected = SeriesOracle.of(good, Duration.ofMinutes(5));
        assertThat(stats.getDouble("mean")).isCloseTo(expected.mean(), within(1e-9));
        assertThat(stats.getDouble("max")).isEqualTo(expected.max());
        assertThat(stats.getDouble("energyWh")).isCloseTo(expected.energyWh(), within(1e-9));

        // The temp topic's consumer runs on its own: its bad records may come a little after power's count.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").asString();
            assertThat(metrics).containsPattern("monitor_records_rejected_total\\{channel=\"power\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("monitor_records_rejected_total\\{channel=\"temp\"[^}]*} [1-9]");
        });

        for (String topic : List.of(Topics.POWER, Topics.TEMP)) {
            List<PoisonCorpus.Bad> expectedBad = corpus.stream().filter(bad -> bad.topic().equals(topic)).toList();
            String dlq = DeadLetters.TOPIC_PREFIX + topic;
            List<ConsumerRecord<String, byte[]>> dead = kafka
                    .consumeWithDeserializers(Serdes.String().deserializer(), Serdes.ByteArray().deserializer())
                    .fromOffsets(Map.of(new TopicPartition(dlq, 0), dlqStart.get(topic)), expectedBad.size())
                    .awaitCompletion(Duration.ofSeconds(30)).getRecords();
            assertThat(dead).hasSize(expectedBad.size());
            for (int i = 0; i < expectedBad.size(); i++) {
                PoisonCorpus.Bad bad = expectedBad.get(i);
                ConsumerRecord<String, byte[]> letter = dead.get(i);
                assertThat(header(letter, DeadLetters.REASON)).as("reason of dead letter %d", i).contains(bad.reason());
                assertThat(header(letter, DeadLetters.TOPIC)).isEqualTo(topic);
                assertThat(header(letter, DeadLetters.PARTITION)).isEqualTo("0");
                assertThat(Long.parseLong(header(letter, DeadLetters.OFFSET))).isNotNegative();
                assertThat(letter.key()).isEqualTo(bad.key());
                assertThat(letter.value()).isEqualTo(bad.value() == null ? new byte[0] : bad.value());
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}

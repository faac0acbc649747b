package io.telemetry.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The backwards read of one window, against Kafka's MockConsumer: no broker needed. */
class LastSentTest {

    private static final TopicPartition POWER_0 = new TopicPartition("power", 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

    private void partitionHolds(long endOffset) {
        consumer.assign(List.of(POWER_0));
        consumer.updateBeginningOffsets(Map.of(POWER_0, 0L));
        consumer.updateEndOffsets(Map.of(POWER_0, endOffset));
    }

    private void record(long offset, String key, String value) {
        consumer.addRecord(new ConsumerRecord<>("power", 0, offset, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String reading(String deviceId, String timestamp) {
        return "{\"deviceId\":\"" + deviceId + "\",\"channel\":\"power\",\"timestamp\":\"" + timestamp + "\",\"value\":1.5}";
    }

    @Test
    void theLastValidReadingOfTheDeviceInTheWindowIsFound() {
        partitionHolds(4);
        record(0, "dev", reading("dev", "2024-05-01T10:00:00Z"));
        record(1, "other", reading("other", "2024-05-01T10:00:30Z"));
        record(2, "dev", reading("dev", "2024-05-01T10:00:20Z"));
        record(3, "dev", "not a reading");

        assertThat(LastSent.lastIn(consumer, POWER_0, "dev", 0, 4, Duration.ofSeconds(5)))
                .contains(new LastSent.Found(Instant.parse("2024-05-01T10:00:20Z"), POWER_0, 2));
    }

    @Test
    void aReadThatStopsMovingGivesUpAfterItsPatienceInsteadOfWaitingForEver() {
        // Ten records are said to be there, but none ever arrives: what a broker that went away looks like.
        partitionHolds(10);

        // Preemptive: without the deadline the read never returns, and the test must fail rather than hang.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                () -> LastSent.lastIn(consumer, POWER_0, "dev", 0, 10, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("reading power-0 back from offset 0 to 10 got no further than offset 0 in 1 s: "
                        + "is the broker at bootstrap.servers reachable?"));
    }
}

package io.telemetry.monitor.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.telemetry.monitor.MonitorConfig;
import io.telemetry.monitor.alerts.Alerts;
import io.telemetry.monitor.live.LiveFeed;
import io.telemetry.monitor.state.HeldPartitions;
import io.telemetry.monitor.state.PartitionHold;
import io.telemetry.monitor.state.PartitionSeries;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;
import io.telemetry.reading.Topics;

/**
 * The Kafka edge of the monitor: each poll's batch of records, decoded on the polling thread by
 * {@link ReadingDeserializer}, is folded into the state of its partition ({@link HeldPartitions}). A
 * record that cannot be decoded goes to the channel's dead-letter topic with the reason; it never stops
 * the stream nor touches the state. A record at an offset already applied to its series (a redelivery)
 * is skipped, and so are the records of a partition this monitor no longer holds (its next owner reads
 * them from its snapshot on). The batch
 * is acknowledged once its dead letters are in Kafka, or Kafka has refused them: a dead letter that
 * cannot be written is logged and counted, and the stream goes on.
 */
@ApplicationScoped
public class ReadingsConsumer {

    private static final Logger LOG = Logger.getLogger(ReadingsConsumer.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final HeldPartitions held;
    private final IngestStatus status;
    private final DeadLetters deadLetters;
    private final LiveFeed live;
    private final Alerts alerts;
    private final Duration maxFuture;

    public ReadingsConsumer(HeldPartitions held, IngestStatus status, DeadLetters deadLetters, LiveFeed live, Alerts alerts,
            MonitorConfig config) {
        this.held = held;
        this.live = live;
        this.alerts = alerts;
        this.status = status;
        this.deadLetters = deadLetters;
        this.maxFuture = config.maxFuture();
    }

    @Incoming(Topics.TEMP)
    public CompletionStage<Void> temp(ConsumerRecords<String, DecodedValue> records) {
        return apply(Channel.TEMP, records);
    }

    @Incoming(Topics.POWER)
    public CompletionStage<Void> power(ConsumerRecords<String, DecodedValue> records) {
        return apply(Channel.POWER, records);
    }

    private CompletionStage<Void> apply(Channel channel, ConsumerRecords<String, DecodedValue> records) {
        long applied = 0;
        long duplicates = 0;
        List<CompletableFuture<Void>> rejected = new ArrayList<>(0);
        Map<PartitionHold, Long> through = new HashMap<>();
        Instant latest = Instant.now().plus(maxFuture);
        for (TopicPartition partition : records.partitions()) {
            PartitionHold hold = held.hold(partition);
            if (!hold.held()) {
                continue; // revoked while this batch waited: its next owner reads these records again
            }
            List<ConsumerRecord<String, DecodedValue>> batch = records.records(partition);
            for (ConsumerRecord<String, DecodedValue> record : batch) {
                DecodedValue checked = RecordDecoder.check(channel, record.key(), record.value(), latest);
                if (checked.problem() != null) {
                    rejected.add(reject(channel, record, checked.problem()));
                    continue;
                }
                Reading reading = checked.reading();
                PartitionSeries series;
                try {
                    series = hold.apply(reading, record.offset());
                } catch (RuntimeException e) { // a valid reading the fold still cannot take: never stop the stream
                    rejected.add(reject(channel, record, "cannot be applied: " + e));
                    continue;
                }
                if (series == null) {
                    duplicates++;
                    continue;
                }
                applied++;
                alerts.onReading(reading);
                if (live.watched()) {
                    live.publish(reading, series.series().allTime());
                }
            }
            through.put(hold, batch.get(batch.size() - 1).offset());
        }
        status.countApplied(channel, applied);
        status.countDuplicates(channel, duplicates);
        CompletableFuture<Void> done = rejected.isEmpty() ? DONE
                : CompletableFuture.allOf(rejected.toArray(CompletableFuture[]::new));
        // A snapshot may include these offsets only once their dead letters are in Kafka too (or Kafka refused them).
        return done.thenRun(() -> through.forEach(PartitionHold::appliedThrough));
    }

    private CompletableFuture<Void> reject(Channel channel, ConsumerRecord<String, DecodedValue> record, String reason) {
        status.countRejected(channel);
        LOG.warnf("Dead-lettered record %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                record.key(), reason);
        return deadLetters.send(channel, record, reason).toCompletableFuture().exceptionally(failure -> {
            // Failing the batch would stop the channel, and every good reading behind this record with it.
            status.countDeadLetterUnsent(channel);
            LOG.errorf("Kafka did not take the dead letter of record %s-%d@%d on %s, so the record stays only in its"
                    + " own topic, unapplied, and the stream goes on: %s", record.topic(), record.partition(),
                    record.offset(), DeadLetters.topicFor(channel), failure.getMessage());
            return null;
        });
    }
}

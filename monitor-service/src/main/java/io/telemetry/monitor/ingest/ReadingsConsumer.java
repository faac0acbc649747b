package io.telemetry.monitor.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.telemetry.monitor.stats.Aggregates;
import io.telemetry.reading.Channel;
import io.telemetry.reading.InvalidReadingException;
import io.telemetry.reading.Reading;
import io.telemetry.reading.Topics;

/**
 * The Kafka edge of the monitor: each poll's batch of raw records is decoded and folded into the
 * {@link Aggregates}. A record that cannot be decoded is logged, counted and skipped; it never stops
 * the stream nor touches the aggregates.
 */
@ApplicationScoped
public class ReadingsConsumer {

    private static final Logger LOG = Logger.getLogger(ReadingsConsumer.class);

    private final Aggregates aggregates;
    private final IngestStatus status;

    public ReadingsConsumer(Aggregates aggregates, IngestStatus status) {
        this.aggregates = aggregates;
        this.status = status;
    }

    @Incoming(Topics.TEMP)
    public void temp(ConsumerRecords<String, byte[]> records) {
        apply(Channel.TEMP, records);
    }

    @Incoming(Topics.POWER)
    public void power(ConsumerRecords<String, byte[]> records) {
        apply(Channel.POWER, records);
    }

    private void apply(Channel channel, ConsumerRecords<String, byte[]> records) {
        long applied = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            Reading reading;
            try {
                reading = RecordDecoder.decode(channel, record.key(), record.value());
            } catch (InvalidReadingException e) {
                reject(channel, record, e.getMessage());
                continue;
            }
            aggregates.apply(reading);
            applied++;
        }
        status.countApplied(channel, applied);
    }

    private void reject(Channel channel, ConsumerRecord<String, byte[]> record, String reason) {
        status.countRejected(channel);
        LOG.warnf("Skipped bad record %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                record.key(), reason);
    }
}

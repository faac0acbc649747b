package io.telemetry.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;
import io.telemetry.reading.Topics;

/**
 * Sends the device's CSV readings to Kafka, one stream per channel, each reading keyed by the device
 * id. A reading counts as sent once Kafka has acknowledged it; when every reading of every channel is,
 * the simulator logs a summary and, unless told otherwise, exits.
 */
@ApplicationScoped
public class DeviceSimulator {

    private static final Logger LOG = Logger.getLogger(DeviceSimulator.class);

    private final Device device;
    private final Progress progress;
    private final boolean exitWhenDone;
    private final AtomicBoolean finished = new AtomicBoolean();

    private final Map<String, Object> kafka;
    private final Map<Channel, String> topics;

    public DeviceSimulator(Device device, Progress progress, SimulatorConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config appConfig,
            @ConfigProperty(name = "mp.messaging.outgoing.temp.topic") String tempTopic,
            @ConfigProperty(name = "mp.messaging.outgoing.power.topic") String powerTopic) {
        this.device = device;
        this.progress = progress;
        this.exitWhenDone = config.exitWhenDone();
        // The kafka.* settings lack bootstrap.servers when it is left at the channels' default.
        Map<String, Object> settings = new java.util.HashMap<>(kafka);
        settings.put("bootstrap.servers", appConfig.getOptionalValue("kafka.bootstrap.servers", String.class)
                .or(() -> appConfig.getOptionalValue("mp.messaging.connector.smallrye-kafka.bootstrap.servers", String.class))
                .orElse("localhost:9092"));
        this.kafka = Map.copyOf(settings);
        this.topics = Map.of(Channel.TEMP, tempTopic, Channel.POWER, powerTopic);
    }

    @Outgoing(Topics.TEMP)
    public Multi<Message<Reading>> temp() {
        return replay(Channel.TEMP);
    }

    @Outgoing(Topics.POWER)
    public Multi<Message<Reading>> power() {
        return replay(Channel.POWER);
    }

    private Multi<Message<Reading>> replay(Channel channel) {
        if (!device.files().containsKey(channel)) {
            return Multi.createFrom().empty();
        }
        Progress.Counts counts = progress.of(channel);
        Multi<Reading> readings;
        try {
            readings = Replay.of(device.files().get(channel), device.deviceId(), channel, device.replaySpeed(),
                    device.loop(), resumeAfter(channel), bad -> badRow(counts, bad));
        } catch (RuntimeException e) {
            // Failed rather than thrown: thrown out of an @Outgoing method it fails start-up with a stack trace.
            readings = Multi.createFrom().failure(e);
        }
        return readings
                .onItem().transform(reading -> {
                    counts.read.incrementAndGet();
                    return message(reading, counts);
                })
                .onCompletion().invoke(() -> {
                    counts.endOfData = true;
                    checkDone();
                })
                .onFailure().invoke(this::stop)
                .onFailure().recoverWithCompletion();
    }

    /** The event time of the last reading this device sent on the channel, unless told to start over. */
    private Instant resumeAfter(Channel channel) {
        if (device.startOver()) {
            LOG.infof("Starting %s over from the first row (SIMULATOR_START_OVER)", channel);
            return null;
        }
        Optional<LastSent.Found> last;
        try {
            last = LastSent.find(kafka, topics.get(channel), device.deviceId());
        } catch (RuntimeException e) {
            // Sending from the first row could send readings twice: better not send at all.
            LOG.errorf("Cannot find where %s stopped on %s, so nothing is sent: %s (SIMULATOR_START_OVER=true sends all)",
                    device.deviceId(), topics.get(channel), e);
            stop(e);
            throw e;
        }
        last.ifPresent(found -> LOG.infof("Resuming %s after %s, the last reading %s sent (%s@%d)", channel,
                found.timestamp(), device.deviceId(), found.partition(), found.offset()));
        return last.map(LastSent.Found::timestamp).orElse(null);
    }

    private Message<Reading> message(Reading reading, Progress.Counts counts) {
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(reading.deviceId()).build());
        return Message.of(reading, metadata, () -> {
            counts.sent.incrementAndGet();
            checkDone();
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            counts.failed.incrementAndGet();
            LOG.errorf("Kafka refused %s reading at %s: %s", reading.channel(), reading.timestamp(), failure.getMessage());
            checkDone();
            return CompletableFuture.completedFuture(null);
        });
    }

    private void badRow(Progress.Counts counts, BadRowException bad) {
        if (device.badRows() == SimulatorConfig.BadRows.FAIL) {
            throw bad;
        }
        counts.badRows.incrementAndGet();
        LOG.warnf("Skipped bad row %s", bad.getMessage());
    }

    private void checkDone() {
        if (progress.done() && finished.compareAndSet(false, true)) {
            LOG.infof("Done: %s", ProgressReporter.summary(device.deviceId(), progress));
            long failed = progress.channels().values().stream().mapToLong(Progress.Counts::failed).sum();
            if (failed > 0) {
                LOG.errorf("Kafka refused %d readings; they were not sent", failed);
            }
            if (exitWhenDone) {
                Quarkus.asyncExit(failed > 0 ? 1 : 0);
            }
        }
    }

    private void stop(Throwable failure) {
        if (finished.compareAndSet(false, true)) {
            LOG.errorf("Simulator stopped: %s", failure.getMessage());
            LOG.infof("Sent before stopping: %s", ProgressReporter.summary(device.deviceId(), progress));
            if (exitWhenDone) {
                Quarkus.asyncExit(1);
            }
        }
    }
}

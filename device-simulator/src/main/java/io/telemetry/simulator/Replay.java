package io.telemetry.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * The readings of one channel's CSV file as a {@link Multi}: streamed from disk as the subscriber asks
 * for them (so Kafka's back-pressure reaches the file), paced by the recording's own timestamps, and
 * repeated with shifted timestamps when looping.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * @param speed    1 = the recording's pace, N = N times faster, 0 = as fast as the subscriber asks
     * @param loop     start over at the end, each pass shifted by the recording's length
     * @param onBadRow told of each bad row; throwing from it fails the stream
     */
    public static Multi<Reading> of(Path file, String deviceId, Channel channel, double speed, boolean loop,
            Consumer<BadRowException> onBadRow) {
        return of(file, deviceId, channel, speed, loop, null, onBadRow);
    }

    /**
     * The same, resumed: readings at or before {@code after} (the last one sent before a restart) are
     * skipped, so that none is sent twice. The recording must be in time order, as recordings are.
     *
     * @param after the event time of the last reading already sent, or {@code null} to send everything
     */
    public static Multi<Reading> of(Path file, String deviceId, Channel channel, double speed, boolean loop,
            Instant after, Consumer<BadRowException> onBadRow) {
        // Deferred to subscription, when every other read of the file happens too: a file that cannot be
        // measured for a loop (no header, no readings) then fails the stream, as it does without a loop,
        // instead of throwing out of the @Outgoing method with a start-up stack trace.
        Multi<Reading> readings = Multi.createFrom().deferred(() -> passes(file, deviceId, channel, loop, after, onBadRow));
        if (after != null) {
            readings = readings.skip().where(reading -> !reading.timestamp().isAfter(after));
        }
        if (speed > 0) {
            Pacer pacer = new Pacer(speed);
            readings = readings.onItem().call(pacer::due);
        }
        return readings;
    }

    private static Multi<Reading> passes(Path file, String deviceId, Channel channel, boolean loop, Instant after,
            Consumer<BadRowException> onBadRow) {
        Duration length = loop ? RecordingLength.of(file, deviceId, channel) : Duration.ZERO;
        long firstPass = after == null || !loop ? 0 : RecordingLength.passOf(file, deviceId, channel, length, after);
        Multi<Long> passes = loop
                ? Multi.createFrom().generator(() -> firstPass, (pass, emitter) -> {
                    emitter.emit(pass);
                    return pass + 1;
                })
                : Multi.createFrom().item(0L);
        return passes.onItem().transformToMultiAndConcatenate(pass -> Multi.createFrom().resource(
                () -> CsvReadings.open(file, deviceId, channel, length.multipliedBy(pass), onBadRow),
                csv -> Multi.createFrom().iterable(() -> csv))
                .withFinalizer(CsvReadings::close));
    }

    /** Holds each reading back until its time has come: the gap to the first reading, divided by the speed. */
    static final class Pacer {

        private final double speed;
        private Instant origin;
        private long startNanos;

        Pacer(double speed) {
            this.speed = speed;
        }

        synchronized Uni<Void> due(Reading reading) {
            if (origin == null) {
                origin = reading.timestamp();
                startNanos = System.nanoTime();
            }
            long offsetNanos = (long) (Duration.between(origin, reading.timestamp()).toNanos() / speed);
            long waitNanos = startNanos + offsetNanos - System.nanoTime();
            Uni<Void> now = Uni.createFrom().voidItem();
            return waitNanos <= 0 ? now : now.onItem().delayIt().by(Duration.ofNanos(waitNanos));
        }
    }

    /**
     * How far one loop shifts the timestamps: from the earliest to the latest reading plus one sampling
     * interval (that of the first two readings), so that the next pass follows on without a duplicate.
     */
    static final class RecordingLength {

        private RecordingLength() {
        }

        /** The pass (0, 1, …) whose shifted timestamps hold {@code at}: where a resumed loop picks up. */
        static long passOf(Path file, String deviceId, Channel channel, Duration length, Instant at) {
            Instant first;
            try (CsvReadings csv = CsvReadings.open(file, deviceId, channel, Duration.ZERO, bad -> {
            })) {
                if (!csv.hasNext()) {
                    return 0;
                }
                first = csv.next().timestamp();
            }
            return Math.max(0, Duration.between(first, at).toMillis() / length.toMillis());
        }

        static Duration of(Path file, String deviceId, Channel channel) {
            Instant first = null;
            Instant second = null;
            Instant min = Instant.MAX;
            Instant max = Instant.MIN;
            try (CsvReadings csv = CsvReadings.open(file, deviceId, channel, Duration.ZERO, bad -> {
            })) {
                while (csv.hasNext()) {
                    Instant timestamp = csv.next().timestamp();
                    if (first == null) {
                        first = timestamp;
                    } else if (second == null) {
                        second = timestamp;
                    }
                    min = timestamp.isBefore(min) ? timestamp : min;
                    max = timestamp.isAfter(max) ? timestamp : max;
                }
            }
            if (first == null) {
                throw new BadRowException(file, 2, "no readings to loop over");
            }
            Duration interval = second == null || !second.isAfter(first) ? Duration.ofSeconds(1)
                    : Duration.between(first, second);
            return Duration.between(min, max).plus(interval);
        }
    }
}

package io.telemetry.monitor.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.telemetry.monitor.stats.Stats;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/** The feed without Quarkus: what a watcher that is behind gets, and what it never loses. */
class LiveFeedTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private final LiveFeed feed = new LiveFeed(new SimpleMeterRegistry());

    @Test
    void aWatcherOfOneDeviceBehindTheOthersTrafficStillGetsEachOfItsReadings() {
        AssertSubscriber<LiveFeed.Applied> watcher = feed.watch(applied -> applied.reading().deviceId().equals("watched"))
                .subscribe().withSubscriber(AssertSubscriber.create(0)); // reads nothing yet: behind
        for (int i = 0; i < 10; i++) {
            for (int other = 0; other < 100; other++) { // far more than a watcher that is behind is kept
                publish("other-" + other, i);
            }
            publish("watched", i);
        }
        watcher.request(100);
        watcher.awaitItems(10, Duration.ofSeconds(10));
        assertThat(watcher.getItems()).extracting(applied -> applied.reading().timestamp())
                .containsExactly(IntStream.range(0, 10).mapToObj(i -> T0.plusSeconds(i)).toArray(Instant[]::new));
    }

    @Test
    void aWatcherBehindGetsTheOldestItWasKeptAndNoneOfTheRestUntilItAsksAgain() {
        AssertSubscriber<LiveFeed.Applied> watcher = feed.watch(applied -> true).subscribe()
                .withSubscriber(AssertSubscriber.create(0));
        for (int i = 0; i < 1000; i++) {
            publish("device", i);
        }
        watcher.request(1000);
        watcher.awaitItems(32, Duration.ofSeconds(10));
        publish("device", 1000); // once caught up, new readings come again
        watcher.awaitItems(33, Duration.ofSeconds(10));
        assertThat(watcher.getItems()).extracting(applied -> applied.reading().timestamp().getEpochSecond() - T0.getEpochSecond())
                .containsExactly(LongStream.concat(LongStream.range(0, 32),
                        LongStream.of(1000)).boxed().toArray(Long[]::new));
    }

    private void publish(String device, int second) {
        feed.publish(new Reading(device, Channel.POWER, T0.plusSeconds(second), second), Stats.empty());
    }
}

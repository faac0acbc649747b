package io.telemetry.monitor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.Test;

class EventDataTest {

    @Test
    void eachEventsDataLinesAreOneEventAndOtherFieldsAndCommentsAreSkipped() {
        List<String> events = new ArrayList<>();
        List<Long> requested = new ArrayList<>();
        Peers.EventData reader = new Peers.EventData(events::add, () -> events.add("<end>"), failure -> events.add("<failed>"));
        reader.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                requested.add(n);
            }

            @Override
            public void cancel() {
                requested.add(-1L);
            }
        });
        for (String line : List.of("data:{\"type\":\"heartbeat\"}", "", "", ": a comment", "event: reading",
                "data: {\"a\":1,", "data:\"b\":2}", "", "id: 7", "data:last")) {
            reader.onNext(line);
        }
        reader.onComplete();

        assertThat(events).containsExactly("{\"type\":\"heartbeat\"}", "{\"a\":1,\n\"b\":2}", "<end>");
        reader.cancel();
        assertThat(requested).containsExactly(Long.MAX_VALUE, -1L);
    }
}

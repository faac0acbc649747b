package io.telemetry.monitor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.telemetry.monitor.api.StatusResource.GroupStatus;
import io.telemetry.monitor.api.StatusResource.IngestCounts;
import io.telemetry.monitor.api.StatusResource.InstanceCounts;

class GroupStatusTest {

    @Test
    void theGroupsCountsAreEachMonitorsAddedUpPerChannelAndEachMonitorKeepsItsOwn() {
        InstanceCounts one = new InstanceCounts("m1", "http://localhost:8081", new IngestCounts(
                Map.of("temp", 10L, "power", 20L), Map.of("temp", 1L, "power", 0L), Map.of("temp", 0L, "power", 3L),
                Map.of("PT1M", 2L, "PT1H", 0L)));
        InstanceCounts two = new InstanceCounts("m2", "http://localhost:8082", new IngestCounts(
                Map.of("temp", 5L, "power", 7L), Map.of("temp", 0L, "power", 4L), Map.of("temp", 0L, "power", 0L),
                Map.of("PT1M", 1L, "PT1H", 6L)));

        GroupStatus status = GroupStatus.of(List.of(one, two), List.of("m3"));

        assertThat(status.applied()).containsExactlyInAnyOrderEntriesOf(Map.of("temp", 15L, "power", 27L));
        assertThat(status.rejected()).containsExactlyInAnyOrderEntriesOf(Map.of("temp", 1L, "power", 4L));
        assertThat(status.duplicates()).containsExactlyInAnyOrderEntriesOf(Map.of("temp", 0L, "power", 3L));
        assertThat(status.tooLate()).containsExactlyInAnyOrderEntriesOf(Map.of("PT1M", 3L, "PT1H", 6L));
        assertThat(status.instances()).containsExactly(one, two);
        assertThat(status.unanswered()).containsExactly("m3");
    }
}

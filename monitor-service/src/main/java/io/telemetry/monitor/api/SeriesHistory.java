package io.telemetry.monitor.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The bucketed history of one series over {@code [from, to)}.
 *
 * @param buckets   the non-empty buckets in time order
 * @param truncated whether more buckets of the range were left out because of the limit
 * @param next      when truncated, the {@code from} that asks for the rest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record SeriesHistory(String deviceId, String channel, String unit, String resolution, Instant from, Instant to,
        List<BucketStats> buckets, boolean truncated, Instant next) {
}

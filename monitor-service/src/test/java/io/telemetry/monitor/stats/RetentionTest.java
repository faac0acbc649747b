package io.telemetry.monitor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetentionTest {

    @Test
    void theDefaultsHoldTwoDaysOfMinutesNinetyDaysOfHoursAndFiveYearsOfDays() {
        Retention retention = Retention.DEFAULT;
        assertThat(retention.millis(Resolution.MINUTE)).isEqualTo(48L * 3_600_000);
        assertThat(retention.maxBuckets(Resolution.MINUTE)).isEqualTo(48 * 60 + 1);
        assertThat(retention.maxBuckets(Resolution.HOUR)).isEqualTo(90 * 24 + 1);
        assertThat(retention.maxBuckets(Resolution.DAY)).isEqualTo(1_826 + 1);
        assertThat(retention.finestCovering(Duration.ofHours(48))).contains(Resolution.MINUTE);
        assertThat(retention.finestCovering(Duration.ofHours(49))).contains(Resolution.HOUR);
        assertThat(retention.finestCovering(Duration.ofDays(1_827))).isEmpty();
        assertThat(retention.longest()).isEqualTo(Duration.ofDays(1_826));
    }

    @Test
    void refusesSpansShorterThanABucketOrTooLongToCount() {
        assertThatThrownBy(() -> Retention.of(Duration.ofSeconds(30), Duration.ofDays(1), Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention of PT1M buckets must be at least PT1M, got PT30S");
        assertThatThrownBy(() -> Retention.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retention of P1D buckets is too long to count in milliseconds");
    }
}

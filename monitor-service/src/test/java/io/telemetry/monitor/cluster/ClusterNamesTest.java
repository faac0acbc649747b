package io.telemetry.monitor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How monitors name themselves to Kafka and to each other, without Quarkus or a broker. */
class ClusterNamesTest {

    @Test
    void aChannelConsumersClientIdNamesItsMonitorAndWhereItAnswers() {
        Member member = new Member("m1", "http://localhost:8081/");

        assertThat(member.url()).isEqualTo("http://localhost:8081");
        assertThat(member.clientIdPrefix() + "temp").isEqualTo("m1@http://localhost:8081/temp");
        assertThat(Member.ofClientId("m1@http://localhost:8081/temp")).contains(member);
        assertThat(Member.ofClientId("m-2@https://monitor-2.monitor:8443/power"))
                .contains(new Member("m-2", "https://monitor-2.monitor:8443"));
    }

    @Test
    void aClientIdOfAnotherFormIsNoMonitor() {
        assertThat(Member.ofClientId("kafka-consumer-temp")).isEmpty();
        assertThat(Member.ofClientId("@http://localhost:8081/temp")).isEmpty();
        assertThat(Member.ofClientId("m1@ftp://localhost/temp")).isEmpty();
    }

    @Test
    void aMalformedInstanceIdOrUrlIsRefusedNamingItsSetting() {
        assertThatThrownBy(() -> new Member("a@b", "http://localhost:8081"))
                .hasMessageContaining("MONITOR_INSTANCE_ID").hasMessageContaining("'a@b'");
        assertThatThrownBy(() -> new Member("m1", "localhost:8081"))
                .hasMessageContaining("MONITOR_ADVERTISED_URL").hasMessageContaining("'localhost:8081'");
    }

    @Test
    void partitionHeadersReadBackWhatTheyWrite() {
        List<TopicPartition> partitions = List.of(new TopicPartition("power", 3), new TopicPartition("my-temp", 12));

        assertThat(Hop.format(partitions)).isEqualTo("power-3,my-temp-12");
        assertThat(Hop.parse(Hop.format(partitions))).containsExactlyElementsOf(partitions);
        assertThat(Hop.parse(" power-3, temp-x,nodash, ")).containsExactly(new TopicPartition("power", 3));
        assertThat(Hop.parse(null)).isEmpty();
    }

    @Test
    void aDevicesPartitionIsTheOneKafkasDefaultPartitionerPicks() {
        // The partitions Kafka 4.1's producer gives these keys on a topic of six partitions (murmur2 of the
        // key's UTF-8 bytes, made positive, modulo six), computed apart from this code.
        assertThat(Assignment.partitionOf("washer", 6)).isZero();
        assertThat(Assignment.partitionOf("ac", 6)).isEqualTo(3);
        assertThat(Assignment.partitionOf("dryer", 6)).isEqualTo(4);
        assertThat(Assignment.partitionOf("unit-05", 6)).isEqualTo(5);
        assertThat(Assignment.partitionOf("anything", 1)).isZero();
    }
}

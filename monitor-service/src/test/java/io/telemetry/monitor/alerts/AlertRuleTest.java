package io.telemetry.monitor.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;

import io.telemetry.reading.Channel;

class AlertRuleTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static AlertRule parse(String json) throws Exception {
        return AlertRule.fromJson(JSON.readTree(json));
    }

    @Test
    void aThresholdRuleReadsEveryField() throws Exception {
        AlertRule rule = parse("""
                {"id":"hot-wash","device":"washing-machine","channel":"temp","above":70,"for":"PT30S"}""");
        assertThat(rule).isEqualTo(new AlertRule("hot-wash", "washing-machine", Channel.TEMP, 70.0, null,
                Duration.ofSeconds(30), null));
        assertThat(rule.describe()).isEqualTo("washing-machine temp > 70 °C for PT30S");
        assertThat(parse("""
                {"id":"off","channel":"power","silentFor":"pt5m"}""").describe()).isEqualTo("any device power silent for PT5M");
    }

    @Test
    void aRuleAsTheApiWritesItReadsBackTheSame() throws Exception {
        AlertRule rule = new AlertRule("hot-wash", "washing-machine", Channel.TEMP, 70.0, null, Duration.ofSeconds(30), null);
        String written = JSON.findAndRegisterModules().writeValueAsString(rule);
        assertThat(written).isEqualTo("{\"id\":\"hot-wash\",\"device\":\"washing-machine\",\"channel\":\"temp\","
                + "\"above\":70.0,\"for\":\"PT30S\",\"description\":\"washing-machine temp > 70 °C for PT30S\"}");
        assertThat(parse(written)).isEqualTo(rule);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"channel":"temp","above":1}                                 | id: must be 1 to 64 letters, digits, '.', '_' or '-', got nothing
            {"id":"a b","channel":"temp","above":1}                      | id: must be 1 to 64 letters
            {"id":"r","channel":"humidity","above":1}                    | channel: unknown channel 'humidity'
            {"id":"r","above":1}                                         | channel: is required
            {"id":"r","channel":"temp"}                                  | rule: needs exactly one of above, below or silentFor, got 0
            {"id":"r","channel":"temp","above":1,"silentFor":"PT1M"}     | rule: needs exactly one of above, below or silentFor, got 2
            {"id":"r","channel":"temp","above":"hot"}                    | above: must be a number, got "hot"
            {"id":"r","channel":"temp","below":1,"for":"30s"}            | for: must be an ISO-8601 duration such as PT30S or PT5M, got '30s'
            {"id":"r","channel":"temp","below":1,"for":"-PT1S"}          | for: must not be negative
            {"id":"r","channel":"temp","silentFor":"PT0S"}               | silentFor: must be a positive duration
            {"id":"r","channel":"temp","silentFor":"PT1M","for":"PT1S"}  | for: applies to above and below only
            {"id":"r","device":"x y","channel":"temp","above":1}         | device: must be 1 to 64 letters
            {"id":"r","channel":"temp","above":1,"threshold":2}          | threshold: unknown field
            {"id":"r","channel":"temp","silentFor":"PT10000000000000H"}  | silentFor: must be at most 366 days
            {"id":"r","channel":"temp","above":1,"for":"P367D"}          | for: must be at most 366 days
            ["not","an","object"]                                        | rule: must be a JSON object, got ARRAY
            """)
    void aBadRuleNamesItsField(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidRuleException.class).hasMessageStartingWith(message);
    }

    @Test
    void aListOfRulesNamesTheIndexOfTheBadOneAndRefusesRepeatedIds() throws Exception {
        JsonNode bad = JSON.readTree("""
                [{"id":"a","channel":"temp","above":1},{"id":"b","channel":"temp","above":"x"}]""");
        assertThatThrownBy(() -> AlertRule.listFromJson(bad)).hasMessage("rules[1].above: must be a number, got \"x\"");
        JsonNode twice = JSON.readTree("""
                [{"id":"a","channel":"temp","above":1},{"id":"a","channel":"power","below":1}]""");
        assertThatThrownBy(() -> AlertRule.listFromJson(twice)).hasMessage("rules[1].id: repeats the id 'a'");
        assertThat(AlertRule.listFromJson(JSON.readTree("[]"))).isEqualTo(List.of());
    }
}

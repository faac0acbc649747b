package io.telemetry.monitor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.telemetry.reading.Reading;

/**
 * The OpenAPI document the monitor serves, read as client generators read it (swagger-parser, with its
 * validation messages): what a generated client would call, type and send.
 */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class OpenApiContractTest {

    private static OpenAPI document;
    private static List<String> messages;

    /** Once, before the first test (not in a static @BeforeAll: the application is not up yet then). */
    @BeforeEach
    void read() {
        if (document != null) {
            return;
        }
        String served = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);
        document = result.getOpenAPI();
        messages = result.getMessages() == null ? List.of() : result.getMessages();
    }

    @Test
    void theDocumentParsesWithoutAMessage() {
        assertThat(document).isNotNull();
        assertThat(messages).isEmpty();
        assertThat(document.getServers()).isNotEmpty();
        assertThat(document.getServers().get(0).getUrl()).isEqualTo("http://localhost:8080");
    }

    @Test
    void everyOperationHasTheNameAClientCallsItBy() {
        Map<String, String> names = new TreeMap<>();
        operations().forEach((where, operation) -> names.put(where, operation.getOperationId()));
        assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("GET /api/devices", "listDevices"),
                Map.entry("GET /api/devices/{deviceId}", "getDevice"),
                Map.entry("GET /api/devices/{deviceId}/{channel}", "getSeriesStats"),
                Map.entry("GET /api/devices/{deviceId}/{channel}/series", "getSeriesHistory"),
                Map.entry("GET /api/channels/{channel}", "getChannel"),
                Map.entry("GET /api/status", "getStatus"),
                Map.entry("GET /api/alerts", "listAlerts"),
                Map.entry("GET /api/alerts/rules", "listRules"),
                Map.entry("POST /api/alerts/rules", "createRule"),
                Map.entry("GET /api/alerts/rules/{id}", "getRule"),
                Map.entry("DELETE /api/alerts/rules/{id}", "deleteRule"),
                Map.entry("GET /api/stream", "streamEvents"),
                Map.entry("GET /api/cluster", "getCluster"),
                Map.entry("GET /api/cluster/self", "getInstance")));
    }

    @Test
    void everyErrorAnswerIsAProblemAndEveryOperationHasAClientError() {
        operations().forEach((where, operation) -> {
            List<String> errors = new ArrayList<>();
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    errors.add(status);
                    assertThat(response.getContent()).as(where + " " + status).containsOnlyKeys("application/problem+json");
                    assertThat(response.getContent().get("application/problem+json").getSchema().get$ref())
                            .as(where + " " + status).isEqualTo("#/components/schemas/Problem");
                }
            });
            assertThat(errors).as(where + " errors").contains("500").anyMatch(status -> status.startsWith("4"));
        });
        assertThat(document.getComponents().getSchemas().get("Problem").getProperties())
                .containsKeys("type", "title", "status", "detail", "instance");
    }

    @Test
    void parametersAreTypedAsWhatTheyAre() {
        Operation history = operation("GET", "/api/devices/{deviceId}/{channel}/series");
        assertThat(type(schema(history, "limit"))).isEqualTo("integer");
        assertThat(schema(history, "limit").getMinimum()).isEqualByComparingTo("1");
        assertThat(schema(history, "limit").getMaximum()).isEqualByComparingTo("10000");
        assertThat(schema(history, "from").getFormat()).isEqualTo("date-time");
        assertThat(schema(history, "to").getFormat()).isEqualTo("date-time");
        assertThat(schema(history, "resolution").getEnum()).map(String::valueOf).containsExactly("PT1M", "PT1H", "P1D");
        assertThat(schema(history, "channel").getEnum()).map(String::valueOf).containsExactly("temp", "power");
        assertThat(schema(operation("GET", "/api/devices/{deviceId}/{channel}"), "window").getFormat()).isEqualTo("duration");
        assertThat(type(schema(operation("GET", "/api/alerts"), "limit"))).isEqualTo("integer");
        assertThat(schema(operation("GET", "/api/channels/{channel}"), "channel").getEnum()).map(String::valueOf).containsExactly("temp", "power");
        assertThat(schema(operation("GET", "/api/stream"), "device").getPattern()).isEqualTo(Reading.DEVICE_ID_PATTERN);

        Schema<?> deviceId = schema(operation("GET", "/api/devices/{deviceId}"), "deviceId");
        assertThat(deviceId.getMaxLength()).isEqualTo(64);
        Pattern pattern = Pattern.compile(deviceId.getPattern());
        for (String id : List.of("ac", "washing-machine", "house.kitchen_1", "A".repeat(64), "", "A".repeat(65), "not a device!",
                "dryer/7", "é", "ac%20")) {
            assertThat(pattern.matcher(id).matches()).as("the pattern on '" + id + "'").isEqualTo(Reading.isValidDeviceId(id));
        }
    }

    @Test
    void theRuleChangesDeclareTheApiKeyAndTheReadsAreOpen() {
        SecurityScheme key = document.getComponents().getSecuritySchemes().get("apiKey");
        assertThat(key.getType()).isEqualTo(SecurityScheme.Type.APIKEY);
        assertThat(key.getIn()).isEqualTo(SecurityScheme.In.HEADER);
        assertThat(key.getName()).isEqualTo("X-API-Key");
        operations().forEach((where, operation) -> {
            boolean changes = where.startsWith("POST") || where.startsWith("DELETE");
            if (changes) {
                assertThat(operation.getSecurity()).as(where).hasSize(1);
                assertThat(operation.getSecurity().get(0)).as(where).containsOnlyKeys("apiKey");
                assertThat(operation.getResponses()).as(where).containsKey("401");
            } else {
                assertThat(operation.getSecurity()).as(where).isNullOrEmpty();
            }
            assertThat(operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters())
                    .as(where + ": the key is the scheme's, not a loose header argument")
                    .noneMatch(parameter -> parameter.getName().equalsIgnoreCase("X-API-Key"));
        });
    }

    @Test
    void theStreamIsAnEventStreamOfSingleEventsNotAList() {
        ApiResponse ok = operation("GET", "/api/stream").getResponses().get("200");
        assertThat(ok.getContent()).containsOnlyKeys("text/event-stream");
        Schema<?> event = ok.getContent().get("text/event-stream").getSchema();
        assertThat(type(event)).isNotEqualTo("array");
        assertThat(event.get$ref()).isEqualTo("#/components/schemas/LiveEvent");
    }

    @Test
    void anAcceptNoOperationAnswersInIsTheDocumented406Problem() {
        for (String path : List.of("/api/devices", "/api/status", "/api/alerts/rules")) {
            given().accept("text/csv").get(path).then()
                    .statusCode(406)
                    .contentType("application/problem+json")
                    .body("status", equalTo(406));
            assertThat(operation("GET", path).getResponses()).as(path).containsKey("406");
        }
    }

    private static Map<String, Operation> operations() {
        Map<String, Operation> operations = new TreeMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.put(method + " " + path, operation)));
        return operations;
    }

    private static Operation operation(String method, String path) {
        return operations().get(method + " " + path);
    }

    /** A parameter's schema, its reference to a component followed. */
    private static Schema<?> schema(Operation operation, String name) {
        Schema<?> schema = operation.getParameters().stream().filter(parameter -> parameter.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " on " + operation.getOperationId())).getSchema();
        if (schema.get$ref() == null && schema.getAllOf() != null) { // a reference beside a default: allOf [$ref, default]
            schema = schema.getAllOf().stream().filter(part -> part.get$ref() != null).findFirst().orElse(schema);
        }
        if (schema.get$ref() != null) {
            return document.getComponents().getSchemas().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        }
        return schema;
    }

    /** A schema's type: OpenAPI 3.1 gives a set of them; here each has one. */
    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        return schema.getTypes() == null || schema.getTypes().size() != 1 ? null : schema.getTypes().iterator().next();
    }
}

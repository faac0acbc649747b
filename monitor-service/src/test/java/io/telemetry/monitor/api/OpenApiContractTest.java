package io.telemetry.monitor.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static io.telemetry.monitor.TestReadings.newDevice;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.test.kafka.KafkaCompanionResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.telemetry.monitor.TestReadings;
import io.telemetry.reading.Reading;
import io.telemetry.reading.Topics;

/**
 * The OpenAPI document the monitor serves, read as client generators read it (swagger-parser, with its
 * validation messages): what a generated client would call, type and send.
 */
@QuarkusTest
@QuarkusTestResource(KafkaCompanionResource.class)
class OpenApiContractTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static OpenAPI document;
    private static List<String> messages;
    /** The same document as JSON, for its examples and its schemas as JSON Schema (OpenAPI 3.1's are). */
    private static JsonNode tree;

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
        try {
            tree = new ObjectMapper().readTree(served);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        messages = result.getMessages() == null ? List.of() : result.getMessages();
    }

    /**
     * The committed document, from which the build generates the client {@code ApiClientIT} uses, is the
     * served one: a change of the API fails here until the document is updated, and then the client is
     * regenerated from it, so that a change that breaks clients breaks that test.
     */
    @Test
    void theCommittedDocumentIsTheServedOne() throws IOException {
        Path committed = Path.of("src/main/openapi/openapi.json");
        Path written = Path.of("target/openapi-served.json");
        Files.writeString(written, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n");
        assertThat(new ObjectMapper().readTree(committed.toFile()))
                .as("%s is not the served document: if the API changed on purpose, cp monitor-service/%s monitor-service/%s",
                        committed, written, committed)
                .isEqualTo(tree);
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

    @Test
    void everyExampleIsValidAgainstItsOwnSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        List<String> checked = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        tree.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            String where = method.getKey().toUpperCase() + " " + path.getKey();
            List<Map.Entry<String, JsonNode>> contents = new ArrayList<>();
            method.getValue().path("responses").properties().forEach(response -> response.getValue().path("content")
                    .properties().forEach(media -> contents.add(Map.entry(response.getKey() + " " + media.getKey(), media.getValue()))));
            method.getValue().path("requestBody").path("content").properties()
                    .forEach(media -> contents.add(Map.entry("request " + media.getKey(), media.getValue())));
            method.getValue().path("parameters").forEach(parameter -> contents.add(Map.entry("parameter " + parameter.path("name").asText(),
                    parameter)));
            for (Map.Entry<String, JsonNode> content : contents) {
                JsonNode schema = content.getValue().get("schema");
                List<Map.Entry<String, JsonNode>> examples = new ArrayList<>();
                content.getValue().path("examples").properties().forEach(example -> examples.add(Map.entry(example.getKey(),
                        example.getValue().get("value"))));
                if (content.getValue().has("example")) {
                    examples.add(Map.entry("example", content.getValue().get("example")));
                }
                for (Map.Entry<String, JsonNode> example : examples) {
                    String name = where + " " + content.getKey() + " '" + example.getKey() + "'";
                    assertThat(schema).as(name + ": its schema").isNotNull();
                    checked.add(name);
                    List<com.networknt.schema.Error> errors = registry.getSchema(inlined(schema, 0)).validate(example.getValue());
                    if (!errors.isEmpty()) {
                        invalid.add(name + ": " + errors);
                    }
                }
            }
        }));
        assertThat(invalid).as("examples that do not validate").isEmpty();
        assertThat(checked).as("examples checked").hasSizeGreaterThan(20)
                .anyMatch(name -> name.startsWith("POST /api/alerts/rules 400 application/problem+json"));
    }

    /** A request of the sweep: what to send, and the status it must get (which must be documented). */
    private record Call(String method, String path, int status, String key, String body, String accept) {

        static Call get(String path, int status) {
            return new Call("GET", path, status, null, null, null);
        }
    }

    @Test
    void everyAnswerOfASweepIsDocumentedAndValidAgainstItsSchema() {
        String device = newDevice("contract");
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        List<ProducerRecord<String, String>> readings = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            readings.add(new ProducerRecord<>(Topics.POWER, device, TestReadings.json(device, Topics.POWER, at.plusSeconds(60L * i), 100.0 + i)));
            readings.add(new ProducerRecord<>(Topics.TEMP, device, TestReadings.json(device, Topics.TEMP, at.plusSeconds(60L * i), -2.5 + i)));
        }
        kafka.produce(String.class, String.class).fromRecords(readings).awaitCompletion();
        for (String channel : List.of(Topics.TEMP, Topics.POWER)) { // each channel has a consumer of its own
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/devices/" + device + "/" + channel)
                    .then().statusCode(200).body("count", equalTo(30)));
        }
        String rule = "contract-" + device;
        String series = "/api/devices/" + device + "/power/series";
        List<Call> sweep = List.of(
                Call.get("/api/devices", 200),
                Call.get("/api/devices/" + device, 200),
                Call.get("/api/devices/never-seen-" + device, 404),
                Call.get("/api/devices/not%20a%20device%21", 400),
                Call.get("/api/devices/" + device + "/power", 200),
                Call.get("/api/devices/" + device + "/temp?window=PT15M", 200),
                Call.get("/api/devices/" + device + "/temp?window=fortnight", 400),
                Call.get("/api/devices/" + device + "/humidity", 404),
                Call.get(series + "?resolution=PT1M", 200),
                Call.get(series + "?resolution=P1D", 200),
                Call.get(series + "?resolution=PT5M", 400),
                Call.get(series + "?limit=0", 400),
                Call.get(series + "?from=yesterday", 400),
                Call.get(series + "?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z", 400),
                Call.get("/api/channels/temp", 200),
                Call.get("/api/channels/humidity", 404),
                Call.get("/api/status", 200),
                Call.get("/api/alerts", 200),
                Call.get("/api/alerts?limit=many", 400),
                Call.get("/api/alerts/rules", 200),
                Call.get("/api/alerts/rules/no-such-rule", 404),
                new Call("POST", "/api/alerts/rules", 401, null, "{\"id\":\"" + rule + "\",\"channel\":\"power\",\"above\":1}", null),
                new Call("POST", "/api/alerts/rules", 400, TestReadings.API_KEY, "{\"id\":\"" + rule + "\",\"channel\":\"power\",\"above\":\"hot\"}", null),
                new Call("POST", "/api/alerts/rules", 201, TestReadings.API_KEY, "{\"id\":\"" + rule + "\",\"channel\":\"power\",\"above\":1e9}", null),
                new Call("POST", "/api/alerts/rules", 409, TestReadings.API_KEY, "{\"id\":\"" + rule + "\",\"channel\":\"power\",\"above\":1e9}", null),
                Call.get("/api/alerts/rules/" + rule, 200),
                new Call("DELETE", "/api/alerts/rules/" + rule, 401, null, null, null),
                new Call("DELETE", "/api/alerts/rules/" + rule, 204, TestReadings.API_KEY, null, null),
                new Call("DELETE", "/api/alerts/rules/" + rule, 404, TestReadings.API_KEY, null, null),
                Call.get("/api/cluster", 200),
                Call.get("/api/cluster/self", 200),
                Call.get("/api/stream?channel=humidity", 400),
                new Call("GET", "/api/devices/" + device, 406, null, null, "text/csv"));
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (Call call : sweep) {
            RequestSpecification request = given().urlEncodingEnabled(false);
            if (call.key() != null) {
                request.header("X-API-Key", call.key());
            }
            if (call.body() != null) {
                request.contentType("application/json").body(call.body());
            }
            JsonNode operation = tree.get("paths").get(template(call.path())).get(call.method().toLowerCase());
            // By default, the Accept header a generated client sends: every media type the operation documents.
            String accept = call.accept() != null ? call.accept() : acceptOf(operation);
            if (!accept.isEmpty()) {
                request.accept(accept);
            }
            Response answer = request.request(call.method(), call.path());
            String name = call.method() + " " + call.path() + " (Accept: " + accept + ")";
            assertThat(answer.statusCode()).as(name + ": " + answer.asString()).isEqualTo(call.status());
            JsonNode documented = operation.path("responses").get(Integer.toString(call.status()));
            assertThat(documented).as(name + ": status " + call.status() + " documented").isNotNull();
            if (call.status() == 204) {
                assertThat(answer.asString()).as(name).isEmpty();
                continue;
            }
            String type = answer.contentType().split(";")[0].trim();
            JsonNode schema = documented.path("content").path(type).get("schema");
            assertThat(schema).as(name + ": " + type + " documented for " + call.status() + " in " + documented).isNotNull();
            JsonNode body;
            try {
                body = new ObjectMapper().readTree(answer.asString());
            } catch (IOException e) {
                throw new AssertionError(name + " answered what is not JSON: " + answer.asString(), e);
            }
            assertThat(registry.getSchema(inlined(schema, 0)).validate(body)).as(name + " against its schema: " + body).isEmpty();
        }
    }

    /** The media types an operation's answers are documented in, as OpenAPI Generator's clients accept them. */
    private static String acceptOf(JsonNode operation) {
        Set<String> types = new LinkedHashSet<>();
        operation.path("responses").forEach(response -> response.path("content").fieldNames().forEachRemaining(types::add));
        return String.join(", ", types);
    }

    /** The path template of the document that a request path is of: the one with the most literal segments. */
    private static String template(String path) {
        String bare = path.split("\\?")[0];
        List<String> matching = new ArrayList<>();
        tree.get("paths").fieldNames().forEachRemaining(template -> {
            if (bare.matches(template.replaceAll("\\{[^/]+}", "[^/]+"))) {
                matching.add(template);
            }
        });
        assertThat(matching).as("templates of " + path).isNotEmpty();
        return matching.stream().min(Comparator.comparingLong(template -> template.chars().filter(c -> c == '{').count()))
                .orElseThrow();
    }

    /** A schema with each of its references to a component replaced by the component, for a validator on its own. */
    private static JsonNode inlined(JsonNode schema, int depth) {
        assertThat(depth).as("schemas nested this deep: a reference cycle?").isLessThan(20);
        if (schema.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            schema.forEach(item -> copy.add(inlined(item, depth + 1)));
            return copy;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        schema.properties().forEach(field -> {
            if (field.getKey().equals("$ref") && field.getValue().asText().startsWith("#/components/schemas/")) {
                String component = field.getValue().asText().substring("#/components/schemas/".length());
                copy.setAll((ObjectNode) inlined(tree.get("components").get("schemas").get(component), depth + 1));
            } else if (field.getKey().equals("example") || field.getKey().equals("examples")) {
                copy.set(field.getKey(), field.getValue()); // annotations, not schemas
            } else {
                copy.set(field.getKey(), inlined(field.getValue(), depth + 1));
            }
        });
        return copy;
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

package io.telemetry.monitor.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.telemetry.monitor.stats.Resolution;
import io.telemetry.reading.Channel;
import io.telemetry.reading.Reading;

/**
 * What the OpenAPI document says beyond each operation's own annotations, once, at build time:
 * <ul>
 * <li>the schemas of the parameters every operation checks alike ({@link Params}), from the rules the code
 * checks them by;</li>
 * <li>the API key that changes to the alert rules need ({@link #API_KEY});</li>
 * <li>every 4xx and 5xx answer a {@link Problem} ({@code application/problem+json}), and every operation able to
 * answer 406 (an {@code Accept} it cannot meet) and 500 (an unexpected failure), as {@link ProblemMapper} does.</li>
 * </ul>
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocument implements OASFilter {

    /** The security scheme of the operations that change the alert rules. */
    public static final String API_KEY = "apiKey";
    static final String PROBLEM = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents()
                .addSchema(name(Params.DEVICE_ID), OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .pattern(Reading.DEVICE_ID_PATTERN).minLength(1).maxLength(64)
                        .description("A device id: " + Reading.DEVICE_ID_RULE))
                .addSchema(name(Params.CHANNEL), OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .enumeration(List.<Object>copyOf(Arrays.stream(Channel.values()).map(Channel::id).toList()))
                        .description("A channel: " + String.join(", ", Arrays.stream(Channel.values())
                                .map(channel -> channel.id() + " (" + channel.unit() + ")").toList())))
                .addSchema(name(Params.RESOLUTION), OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .enumeration(List.<Object>copyOf(Arrays.stream(Resolution.values()).map(Resolution::iso).toList()))
                        .description("A bucket width, as an ISO-8601 duration"))
                .addSecurityScheme(API_KEY, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name(AlertsResource.API_KEY_HEADER)
                        .description("The monitor's MONITOR_ALERTS_API_KEY; while it is not set, rule changes are refused (401)"));
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                problems(operation.getResponses());
            }
        }
    }

    private static void problems(APIResponses responses) {
        if (!responses.hasAPIResponse("406")) {
            responses.addAPIResponse("406", OASFactory.createAPIResponse()
                    .description("The Accept header names no media type this operation answers in"));
        }
        if (!responses.hasAPIResponse("500")) {
            responses.addAPIResponse("500", OASFactory.createAPIResponse()
                    .description("An unexpected failure; the monitor's log has the details"));
        }
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                asProblem(response.getValue());
            }
        }
    }

    /** The answer's body: a problem, with whatever examples it was given. */
    private static void asProblem(APIResponse response) {
        if (response.getContent() == null) {
            response.setContent(OASFactory.createContent());
        }
        response.getContent().getMediaTypes().keySet().stream().filter(type -> !type.equals(Problem.MEDIA_TYPE)).toList()
                .forEach(response.getContent()::removeMediaType);
        if (response.getContent().getMediaType(Problem.MEDIA_TYPE) == null) {
            response.getContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType());
        }
        response.getContent().getMediaType(Problem.MEDIA_TYPE).setSchema(OASFactory.createSchema().ref(PROBLEM));
    }

    private static String name(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}

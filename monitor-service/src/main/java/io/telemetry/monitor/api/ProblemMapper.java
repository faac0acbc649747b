package io.telemetry.monitor.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer of the API as an RFC 9457 problem. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Response response = problem(e.status().getStatusCode(), e.getMessage(), uri);
        if (e.status() == Response.Status.UNAUTHORIZED) { // RFC 9110: a 401 says how to authenticate
            response.getHeaders().add("WWW-Authenticate", "ApiKey header=\"" + AlertsResource.API_KEY_HEADER + "\"");
        }
        return response;
    }

    /** Quarkus' own errors: an unknown path (404), a wrong method (405), an unacceptable media type… */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return problem(status, status == 404 ? "no resource at " + uri.getPath() : e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure answering %s", uri.getPath());
        return problem(500, "unexpected server error; the monitor's log has the details", uri);
    }

    private static Response problem(int status, String detail, UriInfo uri) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(null, title, status, detail, uri.getRequestUri().getRawPath()))
                .build();
    }
}

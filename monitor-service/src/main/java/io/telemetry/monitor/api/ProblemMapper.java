package io.telemetry.monitor.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import io.telemetry.monitor.cluster.Hop;
import io.telemetry.monitor.cluster.Member;
import io.telemetry.monitor.cluster.Peers;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer of the API as an RFC 9457 problem. */
public class ProblemMapper {

    private final Member self;

    public ProblemMapper(Member self) {
        this.self = self;
    }

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Response response = problem(e.status().getStatusCode(), e.status().getReasonPhrase(), e.getMessage(), uri);
        if (e.status() == Response.Status.UNAUTHORIZED) { // RFC 9110: a 401 says how to authenticate
            response.getHeaders().add("WWW-Authenticate", "ApiKey header=\"" + AlertsResource.API_KEY_HEADER + "\"");
        }
        if (e.retryAfter() != null) {
            response.getHeaders().add("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return response;
    }

    /**
     * The owner's answer, passed on as it came, with the hop it took ({@link Hop#SERVED_BY} and {@link Hop#SOURCE}
     * were set when it was asked).
     */
    @ServerExceptionMapper
    public Response forwarded(OwnerAnswered e) {
        Peers.Answer answer = e.answer();
        return Response.status(answer.status()).type(answer.contentType()).entity(answer.body())
                .header("Via", "1.1 " + self.id()).build();
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
        return problem(status, type == null ? "HTTP " + status : type.getReasonPhrase(), detail, uri);
    }

    private static Response problem(int status, String title, String detail, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(null, title, status, detail, uri.getRequestUri().getRawPath()))
                .build();
    }
}

package io.telemetry.monitor.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import org.apache.kafka.common.TopicPartition;

/** Sends the other monitors of the group the one hop of a request (JDK's HTTP client). */
@Singleton
public class Peers {

    static final Duration CONNECT = Duration.ofSeconds(2);
    /** An owner that has not answered in this long is taken as gone (a frozen process, say): the request moves on. */
    static final Duration ANSWER = Duration.ofSeconds(5);

    /** What a monitor answered. */
    public record Answer(Member from, int status, String contentType, byte[] body, Optional<String> servedBy,
            Optional<String> held) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    private final Member self;

    public Peers(Member self) {
        this.self = self;
    }

    /**
     * GETs a path of another monitor's API on behalf of this one.
     *
     * @param pathAndQuery the raw path and query, as the client sent them here
     * @param partitions   the partitions {@code to} is taken to own, for {@link Hop#PARTITIONS}
     * @return completes with its answer, or exceptionally with an {@link IOException} if it did not answer
     */
    public CompletableFuture<Answer> get(Member to, String pathAndQuery, Collection<TopicPartition> partitions) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(to.url() + pathAndQuery)).timeout(ANSWER)
                .header(Hop.FROM, self.id()).header("Accept", "application/json").GET();
        if (!partitions.isEmpty()) {
            request.header(Hop.PARTITIONS, Hop.format(partitions));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> new Answer(to,
                response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
                response.body(), response.headers().firstValue(Hop.SERVED_BY), response.headers().firstValue(Hop.HELD)));
    }
}

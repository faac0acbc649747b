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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.common.TopicPartition;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends the other monitors of the group the one hop of a request: Vert.x' HTTP client for the answers (on the
 * event loop, over a pool of kept-alive connections; under concurrent requests it carried about three times
 * as many hops a second as the JDK's client, {@code bench/run}'s scale-out row), the JDK's for the long-lived
 * event streams (its line subscriber reads them as they come).
 */
@Singleton
public class Peers {

    static final Duration CONNECT = Duration.ofSeconds(2);
    /** An owner that has not answered in this long is taken as gone (a frozen process, say): the request moves on. */
    static final Duration ANSWER = Duration.ofSeconds(5);

    /** What a monitor answered. */
    public record Answer(Member from, int status, String contentType, byte[] body, Optional<String> servedBy,
            Optional<String> held) {
    }

    /**
     * Connections kept to each other monitor, at most: hops beyond that many at once wait in the client's queue
     * for one (no thread waits with them).
     */
    static final int CONNECTIONS = 64;

    // HTTP/1.1: the JDK client's default, HTTP/2, sends each new connection's first request as an h2c upgrade.
    private final HttpClient streams = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
            .build();
    private final io.vertx.core.http.HttpClient answers;
    private final Vertx vertx;
    private final Member self;

    public Peers(Member self, Vertx vertx) {
        this.self = self;
        this.vertx = vertx;
        this.answers = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) CONNECT.toMillis())
                .setKeepAlive(true).setMaxPoolSize(CONNECTIONS).setName("monitor-peers"));
    }

    @PreDestroy
    void close() {
        answers.close();
    }

    /**
     * Waits for an answer asked with {@link #get}.
     *
     * @return it if it came and is a 200; nothing if the monitor did not answer, or answered otherwise
     */
    public static Optional<Answer> ok(CompletableFuture<Answer> pending) {
        try {
            return Optional.of(pending.get()).filter(answer -> answer.status() == 200);
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * GETs a path of another monitor's API on behalf of this one.
     *
     * @param pathAndQuery the raw path and query, as the client sent them here
     * @param partitions   the partitions {@code to} is taken to own, for {@link Hop#PARTITIONS}
     * @return completes with its answer, or exceptionally with an {@link IOException} if it did not answer
     */
    public CompletableFuture<Answer> get(Member to, String pathAndQuery, Collection<TopicPartition> partitions) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(to.url() + pathAndQuery)
                .setIdleTimeout(ANSWER.toMillis()).putHeader(Hop.FROM, self.id()).putHeader("Accept", "application/json");
        if (!partitions.isEmpty()) {
            request.putHeader(Hop.PARTITIONS, Hop.format(partitions));
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        // On the event loop, so that the body's reader is in place before the answer can arrive: from a worker
        // thread, a fast answer could end before it, and its body be lost (eclipse-vertx/vert.x#5904, #6038).
        vertx.getOrCreateContext().runOnContext(start -> answers.request(request)
                .compose(sent -> sent.send().compose(response -> response.body().map(body -> new Answer(to,
                        response.statusCode(), Optional.ofNullable(response.getHeader("Content-Type")).orElse("application/json"),
                        body.getBytes(), Optional.ofNullable(response.getHeader(Hop.SERVED_BY)),
                        Optional.ofNullable(response.getHeader(Hop.HELD))))))
                .onSuccess(answer::complete)
                .onFailure(failure -> answer.completeExceptionally(new IOException(failure.getMessage(), failure))));
        return answer;
    }

    /**
     * Opens another monitor's Server-Sent Events stream on behalf of this one: the data of each event as it
     * comes. Cancelling the subscription closes the connection.
     *
     * @param pathAndQuery the raw path and query, as the client sent them here
     */
    public Multi<String> stream(Member to, String pathAndQuery) {
        return Multi.createFrom().emitter(emitter -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(to.url() + pathAndQuery)).header(Hop.FROM, self.id())
                    .header("Accept", "text/event-stream").GET().build();
            EventData events = new EventData(emitter::emit, emitter::complete, emitter::fail);
            emitter.onTermination(events::cancel);
            streams.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(events)).whenComplete((response, failure) -> {
                if (failure != null) {
                    emitter.fail(failure);
                } else if (response.statusCode() != 200) {
                    emitter.fail(new IOException("monitor " + to.id() + " answered " + response.statusCode()));
                }
            });
        });
    }

    /** The lines of an event stream, read into each event's data (its {@code data:} lines joined). */
    static final class EventData implements Flow.Subscriber<String> {

        private final Consumer<String> data;
        private final Runnable end;
        private final Consumer<Throwable> failed;
        private final StringBuilder event = new StringBuilder();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        EventData(Consumer<String> data, Runnable end, Consumer<Throwable> failed) {
            this.data = data;
            this.end = end;
            this.failed = failed;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (cancelled) {
                subscription.cancel();
            } else {
                subscription.request(Long.MAX_VALUE); // whoever reads drops what it cannot take
            }
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (!event.isEmpty()) {
                    data.accept(event.toString());
                    event.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                if (!event.isEmpty()) {
                    event.append('\n');
                }
                event.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
            }
        }

        @Override
        public void onError(Throwable failure) {
            failed.accept(failure);
        }

        @Override
        public void onComplete() {
            end.run();
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }
}

package dev.packline.api.jobs;

import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.Publishers.Caller;
import dev.packline.api.http.Json;
import dev.packline.api.metrics.ApiMetrics;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/jobs/{id}/events}: server-sent events of one request's progress, so a CI job can
 * wait for the end without polling. Each stream reads the request's summary every poll interval on
 * its own virtual thread and sends a {@code progress} event when anything changed (and one at once),
 * a comment line when it has been quiet for the heartbeat interval (proxies keep the connection and
 * a client that left is noticed), and finally one {@code done} event with the full status, then
 * ends. A stream also ends after its maximum duration (the client reconnects) or when the request
 * expires ({@code gone}).
 */
public final class ProgressStream {
    private static final Logger log = LoggerFactory.getLogger(ProgressStream.class);

    /** @param poll how often the request is read; heartbeat: quiet time before a comment; maxDuration: a stream's longest life */
    public record Params(RequestStore requests, JobsApi jobs, Authenticator auth, ApiMetrics metrics, Clock clock, Duration poll,
                         Duration heartbeat, Duration maxDuration) {
    }

    private final Params p;

    public ProgressStream(Params params) {
        this.p = params;
    }

    public void stream(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        RequestStatus first = p.jobs().owned(caller, req.path().pathParameters().get("id"));
        String id = first.request().id();
        String appId = first.request().appId();
        p.metrics().sseConnections().incrementAndGet();
        long deadline = System.nanoTime() + p.maxDuration().toNanos();
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            Map<String, Object> last = null;
            long lastSent = System.nanoTime();
            int sequence = 0;
            while (true) {
                Optional<RequestStore.Summary> summary = p.requests().summary(id);
                if (summary.isEmpty()) {
                    sink.emit(SseEvent.builder().name("gone").data(Json.text(Map.of("id", id, "message", "the request expired"))).build());
                    return;
                }
                if (summary.get().finished()) {
                    RequestStatus full = p.requests().status(id).orElse(first);
                    sink.emit(SseEvent.builder().id(Integer.toString(++sequence)).name("done")
                            .data(Json.text(JobView.full(full, p.clock().millis()))).build());
                    return;
                }
                Map<String, Object> view = JobView.summary(summary.get(), appId, p.clock().millis());
                Map<String, Object> comparable = new java.util.HashMap<>(view);
                comparable.remove("timings");
                if (!comparable.equals(last)) {
                    sink.emit(SseEvent.builder().id(Integer.toString(++sequence)).name("progress").data(Json.text(view)).build());
                    last = comparable;
                    lastSent = System.nanoTime();
                } else if (System.nanoTime() - lastSent >= p.heartbeat().toNanos()) {
                    sink.emit(SseEvent.builder().comment("still running").build());
                    lastSent = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    sink.emit(SseEvent.builder().name("timeout").data(Json.text(Map.of("id", id, "message", "stream closed after "
                            + p.maxDuration() + "; reconnect to keep watching"))).build());
                    return;
                }
                Thread.sleep(p.poll());
            }
        } catch (UncheckedIOException e) {
            log.debug("event stream of request {} ended by the client: {}", id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: the stream just ends, the client reconnects elsewhere
        } finally {
            p.metrics().sseConnections().decrementAndGet();
        }
    }
}

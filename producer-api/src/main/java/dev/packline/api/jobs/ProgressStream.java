package dev.packline.api.jobs;

import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.Publishers.Caller;
import dev.packline.api.http.Json;
import dev.packline.api.metrics.ApiMetrics;
import dev.packline.pipeline.RequestStatus;
import dev.packline.pipeline.RequestStore;
import dev.packline.http.input.AsciiParsers;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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
 * expires ({@code gone}). Every event has an id naming the state it carries ({@link EventIds}): a
 * client reconnecting with {@code Last-Event-ID} gets the current state at once if it changed, then
 * the rest; one that already has the final event gets 204 and no stream.
 */
public final class ProgressStream {
    private static final Logger log = LoggerFactory.getLogger(ProgressStream.class);

    /** @param poll how often the request is read; heartbeat: quiet time before a comment; maxDuration: a stream's longest life */
    public record Params(RequestStore requests, JobsApi jobs, Authenticator auth, ApiMetrics metrics, Clock clock, Duration poll,
                         Duration heartbeat, Duration maxDuration) {
    }

    /** How long a disconnected client waits before reconnecting (the {@code retry:} field). */
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    /** The id of the {@code gone} event: the request expired, a reconnect answers 404. */
    private static final String GONE = "gone";

    private final Params p;

    public ProgressStream(Params params) {
        this.p = params;
    }

    public void stream(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        RequestStatus first = p.jobs().owned(caller, req.path().pathParameters().get("id"));
        String id = first.request().id();
        String appId = first.request().appId();
        Optional<String> lastEventHeader = req.headers().first(LAST_EVENT_ID);
        String lastEventId = lastEventHeader.isEmpty() ? null : AsciiParsers.visible("Last-Event-ID", lastEventHeader.get(), 1, 100);
        Optional<RequestStore.Summary> opening = p.requests().summary(id);
        if (opening.isPresent() && opening.get().finished() && EventIds.resume(lastEventId, null, true) == EventIds.Resume.FINAL_SEEN) {
            res.status(204).send(); // it has the final event; 204 also tells a browser's EventSource to stop reconnecting
            return;
        }
        p.metrics().sseConnections().incrementAndGet();
        long deadline = System.nanoTime() + p.maxDuration().toNanos();
        try (EventStreamWriter sink = new EventStreamWriter(res, RETRY)) {
            String sentId = lastEventId; // the state the client has: never sent again
            long lastSent = System.nanoTime();
            while (true) {
                Optional<RequestStore.Summary> summary = p.requests().summary(id);
                if (summary.isEmpty()) {
                    sink.event(GONE, "gone", Json.text(Map.of("id", id, "message", "the request expired")));
                    return;
                }
                Map<String, Object> view = JobView.summary(summary.get(), appId, p.clock().millis());
                Map<String, Object> comparable = EventIds.comparable(view);
                if (summary.get().finished()) {
                    RequestStatus full = p.requests().status(id).orElse(first);
                    sink.event(EventIds.done(comparable), "done", Json.text(JobView.full(full, p.clock().millis())));
                    return;
                }
                String stateId = EventIds.progress(comparable);
                if (EventIds.resume(sentId, stateId, false) == EventIds.Resume.CURRENT_STATE) {
                    sink.event(stateId, "progress", Json.text(view));
                    sentId = stateId;
                    lastSent = System.nanoTime();
                } else if (System.nanoTime() - lastSent >= p.heartbeat().toNanos()) {
                    sink.comment("still running");
                    lastSent = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    // the id of the state last sent, so a reconnect with it resumes without a repeat
                    sink.event(sentId == null ? stateId : sentId, "timeout", Json.text(Map.of("id", id,
                            "message", "stream closed after " + p.maxDuration() + "; reconnect with Last-Event-ID to keep watching")));
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

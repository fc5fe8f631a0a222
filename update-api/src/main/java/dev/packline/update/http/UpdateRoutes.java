package dev.packline.update.http;

import dev.packline.update.metrics.UpdateMetrics;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Registers routes by their template and wraps each handler the same way: timed under the template,
 * a {@link CallRefused} answered in the route's error shape, anything unexpected answered 500 with
 * the details only in the log. Client input never reaches that last case: handlers check it first.
 */
public final class UpdateRoutes {
    private static final Logger log = LoggerFactory.getLogger(UpdateRoutes.class);

    /** A route's handler; it may throw {@link CallRefused}. */
    @FunctionalInterface
    public interface UpdateHandler {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    /** The error body of the native routes: {@code {"error": {"status", "reason", "message", "problems"}}}. */
    public static final Function<CallRefused, Object> NATIVE_ERRORS = UpdateRoutes::nativeBody;

    private final HttpRouting.Builder routing;
    private final UpdateMetrics metrics;

    public UpdateRoutes(HttpRouting.Builder routing, UpdateMetrics metrics) {
        this.routing = routing;
        this.metrics = metrics;
    }

    public UpdateRoutes get(String route, UpdateHandler handler) {
        routing.get(route, wrap(route, handler, NATIVE_ERRORS));
        return this;
    }

    /** A GET route whose refusals have another shape (the compatibility route). */
    public UpdateRoutes get(String route, UpdateHandler handler, Function<CallRefused, Object> errorBody) {
        routing.get(route, wrap(route, handler, errorBody));
        return this;
    }

    public UpdateRoutes post(String route, UpdateHandler handler) {
        routing.post(route, wrap(route, handler, NATIVE_ERRORS));
        return this;
    }

    /** Every call no route took: 404 in the native error shape. Register it last. */
    public UpdateRoutes unmatched() {
        routing.any(wrap("unmatched", (req, res) -> {
            throw CallRefused.of(404, CallRefused.Why.NOT_FOUND, "no route " + req.prologue().method().text() + " " + req.path().path());
        }, NATIVE_ERRORS));
        return this;
    }

    private Handler wrap(String route, UpdateHandler handler, Function<CallRefused, Object> errorBody) {
        return (req, res) -> {
            long start = System.nanoTime();
            try {
                handler.handle(req, res);
            } catch (CallRefused e) {
                metrics.refused(route, e.why().tag());
                Json.send(res, e.status(), errorBody.apply(e));
            } catch (Exception e) {
                log.error("{} {} failed: {}", req.prologue().method().text(), route, e.toString(), e);
                CallRefused internal = CallRefused.of(500, CallRefused.Why.UNAVAILABLE, "internal error; it has been logged");
                metrics.refused(route, "internal");
                if (!res.isSent()) {
                    Json.send(res, 500, errorBody.apply(internal));
                }
            } finally {
                metrics.request(route, res.status().code(), System.nanoTime() - start);
            }
        };
    }

    private static Object nativeBody(CallRefused e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", e.status());
        error.put("reason", e.why().tag());
        error.put("message", e.getMessage());
        List<Map<String, Object>> problems = e.problems().stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", p.field());
            m.put("reason", p.why().tag());
            m.put("message", p.message());
            return m;
        }).toList();
        if (!problems.isEmpty()) {
            error.put("problems", problems);
        }
        return Map.of("error", error);
    }
}

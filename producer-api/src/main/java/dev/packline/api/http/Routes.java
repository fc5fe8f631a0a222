package dev.packline.api.http;

import dev.packline.api.metrics.ApiMetrics;
import dev.packline.http.input.ErrorBody;
import dev.packline.http.input.InputRefusedException;
import dev.packline.redis.RedisUnavailableException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Registers routes by their template and wraps each handler the same way: the call is timed under
 * the template (never the raw path, which would make one time series per request id), an
 * {@link ApiError} or refused input ({@link InputRefusedException}) becomes the JSON error body, Redis being unreachable becomes 503, anything else
 * 500 with the details only in the log.
 */
public final class Routes {
    private static final Logger log = LoggerFactory.getLogger(Routes.class);
    /** The route tag of calls no route matched. */
    public static final String UNMATCHED = "unmatched";

    /** A route's handler; it may throw {@link ApiError}. */
    @FunctionalInterface
    public interface ApiHandler {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    /** One registered route: its method and its template, as the OpenAPI document names them. */
    public record Route(String method, String template) {
    }

    private final HttpRouting.Builder routing;
    private final ApiMetrics metrics;
    private final List<Route> registered = new ArrayList<>();

    public Routes(HttpRouting.Builder routing, ApiMetrics metrics) {
        this.routing = routing;
        this.metrics = metrics;
    }

    public Routes get(String route, ApiHandler handler) {
        routing.get(route, wrap(route, handler));
        registered.add(new Route("GET", route));
        return this;
    }

    public Routes post(String route, ApiHandler handler) {
        routing.post(route, wrap(route, handler));
        registered.add(new Route("POST", route));
        return this;
    }

    public Routes delete(String route, ApiHandler handler) {
        routing.delete(route, wrap(route, handler));
        registered.add(new Route("DELETE", route));
        return this;
    }

    /** The routes registered so far, in order. */
    public List<Route> registered() {
        return List.copyOf(registered);
    }

    /** Every call no route took: 404 in the API's error shape. Register it last. */
    public Routes unmatched() {
        routing.any(wrap(UNMATCHED, (req, res) -> {
            throw ApiError.notFound("no route " + req.prologue().method().text() + " " + req.path().path());
        }));
        return this;
    }

    private Handler wrap(String route, ApiHandler handler) {
        return (req, res) -> {
            long start = System.nanoTime();
            String method = req.prologue().method().text();
            try {
                handler.handle(req, res);
            } catch (ApiError e) {
                refuse(route, res, e);
            } catch (InputRefusedException e) {
                if (e.closeConnection() && !res.isSent()) {
                    res.header(HeaderNames.CONNECTION, "close"); // FramingFilter then closes it: the rest may be this request's body
                }
                refuse(route, res, ApiError.of(e));
            } catch (RedisUnavailableException e) {
                log.warn("{} {}: Redis unavailable: {}", method, route, e.getMessage());
                refuse(route, res, ApiError.of(503, Reason.INTERNAL, "storage temporarily unavailable; retry later"));
            } catch (Exception e) {
                log.error("{} {} failed: {}", method, route, e.toString(), e);
                refuse(route, res, ApiError.of(500, Reason.INTERNAL, "internal error; it has been logged"));
            } finally {
                int status = res.status().code();
                metrics.request(method, route, status, System.nanoTime() - start);
                MDC.clear();
            }
        };
    }

    private void refuse(String route, ServerResponse res, ApiError e) {
        metrics.error(route, e.status(), e.reason().tag());
        if (res.isSent()) {
            return; // a stream already under way: nothing more can be said on it
        }
        if (e.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"packline\"");
        }
        if (e.status() >= 500) {
            log.warn("{} answered {} {}: {}", route, e.status(), e.reason().tag(), e.getMessage());
        } else {
            log.info("{} refused {} {}: {}", route, e.status(), e.reason().tag(), e.getMessage());
        }
        Json.send(res, e.status(), body(e));
    }

    /** The error body, in the shape every app shares ({@link ErrorBody}). */
    public static Map<String, Object> body(ApiError e) {
        return ErrorBody.shape(e.status(), e.reason().tag(), e.getMessage(),
                e.problems().stream().map(p -> new ErrorBody.Entry(p.field(), p.reason().tag(), p.message())).toList(), e.retryAfterSeconds());
    }
}

package dev.packline.update.http;

import dev.packline.http.input.InputRefusedException;
import dev.packline.update.metrics.UpdateMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * Registers routes by their template and wraps each handler the same way: timed under the template,
 * a refusal (input refused by http-input's strict path, or a {@link CallRefused}) answered in the
 * route's error shape, anything unexpected answered 500 with the details only in the log. Client
 * input never reaches that last case: it is decoded strictly before any handler acts on it.
 */
public final class UpdateRoutes {
    private static final Logger log = LoggerFactory.getLogger(UpdateRoutes.class);

    /** A route's handler; it may throw {@link CallRefused} or {@link InputRefusedException}. */
    @FunctionalInterface
    public interface UpdateHandler {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    /** The error body of the native routes: the shape every app shares. */
    public static final Function<Refusal, Object> NATIVE_ERRORS = Refusal::nativeBody;

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
    public UpdateRoutes get(String route, UpdateHandler handler, Function<Refusal, Object> errorBody) {
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

    private Handler wrap(String route, UpdateHandler handler, Function<Refusal, Object> errorBody) {
        return (req, res) -> {
            long start = System.nanoTime();
            try {
                handler.handle(req, res);
            } catch (CallRefused e) {
                refuse(route, res, Refusal.of(e), errorBody);
            } catch (InputRefusedException e) {
                refuse(route, res, Refusal.of(e), errorBody);
            } catch (Exception e) {
                log.error("{} {} failed: {}", req.prologue().method().text(), route, e.toString(), e);
                refuse(route, res, new Refusal(500, "internal", "internal error; it has been logged", List.of(), false), errorBody);
            } finally {
                metrics.request(route, res.status().code(), System.nanoTime() - start);
            }
        };
    }

    private void refuse(String route, ServerResponse res, Refusal refusal, Function<Refusal, Object> errorBody) {
        metrics.refused(route, refusal.reason());
        if (res.isSent()) {
            return;
        }
        if (refusal.closeConnection()) {
            res.header(HeaderNames.CONNECTION, "close"); // FramingFilter then closes it: the rest may be this request's body
        }
        Json.send(res, refusal.status(), errorBody.apply(refusal));
    }
}

package dev.packline.http.input;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Keeps a connection's requests apart. Before any route runs, a request whose body framing cannot
 * be trusted ({@link BodyFraming}) is refused, on every route, with or without a body (a route
 * that never reads the body would otherwise leave the server waiting for bytes a negative or
 * contradictory Content-Length promised), in the JSON error shape. After a route answered with
 * {@code Connection: close} (the client asked for it, or the framing failed while reading), a body
 * it did not read to the end closes the connection: the web server would otherwise read the rest
 * of that body as the connection's next request, so a body could smuggle in a request of its own.
 */
public final class FramingFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        BodyFraming.Verdict framing = BodyFraming.check(req.headers());
        if (framing.trusted()) {
            chain.proceed();
            // Helidon reads an unread body away itself, except when the answer says Connection: close; then it neither
            // reads it nor closes, and the body's bytes would be parsed as the next request. Close it ourselves then.
            if (hasBody(req) && !req.content().consumed() && res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
                throw new CloseConnectionException("the answer was sent before the body was read to its end; the rest is never read as a request");
            }
            return;
        }
        InputRefusedException refusal = framing.refusal();
        res.status(refusal.status());
        res.header(HeaderNames.CONNECTION, "close");
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(ErrorBody.of(refusal));
        // a Connection: close header alone does not stop the server from reading the rest as a next request
        throw new CloseConnectionException("body framing cannot be trusted: " + refusal.getMessage());
    }

    private static boolean hasBody(RoutingRequest req) {
        return req.headers().contains(HeaderNames.TRANSFER_ENCODING)
                || req.headers().contentLength().orElse(0) > 0;
    }
}

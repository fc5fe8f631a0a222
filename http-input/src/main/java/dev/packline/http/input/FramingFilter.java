package dev.packline.http.input;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses every request whose body framing cannot be trusted ({@link BodyFraming}) before any
 * route runs, on every route, with or without a body: a route that never reads the body would
 * otherwise leave the server waiting for bytes a negative or contradictory Content-Length
 * promised. The answer is the JSON error shape and closes the connection.
 */
public final class FramingFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        BodyFraming.Verdict framing = BodyFraming.check(req.headers());
        if (framing.trusted()) {
            chain.proceed();
            return;
        }
        InputRefusedException refusal = framing.refusal();
        res.status(refusal.status());
        res.header(HeaderNames.CONNECTION, "close");
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(ErrorBody.of(refusal));
    }
}

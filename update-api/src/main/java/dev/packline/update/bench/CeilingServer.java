package dev.packline.update.bench;

import dev.packline.http.input.ConnectionDeadlines;
import dev.packline.http.input.FramingFilter;
import dev.packline.update.UpdateConfig;
import dev.packline.update.http.Json;
import io.helidon.webserver.WebServer;

import java.util.Map;

/**
 * The benchmark's ceiling: the update API's server stack with nothing behind it. The same Helidon
 * webserver with the same limits, connection deadlines and framing filter as {@code UpdateServer},
 * answering {@code GET /v1/check} with a constant {@code {"update": false}}: what the check route
 * costs beyond it is its own (decoding the query, the pick, the answer, its metrics).
 */
final class CeilingServer implements AutoCloseable {
    private final ConnectionDeadlines deadlines;
    private final WebServer server;

    private CeilingServer(ConnectionDeadlines deadlines, WebServer server) {
        this.deadlines = deadlines;
        this.server = server;
    }

    static CeilingServer start(UpdateConfig config) {
        ConnectionDeadlines deadlines = new ConnectionDeadlines(config.server().httpLimits());
        WebServer server = config.server().httpLimits().applyTo(WebServer.builder(), deadlines)
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r.addFilter(deadlines.filter())
                        .addFilter(new FramingFilter())
                        .get("/v1/check", (req, res) -> Json.send(res, 200, Map.of("update", false))))
                .build()
                .start();
        return new CeilingServer(deadlines, server);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        deadlines.close();
    }
}

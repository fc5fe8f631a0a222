package dev.packline.http.input;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;

import java.time.Duration;

/**
 * What the web server reads of a request before any route sees it, and how long it waits, applied
 * to a Helidon server builder in one call ({@link #applyTo}): the request line and header sizes,
 * the body size, an idle timeout (a kept-alive connection waiting for its next request is closed),
 * the head and body timeouts that {@link ConnectionDeadlines} enforces (Helidon 4 sets no read
 * timeout on accepted sockets, so a silent or trickling client is cut by those deadlines), and
 * {@link ServerRefusals} for everything the server refuses itself.
 *
 * @param maxRequestLineBytes the request line (method, path, query, version): 414 above it
 * @param maxHeaderBytes      all headers together: 431 above it
 * @param maxBodyBytes        request bodies: 413 above it
 * @param idleTimeout         a kept-alive connection without a request is closed after about this long
 * @param headTimeout         a request's line and headers must have arrived within this long of the connection's start (or of
 *                            the previous answer plus the idle timeout), or the connection is closed
 * @param bodyTimeout         a request with a body must be read and answered within this long of its head
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout, Duration headTimeout,
                         Duration bodyTimeout) {
    /** The shortest timeout an app's configuration may set. */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

    public HttpLimits {
        if (maxRequestLineBytes < 256 || maxHeaderBytes < 1024 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("HTTP limits too small: request line " + maxRequestLineBytes + ", headers " + maxHeaderBytes
                    + ", body " + maxBodyBytes);
        }
        for (Duration d : new Duration[]{idleTimeout, headTimeout, bodyTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("HTTP timeouts must be positive, got " + d);
            }
        }
    }

    /** 8 KiB request line, 16 KiB of headers, 60 s idle timeout, 10 s for a request's head, 30 s for a body. */
    public static HttpLimits defaults(long maxBodyBytes) {
        return new HttpLimits(8 * 1024, 16 * 1024, maxBodyBytes, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /**
     * Applies the limits, the timeouts and the JSON refusals to a server's default listener. The
     * app adds {@code deadlines.filter()} as its first filter and closes {@code deadlines} after the server.
     */
    public WebServerConfig.Builder applyTo(WebServerConfig.Builder server, ConnectionDeadlines deadlines) {
        DirectHandler refusals = new ServerRefusals(maxBodyBytes);
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, refusals);
        }
        return server
                .maxPayloadSize(RequestBody.drainableBytes(maxBodyBytes)) // routes refuse above maxBodyBytes, after reading it
                .idleConnectionTimeout(idleTimeout)
                .idleConnectionPeriod(Duration.ofMillis(Math.max(1000, idleTimeout.toMillis() / 4)))
                .connectionOptions(deadlines.socketOptions())
                .addProtocol(Http1Config.builder().maxPrologueLength(maxRequestLineBytes).maxHeadersSize(maxHeaderBytes).build())
                .errorHandling(e -> e.includeEntity(true)) // the refusal's own message reaches ServerRefusals
                .directHandlers(handlers.build());
    }
}

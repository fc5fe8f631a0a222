package dev.packline.http.input;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;

import java.time.Duration;

/**
 * What the web server reads of a request before any route sees it, and how long it keeps an idle
 * connection, applied to a Helidon server builder in one call ({@link #applyTo}): the request line
 * and header sizes, the body size, an idle timeout (a kept-alive connection waiting for its next
 * request is closed), and {@link ServerRefusals} for everything the server refuses itself.
 *
 * <p>Not covered: Helidon 4.2 sets no read timeout on accepted sockets (its {@code readTimeout}
 * connection option is not applied to them), and its idle check only interrupts a connection
 * waiting for a request line, so a connection that never sends its first byte, or stalls in the
 * middle of headers or a body, is not cut by the server. Deployments put a proxy with client
 * timeouts in front (docs/api.md).
 *
 * @param maxRequestLineBytes the request line (method, path, query, version): 414 above it
 * @param maxHeaderBytes      all headers together: 431 above it
 * @param maxBodyBytes        request bodies: 413 above it
 * @param idleTimeout         a kept-alive connection without a request is closed after about this long
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, long maxBodyBytes, Duration idleTimeout) {

    public HttpLimits {
        if (maxRequestLineBytes < 256 || maxHeaderBytes < 1024 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("HTTP limits too small: request line " + maxRequestLineBytes + ", headers " + maxHeaderBytes
                    + ", body " + maxBodyBytes);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, got " + idleTimeout);
        }
    }

    /** 8 KiB request line, 16 KiB of headers, 60 s idle timeout. */
    public static HttpLimits defaults(long maxBodyBytes) {
        return new HttpLimits(8 * 1024, 16 * 1024, maxBodyBytes, Duration.ofSeconds(60));
    }

    /** Applies the limits, the idle timeout and the JSON refusals to a server's default listener. */
    public WebServerConfig.Builder applyTo(WebServerConfig.Builder server) {
        DirectHandler refusals = new ServerRefusals(maxBodyBytes);
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, refusals);
        }
        return server
                .maxPayloadSize(RequestBody.drainableBytes(maxBodyBytes)) // routes refuse above maxBodyBytes, after reading it
                .idleConnectionTimeout(idleTimeout)
                .idleConnectionPeriod(Duration.ofMillis(Math.max(1000, idleTimeout.toMillis() / 4)))
                .addProtocol(Http1Config.builder().maxPrologueLength(maxRequestLineBytes).maxHeadersSize(maxHeaderBytes).build())
                .errorHandling(e -> e.includeEntity(true)) // the refusal's own message reaches ServerRefusals
                .directHandlers(handlers.build());
    }
}

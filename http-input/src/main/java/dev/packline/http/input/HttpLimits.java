package dev.packline.http.input;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;

import java.time.Duration;

/**
 * What the web server reads of a request before any route sees it, and how long it waits, applied
 * to a Helidon server builder in one call ({@link #applyTo}): the request line and header sizes,
 * the body size, a read timeout (a connection that sends nothing for that long, idle or in the
 * middle of a request, is closed), an idle timeout (kept-alive connections with no request are
 * closed), and {@link ServerRefusals} for everything the server refuses itself.
 *
 * @param maxRequestLineBytes the request line (method, path, query, version): 414 above it
 * @param maxHeaderBytes      all headers together: 431 above it
 * @param maxBodyBytes        request bodies: 413 above it
 * @param readTimeout         the longest wait for the next bytes of a request
 * @param idleTimeout         a kept-alive connection without a request is closed after about this long
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, long maxBodyBytes, Duration readTimeout, Duration idleTimeout) {

    public HttpLimits {
        if (maxRequestLineBytes < 256 || maxHeaderBytes < 1024 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("HTTP limits too small: request line " + maxRequestLineBytes + ", headers " + maxHeaderBytes
                    + ", body " + maxBodyBytes);
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeouts must be positive: read " + readTimeout + ", idle " + idleTimeout);
        }
    }

    /** 8 KiB request line, 16 KiB of headers, 20 s read timeout, 60 s idle timeout. */
    public static HttpLimits defaults(long maxBodyBytes) {
        return new HttpLimits(8 * 1024, 16 * 1024, maxBodyBytes, Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    /** Applies the limits, the timeouts and the JSON refusals to a server's default listener. */
    public WebServerConfig.Builder applyTo(WebServerConfig.Builder server) {
        DirectHandler refusals = new ServerRefusals(maxBodyBytes);
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, refusals);
        }
        return server
                .maxPayloadSize(maxBodyBytes)
                .connectionOptions(socket -> socket.readTimeout(readTimeout))
                .idleConnectionTimeout(idleTimeout)
                .idleConnectionPeriod(Duration.ofMillis(Math.max(1000, idleTimeout.toMillis() / 4)))
                .addProtocol(Http1Config.builder().maxPrologueLength(maxRequestLineBytes).maxHeadersSize(maxHeaderBytes).build())
                .errorHandling(e -> e.includeEntity(true)) // the refusal's own message reaches ServerRefusals
                .directHandlers(handlers.build());
    }
}

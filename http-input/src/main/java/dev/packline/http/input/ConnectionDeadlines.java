package dev.packline.http.input;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts connections that send too slowly or not at all. The web server (Helidon 4) applies no read
 * timeout to the sockets it accepts and only closes connections idle between requests, so a client
 * that sends half a request line and goes silent, or trickles a byte now and then, would hold its
 * connection for good. Here every accepted socket gets a deadline ({@link #socketOptions} hooks the
 * accept), moved as its requests progress ({@link #filter}): a request's head (request line and
 * headers) must have arrived within {@code headTimeout} of the connection's start or of the previous
 * answer plus the idle timeout; a request with a body must be read and answered within
 * {@code bodyTimeout} of its head; a request without a body runs as long as its route needs (an
 * event stream). A sweeper closes each socket past its deadline; the web server's read then fails
 * and it drops the connection.
 */
public final class ConnectionDeadlines implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);
    /** How often deadlines are looked at: the bound is kept within this much. */
    static final Duration SWEEP_PERIOD = Duration.ofMillis(200);
    private static final long NONE = Long.MAX_VALUE;

    /** One open connection: its socket and when it must have done its next step. */
    private static final class Watched {
        final Socket socket;
        volatile long deadlineNanos;

        Watched(Socket socket, long deadlineNanos) {
            this.socket = socket;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final HttpLimits limits;
    private final Map<SocketAddress, Watched> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    public ConnectionDeadlines(HttpLimits limits) {
        this.limits = limits;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connection-deadlines");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_PERIOD.toMillis(), SWEEP_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The web server's connection options (its defaults), which also start each accepted socket's deadline. */
    public SocketOptions socketOptions() {
        return new DeadlineSocketOptions(SocketOptions.create(), this);
    }

    /** The filter that moves a connection's deadline as its requests arrive and are answered; add it first. */
    public Filter filter() {
        return this::filter;
    }

    /** Connections being watched now (for tests and the curious). */
    public int watched() {
        return open.size();
    }

    void accepted(Socket socket) {
        open.put(socket.getRemoteSocketAddress(), new Watched(socket, System.nanoTime() + limits.headTimeout().toNanos()));
    }

    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Watched watched = open.get(req.remotePeer().address());
        if (watched == null) {
            chain.proceed();
            return;
        }
        boolean hasBody = req.headers().contentLength().orElse(0) > 0 || req.headers().contains(io.helidon.http.HeaderNames.TRANSFER_ENCODING);
        watched.deadlineNanos = hasBody ? System.nanoTime() + limits.bodyTimeout().toNanos() : NONE;
        try {
            chain.proceed();
        } finally {
            // the next request's head: after the idle wait the web server allows, within the head timeout
            watched.deadlineNanos = System.nanoTime() + limits.idleTimeout().toNanos() + limits.headTimeout().toNanos();
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Iterator<Watched> it = open.values().iterator(); it.hasNext(); ) {
                Watched w = it.next();
                if (w.socket.isClosed()) {
                    it.remove();
                } else if (now - w.deadlineNanos > 0 && w.deadlineNanos != NONE) {
                    it.remove();
                    log.info("closing a connection from {} that did not send its request in time", w.socket.getRemoteSocketAddress());
                    close(w.socket);
                }
            }
        } catch (RuntimeException e) {
            log.error("connection deadlines: the sweep failed ({}); trying again in {} ms", e.toString(), SWEEP_PERIOD.toMillis(), e);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already going away
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        open.clear();
    }
}

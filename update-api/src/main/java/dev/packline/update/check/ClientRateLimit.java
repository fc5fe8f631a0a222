package dev.packline.update.check;

import dev.packline.update.http.CallRefused;
import dev.packline.update.http.CallRefused.Why;
import io.helidon.webserver.http.ServerRequest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per client IP, at most N calls a second on this instance (0 turns it off): a one-second window
 * of counters, dropped whole when the second turns, so the map never holds more than one second's
 * addresses. Behind a load balancer each instance limits on its own; the limit is per instance.
 */
public final class ClientRateLimit {
    private final int perSecond;
    private volatile long window;
    private volatile ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public ClientRateLimit(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Throws 429 when this call's address used its second's allowance. */
    public void admit(ServerRequest req) {
        if (perSecond <= 0) {
            return;
        }
        long second = System.currentTimeMillis() / 1000;
        if (second != window) {
            synchronized (this) {
                if (second != window) {
                    counts = new ConcurrentHashMap<>();
                    window = second;
                }
            }
        }
        String address = req.remotePeer().host();
        if (counts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet() > perSecond) {
            throw CallRefused.of(429, Why.RATE_LIMITED, "more than " + perSecond + " calls a second from this address; retry in a second");
        }
    }
}

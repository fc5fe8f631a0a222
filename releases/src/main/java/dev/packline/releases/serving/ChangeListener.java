package dev.packline.releases.serving;

import dev.packline.releases.redis.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;

/**
 * Reloads the snapshot when a change is announced on {@link Keys#CHANGES}, and once each time the
 * subscription is made again (after a Redis restart or a dropped connection, messages sent in
 * between are lost; the reload repairs that, and so does {@link VersionPoller}). Runs on its own
 * virtual thread and never dies: a lost subscription is retried with a capped backoff.
 */
public final class ChangeListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final UnifiedJedis redis;
    private final CatalogCache cache;
    private volatile boolean running;
    private volatile JedisPubSub subscription;
    private Thread thread;

    public ChangeListener(UnifiedJedis redis, CatalogCache cache) {
        this.redis = redis;
        this.cache = cache;
    }

    public synchronized void start() {
        running = true;
        thread = Thread.ofVirtual().name("release-changes").start(this::loop);
    }

    private void loop() {
        long backoff = 100;
        while (running) {
            JedisPubSub pubsub = new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int subscribedChannels) {
                    reload("subscribed to " + channel);
                }

                @Override
                public void onMessage(String channel, String message) {
                    reload(message);
                }
            };
            subscription = pubsub;
            try {
                redis.subscribe(pubsub, Keys.CHANGES);
                backoff = 100;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("release-changes: subscription lost ({}); subscribing again in {} ms", e.getMessage(), backoff);
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        }
    }

    private void reload(String why) {
        try {
            cache.reload(true);
        } catch (RuntimeException e) {
            log.warn("release-changes: reload after '{}' failed, the poller will retry: {}", why, e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        JedisPubSub s = subscription;
        if (s != null && s.isSubscribed()) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                log.debug("release-changes: unsubscribe failed: {}", e.toString());
            }
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

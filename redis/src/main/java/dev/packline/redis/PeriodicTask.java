package dev.packline.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A background loop that never dies: runs its body every interval on a virtual thread, catches
 * and logs everything under the component's name (repeats of the same failure at most every 30 s),
 * reports each failure to its {@link Failures} (metrics), and stops within one interval on {@link #close()}.
 */
public abstract class PeriodicTask implements AutoCloseable {
    /** Where a loop reports each failed round, by component name (the worker counts them); must be fast and must not throw. */
    @FunctionalInterface
    public interface Failures {
        Failures NONE = (component, error) -> {
        };

        void failed(String component, Exception error);
    }

    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    protected final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final Duration interval;
    private final Failures failures;
    private volatile boolean running;
    private Thread thread;
    private long lastErrorLoggedNanos;
    private int suppressedErrors;

    protected PeriodicTask(String name, Duration interval, Failures failures) {
        this.name = name;
        this.interval = interval;
        this.failures = failures;
    }

    /** One round of work. Exceptions are logged, and the next round comes at the next interval. */
    protected abstract void runOnce() throws Exception;

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        running = true;
        thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                runOnce();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                Thread.interrupted(); // a stray interrupt while running: keep going
            } catch (Exception e) {
                reportError(e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void reportError(Exception e) {
        failures.failed(name, e);
        long now = System.nanoTime();
        if (lastErrorLoggedNanos == 0 || now - lastErrorLoggedNanos > ERROR_LOG_INTERVAL_NANOS) {
            log.error("{} failed (and {} more times since the last report); it runs again in {} ms: {}",
                    name, suppressedErrors, interval.toMillis(), e.toString());
            lastErrorLoggedNanos = now;
            suppressedErrors = 0;
        } else {
            suppressedErrors++;
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            if (!t.join(Duration.ofSeconds(10))) {
                log.warn("{} did not stop within 10 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

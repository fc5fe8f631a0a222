package dev.packline.notify;

import java.time.Duration;

/** Waits between retries; tests pass one that advances their clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}

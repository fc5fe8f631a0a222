package dev.packline.storage.multipart;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The bytes one upload has written to the network so far (retried parts count again), added from
 * its part threads, and told to the caller's listener as they grow (a job's progress).
 */
final class SentBytes {
    private final AtomicLong total = new AtomicLong();
    private final LongConsumer listener;

    SentBytes(LongConsumer listener) {
        this.listener = listener;
    }

    void add(long n) {
        listener.accept(total.addAndGet(n));
    }

    long get() {
        return total.get();
    }
}

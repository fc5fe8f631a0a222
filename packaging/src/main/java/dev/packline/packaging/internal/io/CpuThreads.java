package dev.packline.packaging.internal.io;

import java.util.concurrent.Executor;

/**
 * Where the once-per-mother hashing runs: each task on its own platform daemon thread. Virtual
 * threads are not time-sliced, so three or four hashing tasks on two carriers ran in rounds (one
 * task waiting for a carrier while the others finished) instead of sharing the cores. Measured on
 * two cores, the first channel APK of a 200 MiB mother (copy, prefix hash and apksig parts) took a
 * median 356 ms against 376 ms on virtual threads (v1+v2+v3), 294 ms against 325 ms (v2+v3).
 * It also leaves the virtual-thread carriers free while a mother is hashed, so a worker's other
 * virtual threads (heartbeats, uploads) are not held up behind a second or more of hashing.
 */
public final class CpuThreads {
    private CpuThreads() {
    }

    /** An executor that starts each task on a new platform daemon thread called {@code name}. */
    public static Executor named(String name) {
        return task -> Thread.ofPlatform().daemon().name(name).start(task);
    }
}

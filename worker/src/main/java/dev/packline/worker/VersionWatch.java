package dev.packline.worker;

import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.worker.WorkerEvents;
import dev.packline.redis.PeriodicTask;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Notices queue versions this worker should serve but does not: an admin rolling out version N+1
 * (create it, make it current, drain N) while the pipeline runs. The stages enqueue the next stage
 * on its current version, so a worker that kept serving only what it found at start would leave
 * every job of N+1 waiting. The worker's subscriptions are fixed for its lifetime, so when a new
 * version appears the process restarts itself the way it recycles ({@link #appeared()} completes,
 * {@code WorkerMain} closes the app, which finishes or hands back its jobs, and exits 3; the
 * supervisor or systemd starts a fresh process at once, which serves every version not retired).
 * Versions that retire need nothing here: their fetch loops stop by themselves; but a retired
 * version a rollback takes back to active counts as appeared, since its fetch loop has stopped.
 */
final class VersionWatch extends PeriodicTask {
    private final WorkerConfig config;
    private final QueueBroker broker;
    private final Set<QueueVersion> served;
    /** Served versions seen retired (their fetch loops stopped); one coming back needs a restart too. */
    private final Set<QueueVersion> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Set<QueueVersion>> appeared = new CompletableFuture<>();

    VersionWatch(WorkerConfig config, QueueBroker broker, List<QueueVersion> served, WorkerEvents events) {
        super("version-watch", config.versionCheckInterval(), events);
        this.config = config;
        this.broker = broker;
        this.served = Set.copyOf(served);
    }

    /** Completes, once, with the versions that appeared since the worker started. */
    CompletableFuture<Set<QueueVersion>> appeared() {
        return appeared;
    }

    /** The versions this worker should serve now but does not (reads the registry). */
    Set<QueueVersion> unserved() {
        Set<QueueVersion> wanted = new LinkedHashSet<>(WorkerApp.resolveVersions(config, broker));
        served.stream().filter(v -> !wanted.contains(v)).forEach(stopped::add);
        Set<QueueVersion> added = new LinkedHashSet<>(wanted);
        added.removeIf(v -> served.contains(v) && !stopped.contains(v));
        return added;
    }

    @Override
    protected void runOnce() {
        if (appeared.isDone()) {
            return;
        }
        Set<QueueVersion> added = unserved();
        if (!added.isEmpty()) {
            log.info("queue versions {} appeared; this worker serves {} and restarts to serve them too", added, served);
            appeared.complete(Set.copyOf(added));
        }
    }
}

package dev.packline.queue.upgrade;

import dev.packline.queue.QueueVersion;
import dev.packline.queue.retry.Backoff;
import dev.packline.queue.worker.JobHandler;
import dev.packline.queue.worker.Subscription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Mixed mode: one worker serving several versions of a queue with a handler per version. The
 * worker's configuration says which handler version serves which queue versions; a job's queue
 * version picks its handler. A queue version no handler serves gets no subscription, so this
 * worker never takes its jobs (they wait for a worker that serves them), exactly as a worker
 * pinned to other versions never takes them.
 */
public final class HandlerVersions {
    private final String queueName;
    private final Map<Integer, String> handlerOf = new LinkedHashMap<>();
    private final Map<String, JobHandler> handlers;

    /**
     * @param handlers the handler implementations by handler version (what the code offers)
     * @param serves   handler version to the queue versions it serves (what the configuration says)
     * @throws IllegalArgumentException listing every problem: a handler version the code lacks, a
     *                                  queue version two handlers claim, a version below 1
     */
    public HandlerVersions(String queueName, Map<String, JobHandler> handlers, Map<String, Set<Integer>> serves) {
        QueueVersion.requireValidName(queueName);
        this.queueName = queueName;
        this.handlers = Map.copyOf(handlers);
        List<String> problems = new ArrayList<>();
        serves.forEach((handler, versions) -> {
            if (!handlers.containsKey(handler)) {
                problems.add("handler version '" + handler + "' does not exist for queue " + queueName + " (known: " + new TreeSet<>(handlers.keySet()) + ")");
            }
            for (int version : new TreeSet<>(versions)) {
                if (version < 1) {
                    problems.add("queue version " + version + " of " + queueName + " is not a version (1 or more)");
                    continue;
                }
                String other = handlerOf.putIfAbsent(version, handler);
                if (other != null) {
                    problems.add("queue version " + version + " of " + queueName + " is served by two handler versions: " + other + " and " + handler);
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The handler version serving a queue version, if any. */
    public Optional<String> handlerVersion(QueueVersion version) {
        return version.name().equals(queueName) ? Optional.ofNullable(handlerOf.get(version.version())) : Optional.empty();
    }

    /** The queue versions a handler serves, in order. */
    public Set<Integer> servedVersions() {
        return new TreeSet<>(handlerOf.keySet());
    }

    /** One subscription per queue version some handler serves, with that handler; the others are left out. */
    public List<Subscription> subscriptions(List<QueueVersion> versions, int concurrency, Backoff backoff) {
        List<Subscription> subscriptions = new ArrayList<>();
        for (QueueVersion version : versions) {
            handlerVersion(version).ifPresent(handler -> subscriptions.add(new Subscription(version, handlers.get(handler), concurrency, backoff)));
        }
        return subscriptions;
    }
}

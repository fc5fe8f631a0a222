package dev.packline.update.increment;

import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.Increment;
import dev.packline.pipeline.artifact.IncrementStore;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.pipeline.job.IncrementJob;
import dev.packline.pipeline.job.StageJobs;
import dev.packline.queue.NewJob;
import dev.packline.queue.QueueClient;
import dev.packline.releases.Artifact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one instance knows of the increment of a (format, installed file, offered file) triple,
 * kept in memory so a check costs no Redis call in the steady state. A made increment never
 * changes, so it is kept (the least recently used are dropped past {@code cacheEntries}). A pair not
 * made yet is looked up once in Redis and, when neither made nor failed, asked for on the diff
 * queue with its deterministic job id (so concurrent asks from any number of instances are one
 * job); it is then not looked up again for {@code recheck}. All checks asking for the same pair at
 * once share one lookup (single flight). Asks are bounded: files over {@code maxFileBytes} are not
 * diffed, at most {@code onDemandPerMinute} asks a minute, and a failed pair waits out its failure.
 * A Redis or queue failure makes no answer fail: the pair counts as not made and is tried again later.
 */
public final class IncrementLookup {
    private static final Logger log = LoggerFactory.getLogger(IncrementLookup.class);

    /** What is known of a pair: made, being made (or asked for), failed, or not to be made. */
    public sealed interface Known permits Made, Preparing, Unavailable {
    }

    public record Made(Increment increment) implements Known {
    }

    /** Asked for (by this instance or another); look again after {@code until} (clock millis). */
    public record Preparing(long until) implements Known {
    }

    /** Failed, over the size or rate bounds, or no store for on-demand increments: the full file it is, until {@code until}. */
    public record Unavailable(String why, long until) implements Known {
    }

    private record Pair(PatchFormat format, String from, String to) {
    }

    private final IncrementStore store;
    private final QueueClient queue;
    private final IncrementsConfig config;
    private final Clock clock;
    private final Map<Pair, Known> known;
    private final ConcurrentHashMap<Pair, CompletableFuture<Known>> inFlight = new ConcurrentHashMap<>();
    private long windowMinute;
    private int askedInWindow;

    public IncrementLookup(IncrementStore store, QueueClient queue, IncrementsConfig config, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
        this.known = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Pair, Known> eldest) {
                return size() > config.cacheEntries();
            }
        };
    }

    /** What is known of the increment of {@code format} from {@code from} to {@code to}, asking for it when nobody has. */
    public Known lookup(PatchFormat format, Artifact from, Artifact to) {
        Pair pair = new Pair(format, from.sha256(), to.sha256());
        Known cached;
        synchronized (known) {
            cached = known.get(pair);
        }
        if (cached instanceof Made || (cached != null && until(cached) > clock.millis())) {
            return cached;
        }
        CompletableFuture<Known> mine = new CompletableFuture<>();
        CompletableFuture<Known> running = inFlight.putIfAbsent(pair, mine);
        if (running != null) {
            return running.join(); // another check is looking this pair up: share its answer
        }
        try {
            Known found = find(pair, from, to);
            synchronized (known) {
                known.put(pair, found);
            }
            mine.complete(found);
            return found;
        } catch (RuntimeException e) {
            log.warn("increment {} {} -> {} could not be looked up: {}", format.wireName(), pair.from(), pair.to(), e.toString());
            Known later = new Preparing(clock.millis() + config.recheck().toMillis());
            mine.complete(later);
            return later;
        } finally {
            inFlight.remove(pair, mine);
        }
    }

    private Known find(Pair pair, Artifact from, Artifact to) {
        long recheckAt = clock.millis() + config.recheck().toMillis();
        var made = store.find(pair.format(), pair.from(), pair.to());
        if (made.isPresent()) {
            return new Made(made.get());
        }
        var failure = store.failure(pair.format(), pair.from(), pair.to());
        if (failure.isPresent()) {
            return new Unavailable("failed: " + failure.get(), recheckAt);
        }
        if (!config.onDemand()) {
            return new Unavailable("not made, and no store for on-demand increments is configured", recheckAt);
        }
        if (from.size() > config.maxFileBytes() || to.size() > config.maxFileBytes()) {
            return new Unavailable("files over increments.maxFileBytes", Long.MAX_VALUE);
        }
        String fromLocation = location(from);
        String toLocation = location(to);
        if (fromLocation == null || toLocation == null) {
            return new Unavailable("a file has no location a worker can fetch", Long.MAX_VALUE);
        }
        if (!takeAsk()) {
            return new Unavailable("over increments.onDemandPerMinute", recheckAt);
        }
        IncrementJob job = IncrementJob.of("on-demand", pair.format(), fromLocation, toLocation, pair.from(), pair.to(), config.store(),
                IncrementJob.objectKey(config.prefix(), pair.format(), pair.from(), pair.to()));
        queue.enqueue(Stage.DIFF.queueName(), NewJob.of(StageJobs.write(job)).withId(job.jobId()).withMaxAttempts(3)
                .withTimeout(config.jobTimeout()));
        log.info("asked for the {} increment {} -> {} on demand", pair.format().wireName(), pair.from(), pair.to());
        return new Preparing(recheckAt);
    }

    /** Where a worker fetches the file: its store object, else its URL when https (the workers' allowed hosts apply). */
    private static String location(Artifact a) {
        if (a.object() != null && a.object().startsWith("store://")) {
            return a.object();
        }
        return a.url().startsWith("https://") ? a.url() : null;
    }

    private synchronized boolean takeAsk() {
        long minute = clock.millis() / 60_000;
        if (minute != windowMinute) {
            windowMinute = minute;
            askedInWindow = 0;
        }
        return askedInWindow++ < config.onDemandPerMinute();
    }

    private static long until(Known k) {
        return switch (k) {
            case Made m -> Long.MAX_VALUE;
            case Preparing p -> p.until();
            case Unavailable u -> u.until();
        };
    }
}

package dev.packline.notify;


import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps one channel under its service's rate with a {@link TokenBucket}. An alert that finds no
 * token is held, not dropped and not waited for: the next message the bucket allows (the next
 * alert, or {@link #flushHeld()} from the flusher) carries it, all held alerts merged into one
 * digest. A held alert counts as taken; if its digest fails it stays held for the next try,
 * while the alert that triggered the send is thrown back to its caller, who keeps it.
 *
 * <p>At most {@value #MAX_HELD} alerts are held in full; beyond that they are only counted, so a
 * storm costs bounded memory and one message per token.
 */
public final class RateLimitedChannel implements AlertChannel {
    static final int MAX_HELD = 100;
    private static final int DIGEST_TEXT_CHARS = 1000;

    private final AlertChannel delegate;
    private final TokenBucket bucket;
    private final Deque<Alert> held = new ArrayDeque<>();
    private int uncounted; // held alerts beyond MAX_HELD, known only by number

    RateLimitedChannel(AlertChannel delegate, TokenBucket bucket) {
        this.delegate = delegate;
        this.bucket = bucket;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void send(Alert alert) throws Exception {
        List<Alert> earlier;
        int earlierUncounted;
        synchronized (this) {
            if (!bucket.tryTake()) {
                hold(alert);
                return;
            }
            earlier = new ArrayList<>(held);
            earlierUncounted = uncounted;
            held.clear();
            uncounted = 0;
        }
        List<Alert> batch = new ArrayList<>(earlier);
        batch.add(alert);
        try {
            deliver(batch, earlierUncounted);
        } catch (Exception e) {
            putBack(earlier, earlierUncounted); // the caller keeps its own alert; the held ones stay with us
            throw e;
        }
    }

    /** Sends the held alerts as one digest when the bucket allows; true when something was sent. */
    public boolean flushHeld() throws Exception {
        List<Alert> batch;
        int batchUncounted;
        synchronized (this) {
            if (held.isEmpty() || !bucket.tryTake()) {
                return false;
            }
            batch = new ArrayList<>(held);
            batchUncounted = uncounted;
            held.clear();
            uncounted = 0;
        }
        try {
            deliver(batch, batchUncounted);
            return true;
        } catch (Exception e) {
            putBack(batch, batchUncounted);
            throw e;
        }
    }

    public synchronized int heldCount() {
        return held.size() + uncounted;
    }

    /** How long until {@link #flushHeld()} may send. */
    Duration timeUntilToken() {
        return bucket.timeUntilToken();
    }

    private void hold(Alert alert) {
        if (held.size() < MAX_HELD) {
            held.addLast(alert);
        } else {
            uncounted++;
        }
    }

    private synchronized void putBack(List<Alert> alerts, int count) {
        for (int i = alerts.size() - 1; i >= 0; i--) {
            held.addFirst(alerts.get(i)); // older than anything held since
        }
        while (held.size() > MAX_HELD) {
            held.removeLast();
            uncounted++;
        }
        uncounted += count;
    }

    private void deliver(List<Alert> batch, int batchUncounted) throws Exception {
        delegate.send(batch.size() == 1 && batchUncounted == 0 ? batch.get(0) : digest(batch, batchUncounted));
    }

    /** Several alerts as one: the worst severity, firing if any still fires, each listed with its time. */
    static Alert digest(List<Alert> alerts, int uncounted) {
        int total = alerts.size() + uncounted;
        Alert.Severity worst = alerts.stream().map(Alert::severity).max(Comparator.naturalOrder()).orElse(Alert.Severity.INFO);
        boolean firing = alerts.stream().anyMatch(a -> a.status() == Alert.Status.FIRING);
        Instant latest = alerts.stream().map(Alert::at).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        StringBuilder text = new StringBuilder();
        for (Alert a : alerts) {
            text.append("- ").append(AlertText.heading(a));
            if (a.at() != null) {
                text.append(" (").append(DateTimeFormatter.ISO_INSTANT.format(a.at().truncatedTo(ChronoUnit.SECONDS))).append(')');
            }
            text.append('\n');
            if (a.text() != null && !a.text().isBlank()) {
                String body = a.text().strip();
                body = body.length() <= DIGEST_TEXT_CHARS ? body : body.substring(0, DIGEST_TEXT_CHARS) + "...";
                text.append("  ").append(body.replace("\n", "\n  ")).append('\n');
            }
        }
        if (uncounted > 0) {
            text.append("... and ").append(uncounted).append(" more not shown (held beyond ").append(MAX_HELD).append(")\n");
        }
        return new Alert("digest", worst, firing ? Alert.Status.FIRING : Alert.Status.RESOLVED,
                total + " alerts in one message (over the channel's rate limit)", text.toString(),
                Map.of("alerts", Integer.toString(total)), latest);
    }
}

package dev.packline.console.live;

import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The live part of a page over server-sent events: renders its HTML fragment every interval on the
 * stream's own virtual thread and sends it (one event named after the part, which htmx's sse
 * extension swaps into the page) when it changed, a comment when it has been quiet for a while (so
 * a client that left is noticed), and ends after {@code maxDuration}; the browser's EventSource
 * reconnects by itself. A fragment is one line: SSE data ends at a line break.
 */
public final class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
    /** How long a stream stays quiet before it sends a comment. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Duration interval;
    private final Duration heartbeat;
    private final Duration maxDuration;

    public LiveStream(Duration interval, Duration heartbeat, Duration maxDuration) {
        this.interval = interval;
        this.heartbeat = heartbeat;
        this.maxDuration = maxDuration;
    }

    public void stream(ServerResponse res, String event, Supplier<String> fragment) {
        long deadline = System.nanoTime() + maxDuration.toNanos();
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            String last = null;
            long lastSent = System.nanoTime();
            while (System.nanoTime() < deadline) {
                String html = fragment.get().replace('\n', ' ').replace('\r', ' ');
                if (!html.equals(last)) {
                    sink.emit(SseEvent.builder().name(event).data(html).build());
                    last = html;
                    lastSent = System.nanoTime();
                } else if (System.nanoTime() - lastSent > heartbeat.toNanos()) {
                    // a comment alone is no event: Helidon still writes a data line, so it gets an empty one (which no part swaps in)
                    sink.emit(SseEvent.builder().comment("quiet").data("").build());
                    lastSent = System.nanoTime();
                }
                Thread.sleep(interval);
            }
        } catch (UncheckedIOException e) {
            log.debug("live {} stream ended by the browser: {}", event, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the console is stopping: the stream ends, the browser reconnects
        } catch (RuntimeException e) {
            log.warn("live {} stream stopped: {}", event, e.getMessage()); // Redis unreachable: the browser reconnects and tries again
        }
    }

    /** The element a page puts its live part in: connects to {@code source} and swaps in {@code event}s. */
    public static String container(String id, String source, String event, String first) {
        return "<div id=\"" + id + "\" hx-ext=\"sse\" sse-connect=\"" + source + "\" sse-swap=\"" + event + "\">" + first + "</div>";
    }
}

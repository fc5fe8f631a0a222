package dev.packline.api.jobs;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes one {@code text/event-stream} answer: first the {@code retry:} field (how long a client
 * waits before reconnecting), then events with {@code id:}, {@code event:} and {@code data:} lines
 * and comment lines, each flushed at once. Written here rather than through Helidon's SSE sink,
 * which (4.2) drops the {@code retry:} field. A write to a client that left throws
 * {@link UncheckedIOException}: the stream's owner ends it.
 */
final class EventStreamWriter implements AutoCloseable {
    private final OutputStream out;

    EventStreamWriter(ServerResponse res, Duration retry) {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        this.out = res.outputStream();
        write("retry: " + retry.toMillis() + "\n\n"); // a block without data dispatches no event: the client only learns the delay
    }

    /** One event; {@code data} may span lines (each becomes a {@code data:} line). */
    void event(String id, String name, String data) {
        StringBuilder block = new StringBuilder();
        block.append("id: ").append(id).append('\n').append("event: ").append(name).append('\n');
        for (String line : data.split("\n", -1)) {
            block.append("data: ").append(line).append('\n');
        }
        write(block.append('\n').toString());
    }

    /** A comment line: clients ignore it; it keeps proxies from closing a quiet stream and finds clients that left. */
    void comment(String text) {
        write(": " + text + "\n\n");
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the event stream's client is gone", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot end the event stream", e);
        }
    }
}

package dev.packline.http.input;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Slow and silent clients against a real web server set up by {@link HttpLimits#applyTo} over raw
 * sockets: half a request line then silence, a head trickled a byte at a time, a body that stops
 * halfway, and a kept-alive connection that never sends its next request are each closed within
 * the stated timeouts (plus the sweep period and slack for a loaded machine); a request sent at an
 * ordinary pace is answered, and a route that runs longer than the head timeout is not cut.
 */
class ConnectionDeadlinesTest {
    private static final Duration HEAD = Duration.ofMillis(1500);
    private static final Duration BODY = Duration.ofMillis(1200);
    private static final Duration IDLE = Duration.ofSeconds(4);
    /** What a loaded 2-core machine may add to a bound before the close is seen. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    static ConnectionDeadlines deadlines;
    static WebServer server;

    @BeforeAll
    static void start() {
        HttpLimits limits = new HttpLimits(1024, 4096, 1024, IDLE, HEAD, BODY);
        deadlines = new ConnectionDeadlines(limits);
        server = limits.applyTo(WebServer.builder(), deadlines).host("127.0.0.1").port(0).routing(r -> {
            r.addFilter(deadlines.filter());
            r.addFilter(new FramingFilter());
            r.get("/hello", (req, res) -> res.send("hello"));
            r.get("/slow", (req, res) -> {
                Thread.sleep(HEAD.plus(IDLE).multipliedBy(2).toMillis()); // longer than any head deadline
                res.send("done");
            });
            r.post("/echo", (req, res) -> res.send(RequestBody.read(req, limits.maxBodyBytes())));
        }).build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        deadlines.close();
    }

    @Test
    void halfARequestLineThenSilenceIsClosedWithinTheHeadTimeout() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /hel");
            assertClosedWithin(s, HEAD.plus(SLACK), "half a request line");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithinTheHeadTimeout() throws Exception {
        try (Socket s = connect()) {
            assertClosedWithin(s, HEAD.plus(SLACK), "nothing sent");
        }
    }

    @Test
    void aHeadTrickledAByteAtATimeIsClosedWithinTheHeadTimeout() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            byte[] head = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                for (byte b : head) {
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    Thread.sleep(50); // well under any per-read timeout: only a deadline on the whole head cuts this
                }
                fail("the whole trickled head was taken (" + head.length * 50 + " ms, head timeout " + HEAD.toMillis() + " ms)");
            } catch (SocketException closed) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < HEAD.plus(SLACK).toMillis(), "cut only after " + millis + " ms");
            }
        }
    }

    @Test
    void aBodyThatStopsHalfwayIsClosedWithinTheBodyTimeout() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"half\":");
            String got = assertClosedWithin(s, BODY.plus(SLACK), "a body stopped halfway");
            assertTrue(got.isEmpty() || got.startsWith("HTTP/1.1 4"), "no answer but a refusal: " + got);
        }
    }

    @Test
    void aKeptAliveConnectionWithoutANextRequestIsClosed() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String got = assertClosedWithin(s, IDLE.plus(HEAD).plus(SLACK), "kept alive, then silent");
            assertTrue(got.startsWith("HTTP/1.1 200") && got.endsWith("hello"), got);
        }
    }

    @Test
    void anOrdinaryRequestAndALongRouteAreAnswered() throws Exception {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nok");
            send(s, "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            String got = readAll(s, Duration.ofSeconds(20));
            assertTrue(got.startsWith("HTTP/1.1 200"), got);
            assertTrue(got.contains("\r\n\r\nok") && got.endsWith("done"), "both answered: " + got);
        }
        assertEquals(0, waitForNoWatched(), "every closed connection is forgotten");
    }

    private static int waitForNoWatched() throws InterruptedException {
        for (int i = 0; i < 50 && deadlines.watched() > 0; i++) {
            Thread.sleep(100);
        }
        return deadlines.watched();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(20_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads until the server closes (EOF or reset), which must happen within {@code bound}; returns what came. */
    private static String assertClosedWithin(Socket s, Duration bound, String what) throws IOException {
        long start = System.nanoTime();
        String got = readAll(s, bound.plus(Duration.ofSeconds(10)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < bound.toMillis(), what + ": closed only after " + millis + " ms, bound " + bound.toMillis() + " ms");
        return got;
    }

    private static String readAll(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                got.append((char) b);
            }
        } catch (SocketException reset) {
            // a reset is a close too
        } catch (SocketTimeoutException e) {
            fail("the server kept the connection open for " + wait.toMillis() + " ms; got: " + got);
        }
        return got.toString();
    }
}

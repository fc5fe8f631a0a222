package dev.packline.api;

import dev.packline.http.input.fuzz.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kept-alive connection that sends no next request is closed by the idle timeout (here
 * {@code server.idleTimeout: 1s}); a request whose body the route never read is never answered
 * twice: its body is not taken for a next request.
 */
class SlowConnectionTest {
    /** Far above the configured 1 s: the bound within which the server must have closed. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path temp;
    static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(temp, "submitsPerMinute: 6000, submitBurst: 1000, maxChannelsInFlight: 0", "", "idleTimeout: 1s, headTimeout: 2s");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aKeptAliveConnectionWithoutANextRequestIsClosed() throws Exception {
        byte[] request = ("GET /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + api.acmeToken + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = RawHttp.exchange(api.api.port(), request, false, WAIT, false);
        assertEquals(200, answer.status(), answer.toString());
        assertClosedWithin(WAIT, request);
    }

    @Test
    void aBodyARefusalDidNotReadIsNeverTakenForTheNextRequest() throws Exception {
        String smuggled = "GET /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + api.acmeToken + "\r\n\r\n";
        String request = "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " + api.acmeToken
                + "\r\nIdempotency-Key: has space\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled;
        RawHttp.Answer answer = RawHttp.exchange(api.api.port(), request.getBytes(StandardCharsets.UTF_8), false, WAIT, true);
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.closedAfter(), "the body was read as a second request, or the connection stayed open: " + answer);
    }

    @Test
    void halfARequestLineThenSilenceIsCutWithinTheHeadTimeout() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", api.api.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write("GET /v1/jo".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            try {
                while (socket.getInputStream().read() >= 0) {
                    // nothing is expected; read until the close
                }
            } catch (SocketException reset) {
                // a reset is a close too
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a silent half request open for " + WAIT.toSeconds() + " s");
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 4_500, "cut only after " + millis + " ms (server.headTimeout: 2s)");
    }

    /** Sends one whole request, reads its answer, then sends nothing: the server must close the connection (EOF or reset) within the wait. */
    private static void assertClosedWithin(Duration wait, byte[] sent) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", api.api.port())) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.getOutputStream().write(sent);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    got.append((char) b);
                }
            } catch (SocketException reset) {
                // a reset is a close too
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a silent connection open for " + wait.toSeconds() + " s");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(got.toString().startsWith("HTTP/1.1 200"), "the request was not answered: " + got);
            assertTrue(millis < wait.toMillis(), "closed only after " + millis + " ms");
        }
    }
}

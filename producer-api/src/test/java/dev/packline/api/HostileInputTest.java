package dev.packline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.http.input.fuzz.RawHttp;
import dev.packline.http.input.fuzz.RawHttp.Answer;
import dev.packline.queue.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One case per class of hostile input issue 22 found, each sent over a raw socket to a real API on
 * a real Redis: every one must be a 4xx in the documented JSON shape, answered at once, naming the
 * field or header at fault, with nothing written to Redis.
 */
class HostileInputTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    static Path temp;
    static ApiFixture api;
    static UnifiedJedis redis;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(temp);
        redis = TestRedis.client();
    }

    @AfterAll
    static void stop() {
        redis.close();
        api.close();
    }

    // --- 5xx for client input ---

    @Test
    void aCursorWithNonAsciiDigitsIsA400NamingTheCursor() throws Exception {
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString("١٧٦٣:rabc|com.acme.game".getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> get("/v1/jobs?cursor=" + cursor), 400, "cursor");
    }

    @Test
    void aLimitWithNonAsciiDigitsIsA400NamingTheLimit() throws Exception {
        assertRefused(() -> get("/v1/jobs?limit=%D9%A5"), 400, "limit"); // ARABIC-INDIC DIGIT FIVE
    }

    @Test
    void aBodyShorterThanItsContentLengthIsA400() throws Exception {
        byte[] body = api.body(2).getBytes(StandardCharsets.UTF_8);
        byte[] head = head("POST", "/v1/jobs", "Content-Type: application/json", "Content-Length: " + (body.length + 100));
        assertRefused(() -> RawHttp.exchange(api.api.port(), concat(head, body), true, DEADLINE), 400, "Content-Length");
    }

    // --- a hang ---

    @Test
    void aNegativeContentLengthIsA400AtOnce() throws Exception {
        assertRefused(() -> send(head("POST", "/v1/jobs", "Content-Type: application/json", "Content-Length: -5"), false), 400, "Content-Length");
    }

    @Test
    void aNonNumericOrConflictingContentLengthIsA400() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> send(concat(head("POST", "/v1/jobs", "Content-Length: 2x"), body), false), 400, "Content-Length");
        assertRefused(() -> send(concat(head("POST", "/v1/jobs", "Content-Length: 2", "Content-Length: 3"), body), false), 400, "Content-Length");
    }

    @Test
    void aChunkSizeThatIsNotHexIsA400() throws Exception { // found by bin/packline fuzz api --seed 99 (case 63): it was a 500
        for (String chunks : new String[]{"-1\r\nab\r\n0\r\n\r\n", "\r\nab\r\n0\r\n\r\n"}) {
            byte[] request = concat(head("POST", "/v1/jobs", "Content-Type: application/json", "Transfer-Encoding: chunked"),
                    chunks.getBytes(StandardCharsets.UTF_8));
            assertRefused(() -> RawHttp.exchange(api.api.port(), request, true, DEADLINE), 400, "body");
        }
    }

    @Test
    void aNulBeforeTheRequestLineIsA400NotA500() throws Exception { // found by bin/packline fuzz api --seed 99 (case 100)
        byte[] request = ("\0GET /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> RawHttp.exchange(api.api.port(), request, true, DEADLINE), 400, "request");
    }

    // --- invalid input accepted ---

    @Test
    void aValueFollowedByMoreTextIsRefused() throws Exception {
        assertRefused(() -> post(api.body(2) + " {}"), 400, "body");
        assertRefused(() -> post(api.body(2) + " x"), 400, "body");
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        assertRefused(() -> post(bodyWithChannelBytes(new byte[]{'a', (byte) 0xC0, (byte) 0xAF})), 400, "body"); // overlong '/'
        assertRefused(() -> post(bodyWithChannelBytes(new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80})), 400, "body"); // encoded surrogate
        assertRefused(() -> post(bodyWithChannelBytes(new byte[]{'a', (byte) 0xFF})), 400, "body");
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedNamingTheField() throws Exception {
        assertRefused(() -> post(api.body(2).replace("\"store-1\"", "\"store-\\ud800\"")), 400, "channels[1]");
    }

    @Test
    void bidiOverridesAndOtherFormatCharactersInNamesAreRefused() throws Exception {
        assertRefused(() -> post(api.body(2).replace("\"store-1\"", "\"kpa.\\u202eexe\"")), 400, "channels[1]");
        assertRefused(() -> post(api.body(2).replace("\"store-1\"", "\"a\\u2066b\\u2069\"")), 400, "channels[1]");
        assertRefused(() -> post(api.body(2).replace("\"store-1\"", "\"a\\u200bb\"")), 400, "channels[1]");
    }

    @Test
    void twoNamesThatNormaliseAlikeAreDuplicates() throws Exception {
        String body = api.body(3).replace("\"store-1\"", "\"caf\\u00e9\"").replace("\"store-2\"", "\"cafe\\u0301\"");
        assertRefused(() -> post(body), 400, "channels[2]");
    }

    // --- refusals the web server makes itself ---

    @Test
    void anOversizedHeaderIsRefusedInTheJsonShape() throws Exception {
        assertRefused(() -> send(head("GET", "/v1/jobs", "X-Big: " + "b".repeat(40_000)), false), 431, null);
    }

    @Test
    void anOversizedPathOrQueryIsRefusedInTheJsonShape() throws Exception {
        assertRefused(() -> send(head("GET", "/v1/jobs/" + "p".repeat(20_000)), false), 414, null);
        assertRefused(() -> send(head("GET", "/v1/jobs?app=" + "q".repeat(20_000)), false), 414, null);
    }

    @Test
    void anUnsupportedContentEncodingIsRefusedInTheJsonShape() throws Exception {
        byte[] body = api.body(2).getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> send(concat(head("POST", "/v1/jobs", "Content-Type: application/json", "Content-Encoding: br",
                "Content-Length: " + body.length), body), false), 415, "Content-Encoding");
    }

    // --- helpers ---

    private Answer get(String target) throws Exception {
        return send(head("GET", target), false);
    }

    private Answer post(String body) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    private Answer post(byte[] body) throws Exception {
        return send(concat(head("POST", "/v1/jobs", "Content-Type: application/json", "Content-Length: " + body.length), body), false);
    }

    private byte[] bodyWithChannelBytes(byte[] name) {
        String[] parts = api.body(2).split("\"store-1\"");
        return concat(parts[0].getBytes(StandardCharsets.UTF_8), new byte[]{'"'}, name, new byte[]{'"'}, parts[1].getBytes(StandardCharsets.UTF_8));
    }

    private Answer send(byte[] request, boolean halfClose) throws Exception {
        return RawHttp.exchange(api.api.port(), request, halfClose, DEADLINE);
    }

    private static byte[] head(String method, String target, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Authorization: Bearer ").append(api.acmeToken).append("\r\nConnection: close\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    interface Exchange {
        Answer send() throws Exception;
    }

    /** A 4xx of the expected status in the JSON error shape, naming {@code field} when given, and Redis untouched. */
    private void assertRefused(Exchange exchange, int status, String field) throws Exception {
        Set<String> keysBefore = new HashSet<>(TestRedis.keys(redis, "*"));
        Answer answer = exchange.send();
        assertEquals(keysBefore, new HashSet<>(TestRedis.keys(redis, "*")), "a refusal wrote to Redis: " + answer);
        assertEquals(RawHttp.Ending.ANSWERED, answer.ending(), answer.toString());
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(answer.header("content-type") != null && answer.header("content-type").startsWith("application/json"), answer.toString());
        JsonNode error = ApiFixture.JSON.readTree(answer.body()).get("error");
        assertNotNull(error, answer.toString());
        assertEquals(status, error.get("status").asInt(), answer.toString());
        assertTrue(error.get("reason").isTextual() && error.get("message").isTextual(), answer.toString());
        if (field != null) {
            Set<String> fields = new HashSet<>();
            error.path("problems").forEach(p -> fields.add(p.get("field").asText()));
            assertTrue(fields.contains(field), "no problem names " + field + ": " + answer);
        }
        assertTrue(api.get(api.acmeToken, "/v1/jobs").json().get("jobs").isEmpty(), "no request recorded");
    }
}

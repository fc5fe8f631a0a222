package dev.packline.api.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates malformed HTTP requests from one seed: each case starts from a valid call of the API
 * (a submit, a list, a show, a cancel) and breaks one or more of its edges: the body's bytes, its
 * JSON, its names, its framing headers, other headers, the path, the query or the request line.
 * The same seed always yields the same cases, so a failure is reproduced by its seed and index.
 */
public final class HostileRequests {

    /**
     * What a case may get: an answer; an answer and then the connection closed (framing that cannot
     * be trusted: what follows may be the body); or, for a first line that is not an HTTP/1.1
     * request line, an answer or an immediate close.
     */
    public enum Expected { ANSWER, ANSWER_THEN_CLOSE, ANSWER_OR_CLOSE }

    /** One request to send as it is; {@code halfClose} shuts the client's side after it (a client with nothing more to say). */
    public record Case(int index, String mutation, byte[] request, boolean halfClose, Expected expected) {
        public String show() {
            String text = new String(request, StandardCharsets.ISO_8859_1);
            return "#" + index + " " + mutation + ": " + (text.length() > 600 ? text.substring(0, 600) + "...(" + request.length + " bytes)" : text);
        }
    }

    private static final String[] SPECIALS = {"\u202e", "\u2066", "\u200b", "\ufeff", "\u0000", "\u0007", "\u00a0", "\u3164", "/", "\\", "..",
            "\u0665", "\uff11", "\ud83d\ude00", "\"", "'", "%", "%00", "{", "}", "\u00e9", "e\u0301", "\n", "\r\n"};
    private static final String[] ESCAPES = {"\\ud800", "\\udc00", "\\ud800\\ud800", "\\u0000", "\\u202e", "\\u", "\\x41", "\\uZZZZ", "\\"};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0x80},
            {(byte) 0xE4, (byte) 0xB8}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}};

    private final Random random;
    private final String token;
    private final String validBody;
    private final String knownId;
    private int index;

    /**
     * @param validBody a submit body the API accepts
     * @param knownId   the id of a request the caller owns, for show and cancel
     */
    public HostileRequests(long seed, String token, String validBody, String knownId) {
        this.random = new Random(seed);
        this.token = token;
        this.validBody = validBody;
        this.knownId = knownId;
    }

    public Case next() {
        int n = index++;
        List<Supplier<Case>> kinds = List.of(this::bodyBytes, this::bodyJson, this::names, this::framing, this::headers, this::target,
                this::requestLine);
        Case c = kinds.get(random.nextInt(kinds.size())).get();
        return new Case(n, c.mutation(), c.request(), c.halfClose(), c.expected());
    }

    // --- the body's bytes ---

    private Case bodyBytes() {
        byte[] body = validBody.getBytes(StandardCharsets.UTF_8);
        String what;
        switch (random.nextInt(5)) {
            case 0 -> {
                int at = random.nextInt(body.length);
                body[at] ^= (byte) (1 << random.nextInt(8));
                what = "bit flipped at byte " + at;
            }
            case 1 -> {
                int cut = random.nextInt(body.length);
                body = java.util.Arrays.copyOf(body, cut);
                what = "truncated to " + cut + " bytes";
            }
            case 2 -> {
                byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
                body = insert(body, quoteInside(body), bad);
                what = "malformed UTF-8 inside a string";
            }
            case 3 -> {
                byte[] junk = new byte[1 + random.nextInt(16)];
                random.nextBytes(junk);
                body = insert(body, random.nextInt(body.length + 1), junk);
                what = "random bytes inserted";
            }
            default -> {
                String after = pick(new String[]{" {}", "{}", " x", "\u0000", "]", " \"a\"", " 1", "\n{\"appId\": \"x\"}", ",", "\ufeff"});
                body = (validBody + after).getBytes(StandardCharsets.UTF_8);
                what = "text after the value";
            }
        }
        return post(what, body);
    }

    // --- the body's JSON ---

    private Case bodyJson() {
        String body = validBody;
        String what;
        switch (random.nextInt(8)) {
            case 0 -> {
                body = swap(body, "\\{", "{\"appId\": \"dup\", ");
                what = "duplicate key";
            }
            case 1 -> {
                int depth = 10 + random.nextInt(5000);
                body = swap(body, "\"walle\"", "[".repeat(depth) + "]".repeat(depth));
                what = "nested " + depth + " deep";
            }
            case 2 -> {
                String field = pick(new String[]{"appId", "mother", "format", "outputStore", "outputPrefix", "nameTemplate", "notifyLevel"});
                String value = pick(new String[]{"1", "-0", "1e999", "0.5", "true", "null", "[]", "{}", "[\"a\"]", "99999999999999999999999999"});
                body = swap(body, "\"" + field + "\": *\"[^\"]*\"", "\"" + field + "\": " + value);
                what = field + " as " + value;
            }
            case 3 -> {
                body = swap(body, "\"channels\": *\\[", "\"channels\": [" + pick(new String[]{"1, ", "null, ", "[], ", "{}, ",
                        "{\"name\": 5}, ", "{\"name\": \"n\", \"extra\": {\"k\": 1}}, ", "{\"name\": \"n\", \"extra\": []}, ", "\"\", "}));
                what = "odd channel entry";
            }
            case 4 -> {
                body = swap(body, "\\{", "{\"" + pick(new String[]{"priority", "", "appId\\u0000", "\\ud800", "__proto__"}) + "\": 1, ");
                what = "unknown or odd key";
            }
            case 5 -> {
                body = pick(new String[]{"", " ", "null", "[]", "\"x\"", "1", "{", "}", "{}", "[{}]", "{\"appId\": {}}", "tru", "nul"});
                what = "not a request: '" + body + "'";
            }
            case 6 -> {
                body = swap(body, "\"appId\": *\"[^\"]*\"", "\"appId\": \"" + "a".repeat(190 + random.nextInt(20)) + "\"");
                what = "appId near its length limit";
            }
            default -> {
                int n = 1990 + random.nextInt(20);
                StringBuilder many = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    many.append(i == 0 ? "" : ",").append("\"c").append(i).append('"');
                }
                body = swap(body, "\"channels\": *\\[", "\"channels\": [" + many + ",");
                what = "about 2000 channels";
            }
        }
        return post(what, body.getBytes(StandardCharsets.UTF_8));
    }

    // --- names ---

    private Case names() {
        String special = random.nextBoolean() ? pick(SPECIALS) : pick(ESCAPES);
        String body = switch (random.nextInt(3)) {
            case 0 -> swap(validBody, "\"store-1\"", "\"st" + jsonSafe(special) + "ore\"");
            case 1 -> swap(validBody, "\"appId\": *\"", "\"appId\": \"" + jsonSafe(special));
            default -> swap(validBody, "\"campaign\"", "\"camp" + jsonSafe(special) + "aign\"");
        };
        return post("name holding " + escape(special), body.getBytes(StandardCharsets.UTF_8));
    }

    // --- framing headers ---

    private Case framing() {
        Case c = lyingFraming();
        return new Case(0, c.mutation(), c.request(), c.halfClose(), Expected.ANSWER_THEN_CLOSE);
    }

    private Case lyingFraming() {
        byte[] body = validBody.getBytes(StandardCharsets.UTF_8);
        String length = Integer.toString(body.length);
        return switch (random.nextInt(9)) {
            case 0 -> raw("Content-Length negative", head("POST", "/v1/jobs", "Content-Length: -" + random.nextInt(100)), body, false);
            case 1 -> raw("Content-Length not a number", head("POST", "/v1/jobs", "Content-Length: " + pick(new String[]{"1x", "+5", "0x10",
                    " ", "\u0661\u0662", "99999999999999999999999", "1 2", "1.0"})), body, false);
            case 2 -> raw("Content-Length twice", head("POST", "/v1/jobs", "Content-Length: " + length, "Content-Length: " + (body.length + 1)), body, false);
            case 3 -> raw("body shorter than announced", head("POST", "/v1/jobs", "Content-Length: " + (body.length + 1 + random.nextInt(1000))), body, true);
            case 4 -> raw("Content-Length and chunked", head("POST", "/v1/jobs", "Content-Length: " + length, "Transfer-Encoding: chunked"),
                    chunked(body), false);
            case 5 -> raw("odd Transfer-Encoding", head("POST", "/v1/jobs", "Transfer-Encoding: " + pick(new String[]{"gzip", "chunked, gzip",
                    "identity", "chunked;x", "xchunked"})), chunked(body), true);
            case 6 -> raw("malformed chunks", head("POST", "/v1/jobs", "Transfer-Encoding: chunked"), pick(new String[]{"zz\r\nab\r\n0\r\n\r\n",
                    "-1\r\n", "5\r\nab\r\n0\r\n\r\n", "ffffffffffff\r\nab", "2\r\nab", "2\r\nabXX0\r\n\r\n"}).getBytes(StandardCharsets.UTF_8), true);
            case 7 -> raw("Content-Encoding", head("POST", "/v1/jobs", "Content-Length: " + length, "Content-Encoding: " + pick(new String[]{"gzip",
                    "br", "deflate", "x", "identity, gzip"})), body, false);
            default -> raw("GET with a lying body", head("GET", "/v1/jobs", "Content-Length: " + pick(new String[]{"-1", "5", "abc"})), new byte[0], true);
        };
    }

    // --- other headers ---

    private Case headers() {
        byte[] body = validBody.getBytes(StandardCharsets.UTF_8);
        String length = "Content-Length: " + body.length;
        return switch (random.nextInt(7)) {
            case 0 -> raw("header too large", head("POST", "/v1/jobs", length, "X-Pad: " + "p".repeat(16_000 + random.nextInt(40_000))), body, false);
            case 1 -> raw("many headers", head("GET", "/v1/jobs", manyHeaders(200 + random.nextInt(2000))), new byte[0], false);
            case 2 -> raw("Idempotency-Key odd", head("POST", "/v1/jobs", length, "Idempotency-Key: " + pick(new String[]{"", " ", "a b",
                    "k".repeat(201), "caf\u00e9", "\u202e", "ok-" + random.nextInt()})), body, false);
            case 3 -> raw("Authorization odd", headWithAuth("GET", "/v1/jobs", "Authorization: " + pick(new String[]{"Bearer", "Bearer ",
                    "Basic x", "Bearer " + token + "\u0000", "bearer " + token, "Bearer " + "t".repeat(10_000)})), new byte[0], false);
            case 4 -> raw("non-ASCII or control bytes in a header", head("GET", "/v1/jobs", "X-Name: a" + pick(SPECIALS) + "b"), new byte[0], false);
            case 5 -> new Case(0, "bare LF line ends", ("GET /v1/jobs HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + token + "\n\n")
                    .getBytes(StandardCharsets.UTF_8), true, Expected.ANSWER_OR_CLOSE);
            default -> raw("Host header odd", headWithAuth("GET", "/v1/jobs", "Authorization: Bearer " + token, "Host: " + pick(new String[]{"",
                    "a b", "127.0.0.1:99999", "[::1", "127.0.0.1", "x:y"})), new byte[0], false);
        };
    }

    // --- path and query ---

    private Case target() {
        String target = switch (random.nextInt(8)) {
            case 0 -> "/v1/jobs?limit=" + pick(new String[]{"0", "101", "-1", "1.5", "%D9%A5", "%EF%BC%91", "1e2", "", "99999999999999999999", "5&limit=6"});
            case 1 -> "/v1/jobs?cursor=" + pick(new String[]{"", "x", "%%%", "MTox", base64("\u0661\u0662:x|y"), base64("1:x"), base64("99999999999999999999:a|b"),
                    "AAAA", "____", base64(":|")});
            case 2 -> "/v1/jobs?state=" + pick(new String[]{"", "RUNNING", "done%00", "%E2%80%AE", "queued&state=done"}) + "&app=" + pick(new String[]{"", "%C0%AF", "%ZZ"});
            case 3 -> "/v1/jobs/" + pick(new String[]{"", "%00", "..", "%2e%2e", "x".repeat(65), "%C0%AF", "r\u0665", knownId + "%20", knownId + "/x",
                    "%E2%80%AE" + knownId});
            case 4 -> "/v1/jobs/" + knownId + "/events?" + "x=" + "q".repeat(random.nextInt(12_000));
            case 5 -> "/" + "p".repeat(4_000 + random.nextInt(20_000));
            case 6 -> "/v1/jobs?" + "a=1&".repeat(1 + random.nextInt(3_000));
            default -> pick(new String[]{"*", "//v1/jobs", "/v1//jobs", "/v1/jobs#x", "/v1/jobs?%", "http://evil/v1/jobs", "/v1/jobs/%", "/%ff",
                    "/v1/jobs?cursor=%ED%A0%80"});
        };
        String method = target.startsWith("/v1/jobs/") && random.nextInt(4) == 0 ? "DELETE" : "GET";
        return raw(method + " odd target", headWithAuth(method, target, "Authorization: Bearer " + token), new byte[0], false);
    }

    // --- request line ---

    private Case requestLine() {
        String line = pick(new String[]{"GET /v1/jobs HTTP/1.0", "GET /v1/jobs HTTP/2.0", "GET /v1/jobs HTTP/1.1 extra", "get /v1/jobs HTTP/1.1",
                "BREW /v1/jobs HTTP/1.1", "GET  /v1/jobs HTTP/1.1", "GET /v1/jobs", "GET", "\u0000GET /v1/jobs HTTP/1.1", " GET /v1/jobs HTTP/1.1",
                "PATCH /v1/jobs HTTP/1.1", "POST /v1/jobs/" + knownId + " HTTP/1.1", "PRI * HTTP/2.0", "GET /v1/jobs HTTP/1.1\u00e9"});
        String request = line + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        boolean http11 = line.matches("[A-Za-z]+ \\S+ HTTP/1\\.1");
        return new Case(0, "request line '" + escape(line) + "'", request.getBytes(StandardCharsets.UTF_8), true,
                http11 ? Expected.ANSWER : Expected.ANSWER_OR_CLOSE);
    }

    // --- building blocks ---

    private Case post(String what, byte[] body) {
        return raw(what, head("POST", "/v1/jobs", "Content-Type: application/json", "Content-Length: " + body.length), body, false);
    }

    private static Case raw(String what, byte[] head, byte[] body, boolean halfClose) {
        return new Case(0, what, concat(head, body), halfClose, Expected.ANSWER);
    }

    private byte[] head(String method, String target, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "Authorization: Bearer " + token;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return headWithAuth(method, target, all);
    }

    /** A request head whose headers are exactly these (plus Host unless one is given, and Connection: close). */
    private static byte[] headWithAuth(String method, String target, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.startsWith("Host:");
        }
        if (!host) {
            b.append("Host: 127.0.0.1\r\n");
        }
        b.append("Connection: close\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String manyHeaders(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
        }
        return b.toString();
    }

    private static byte[] chunked(byte[] body) {
        return concat((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), body, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** An offset just inside a string of the body (after an opening quote), where malformed UTF-8 is read as text. */
    private int quoteInside(byte[] body) {
        List<Integer> quotes = new ArrayList<>();
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '"') {
                quotes.add(i + 1);
            }
        }
        return quotes.get(random.nextInt(quotes.size()));
    }

    private static byte[] insert(byte[] into, int at, byte[] what) {
        return concat(java.util.Arrays.copyOf(into, at), what, java.util.Arrays.copyOfRange(into, at, into.length));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** replaceFirst with a literal replacement (no $ or \\ processing): the replacement is hostile text. */
    private static String swap(String text, String regex, String replacement) {
        return text.replaceFirst(regex, java.util.regex.Matcher.quoteReplacement(replacement));
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    /** A special character as it goes inside a JSON string: raw, except the ones that would end the string or the line. */
    private static String jsonSafe(String special) {
        return switch (special) {
            case "\"" -> "\\\"";
            case "\\" -> "\\\\";
            case "\n" -> "\\n";
            case "\r\n" -> "\\r\\n";
            default -> special;
        };
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }

    private static String base64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

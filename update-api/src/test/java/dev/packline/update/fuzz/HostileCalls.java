package dev.packline.update.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Generates malformed calls of the update API from one seed: each starts from a valid check (native
 * or compatible) or a valid report and breaks one edge: a query value (hostile characters,
 * malformed percent-escapes, invalid UTF-8, repeats, lengths), a header field's bytes, the report
 * body's bytes or JSON, or its framing. The same seed yields the same calls, so a failure is
 * reproduced by its seed and index. Every call asks to close the connection after its answer.
 */
public final class HostileCalls {

    /**
     * One call to send as it is; {@code halfClose} shuts the client's side after it; {@code closes}:
     * its framing cannot be trusted, so the server must close the connection after its answer.
     */
    public record Call(int index, String mutation, byte[] request, boolean halfClose, boolean closes) {
        Call(int index, String mutation, byte[] request, boolean halfClose) {
            this(index, mutation, request, halfClose, false);
        }

        public String show() {
            String text = new String(request, StandardCharsets.ISO_8859_1);
            return "#" + index + " " + mutation + ": " + (text.length() > 400 ? text.substring(0, 400) + "...(" + request.length + " bytes)" : text);
        }
    }

    private static final String[] FIELDS = {"deploymentKey", "platform", "clientVersion", "clientId", "brand", "channel", "sign", "kind"};
    private static final String[] VALUES = {"", "%", "%G1", "%4", "%C0%AF", "%ED%A0%80", "%FF", "%00", "%E2%80%AE", "%E2%81%A6", "%E2%80%8B",
            "%EF%BB%BF", "%D9%A5", "%EF%BC%91", "+", "%2B", "a%0Ab", "%F0%9F%98%80", "e%CC%81", "..%2F..", "1e2", "-1", "99999999999999999999",
            "1.2.3.4.5.6.7.8", "%C3%A9", "huawei&channel=xiaomi"};
    private static final byte[][] HEADER_BYTES = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x80, (byte) 0xAE},
            {0x01}, {0x7F}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC3, (byte) 0xA9}};

    private final Random random;
    private final String validQuery;
    private final String validReport;
    private int index;

    /**
     * @param validQuery  a check query string the API answers 200 (without the '?')
     * @param validReport a report body the API answers 202
     */
    public HostileCalls(long seed, String validQuery, String validReport) {
        this.random = new Random(seed);
        this.validQuery = validQuery;
        this.validReport = validReport;
    }

    public Call next() {
        int n = index++;
        Call c = switch (random.nextInt(5)) {
            case 0, 1 -> query();
            case 2 -> header();
            case 3 -> body();
            default -> framing();
        };
        return new Call(n, c.mutation(), c.request(), c.halfClose(), c.closes());
    }

    private Call query() {
        String field = pick(FIELDS);
        String value = random.nextInt(8) == 0 ? "x".repeat(100 + random.nextInt(6000)) : pick(VALUES);
        // a name written with an escape (clientI%64): the server's own lookup threw on one, a 500
        String name = random.nextInt(4) == 0 ? escaped(field) : field;
        // now and then the name alone, without '=' (?deploymentKey): an empty value list that once made a 500
        String part = random.nextInt(6) == 0 ? name : name + "=" + value;
        String query = validQuery.replaceFirst(field + "=[^&]*", java.util.regex.Matcher.quoteReplacement(part));
        if (!query.contains(part)) {
            query += "&" + part;
        }
        String route = random.nextBoolean() ? "/v1/check" : "/v1/compat/check";
        return new Call(0, route + " " + part.substring(0, Math.min(name.length() + 21, part.length())), head("GET " + route + "?" + query), false);
    }

    /** {@code name} with one character written as a percent-escape, now and then a malformed one. */
    private String escaped(String name) {
        int at = random.nextInt(name.length());
        String escape = random.nextInt(5) == 0 ? pick(new String[]{"%", "%6", "%zz", "%+"}) : String.format(random.nextBoolean() ? "%%%02x" : "%%%02X",
                (int) name.charAt(at));
        return name.substring(0, at) + escape + name.substring(at + 1);
    }

    private Call header() {
        String name = pick(new String[]{"X-Brand", "X-Channel", "X-Client-Id", "X-Sign", "X-Platform"});
        byte[] bad = pick(HEADER_BYTES);
        String route = random.nextBoolean() ? "/v1/check" : "/v1/compat/check";
        String query = validQuery.replaceAll("&?(brand|channel|clientId|sign)=[^&]*", "");
        byte[] request = concat(ascii("GET " + route + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + name + ": a"), bad,
                ascii("b\r\n\r\n"));
        return new Call(0, route + " header " + name + " with bytes " + java.util.HexFormat.of().formatHex(bad), request, false);
    }

    private Call body() {
        byte[] body = validReport.getBytes(StandardCharsets.UTF_8);
        String what;
        switch (random.nextInt(6)) {
            case 0 -> {
                int at = random.nextInt(body.length);
                body[at] ^= (byte) (1 << random.nextInt(8));
                what = "bit flipped at " + at;
            }
            case 1 -> {
                int cut = random.nextInt(body.length);
                body = java.util.Arrays.copyOf(body, cut);
                what = "truncated to " + cut;
            }
            case 2 -> {
                int at = validReport.indexOf('"', 1) + 1;
                body = concat(java.util.Arrays.copyOf(body, at), pick(HEADER_BYTES), java.util.Arrays.copyOfRange(body, at, body.length));
                what = "malformed UTF-8 in a key";
            }
            case 3 -> {
                body = (validReport + pick(new String[]{" {}", "x", "\u0000", ",", "\n1"})).getBytes(StandardCharsets.UTF_8);
                what = "text after the value";
            }
            case 4 -> {
                body = validReport.replaceFirst("\"releaseId\": *[0-9]+", "\"releaseId\": " + pick(new String[]{"\"1\"", "1.5", "-1", "0", "1e3",
                        "99999999999999999999999", "null", "[]", "true"})).getBytes(StandardCharsets.UTF_8);
                what = "releaseId odd";
            }
            default -> {
                body = validReport.replaceFirst("\\{", "{\"" + pick(new String[]{"event", "x", "\\ud800", "deploymentKey"}) + "\": 1, ")
                        .getBytes(StandardCharsets.UTF_8);
                what = "duplicate or unknown key";
            }
        }
        return new Call(0, "report " + what, concat(head("POST /v1/report", "Content-Type: application/json", "Content-Length: " + body.length), body),
                false);
    }

    private Call framing() {
        Call c = lyingFraming();
        return new Call(0, c.mutation(), c.request(), c.halfClose(), true);
    }

    private Call lyingFraming() {
        byte[] body = validReport.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(6)) {
            case 0 -> new Call(0, "Content-Length negative", concat(head("POST /v1/report", "Content-Length: -" + random.nextInt(99)), body), false);
            case 1 -> new Call(0, "Content-Length twice", concat(head("POST /v1/report", "Content-Length: " + body.length,
                    "Content-Length: " + (body.length + 1)), body), false);
            case 2 -> new Call(0, "body shorter than announced", concat(head("POST /v1/report", "Content-Length: " + (body.length + 1
                    + random.nextInt(500))), body), true);
            case 3 -> new Call(0, "malformed chunks", concat(head("POST /v1/report", "Transfer-Encoding: chunked"),
                    ascii(pick(new String[]{"zz\r\nab\r\n0\r\n\r\n", "-1\r\n", "2\r\nab", "5\r\nab\r\n0\r\n\r\n"}))), true);
            case 4 -> new Call(0, "Content-Encoding", concat(head("POST /v1/report", "Content-Length: " + body.length,
                    "Content-Encoding: " + pick(new String[]{"gzip", "br", "x"})), body), false);
            default -> new Call(0, "check with a lying body", head("GET /v1/check?" + validQuery, "Content-Length: " + pick(new String[]{"-1", "abc",
                    "5"})), true);
        };
    }

    private static byte[] head(String methodAndTarget, String... headers) {
        StringBuilder b = new StringBuilder(methodAndTarget).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return ascii(b.append("\r\n").toString());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }
}

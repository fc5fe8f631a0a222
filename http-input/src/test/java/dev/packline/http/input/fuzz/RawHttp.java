package dev.packline.http.input.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 exchange over a plain socket, for requests no well-behaved client would send: the
 * bytes go out exactly as given, and the answer is read as far as it can be within a deadline.
 * Shared (http-input test-jar) by the apps' hostile-input tests and fuzzers; loopback only.
 */
public final class RawHttp {

    /**
     * What came back: the status (-1 when nothing parsable did), headers with lower-case names, the
     * body, how it ended, and whether the server then closed the connection ({@code closedAfter}:
     * false when more bytes came, or, when asked to wait for it, the connection stayed open for {@link #CLOSE_WAIT}).
     */
    public record Answer(int status, Map<String, String> headers, String body, Ending ending, long millis, boolean closedAfter) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return ending + " " + status + " " + headers + " " + body;
        }
    }

    /** How an exchange ended: a whole answer, the deadline passing first, or the server closing without a full answer. */
    public enum Ending { ANSWERED, TIMED_OUT, CLOSED }

    /** How long a connection may stay open after an answer to a request that asked to close it. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private RawHttp() {
    }

    /**
     * Sends {@code request} to 127.0.0.1:port and reads one answer. With {@code halfClose} the
     * client's side is shut after sending (a client that has nothing more to say, e.g. a body
     * shorter than announced).
     */
    public static Answer exchange(int port, byte[] request, boolean halfClose, Duration deadline) throws IOException {
        return exchange(port, request, halfClose, deadline, false);
    }

    /** As above; with {@code awaitClose} the server must then close the connection within {@link #CLOSE_WAIT}, sending nothing more. */
    public static Answer exchange(int port, byte[] request, boolean halfClose, Duration deadline, boolean awaitClose) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) deadline.toMillis());
            socket.setSoTimeout((int) Math.max(1, deadline.toMillis()));
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // the server may refuse and close before taking every byte; what it answered is still readable
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Ending ending = read(socket.getInputStream(), got, start, deadline);
            long millis = (System.nanoTime() - start) / 1_000_000;
            byte[] bytes = got.toByteArray();
            int length = answerLength(bytes);
            boolean moreCame = length >= 0 && bytes.length > length; // a second answer: the server read on after this one
            boolean closedAfter = !moreCame && (ending != Ending.ANSWERED || !awaitClose || closes(socket));
            return parse(length >= 0 ? java.util.Arrays.copyOf(bytes, length) : bytes, ending, millis, closedAfter);
        }
    }

    /** Whether the server closes the connection, sending nothing more, within {@link #CLOSE_WAIT}. */
    private static boolean closes(Socket socket) {
        try {
            socket.setSoTimeout((int) CLOSE_WAIT.toMillis());
            return socket.getInputStream().read() < 0;
        } catch (IOException e) {
            return e instanceof java.net.SocketException; // a reset is a close; a timeout is not
        }
    }

    private static Ending read(InputStream in, ByteArrayOutputStream got, long start, Duration deadline) {
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                if (complete(got.toByteArray())) {
                    return Ending.ANSWERED;
                }
                if (System.nanoTime() - start > deadline.toNanos()) {
                    return Ending.TIMED_OUT;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return complete(got.toByteArray()) ? Ending.ANSWERED : Ending.CLOSED;
                }
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return Ending.TIMED_OUT;
        } catch (IOException e) {
            return complete(got.toByteArray()) ? Ending.ANSWERED : Ending.CLOSED;
        }
    }

    /** Whether the bytes hold a whole answer: the head and as much body as Content-Length says (or a chunked body's last chunk). */
    private static boolean complete(byte[] bytes) {
        int length = answerLength(bytes);
        if (length >= 0) {
            return bytes.length >= length;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0 && "chunked".equalsIgnoreCase(headers(text.substring(0, end)).getOrDefault("transfer-encoding", ""))) {
            return text.endsWith("\r\n0\r\n\r\n") || text.substring(end + 4).startsWith("0\r\n\r\n");
        }
        return false; // read until the server closes
    }

    /** The length of the first answer (head and Content-Length body), -1 while it is not known. */
    private static int answerLength(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return -1;
        }
        String length = headers(text.substring(0, end)).get("content-length");
        return length == null ? -1 : end + 4 + Integer.parseInt(length.trim());
    }

    private static Answer parse(byte[] bytes, Ending ending, long millis, boolean closedAfter) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            return new Answer(-1, Map.of(), text, ending == Ending.ANSWERED ? Ending.CLOSED : ending, millis, closedAfter);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        Map<String, String> headers = end < 0 ? Map.of() : headers(text.substring(0, end));
        String raw = end < 0 ? "" : text.substring(end + 4); // one char per byte until the body's framing is undone
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            raw = dechunk(raw);
        }
        String body = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Answer(status, headers, body, ending == Ending.CLOSED && end >= 0 ? Ending.ANSWERED : ending, millis, closedAfter);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int line = chunked.indexOf("\r\n", at);
            if (line < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, line).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, line + 2, Math.min(chunked.length(), line + 2 + size));
            at = line + 2 + size + 2;
        }
        return out.toString();
    }
}

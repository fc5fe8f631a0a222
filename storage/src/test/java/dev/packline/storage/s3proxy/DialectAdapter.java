package dev.packline.storage.s3proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small HTTP/1.1 server on loopback that makes S3Proxy speak the OSS or KS3 dialect: it renames
 * {@code x-oss-copy-source*} / {@code x-kss-copy-source*} and user metadata headers to their
 * {@code x-amz-} names, buffers chunked bodies, drops the providers' signatures (S3Proxy runs with
 * auth none), strips the XML namespace from responses and pads {@code LastModified} to
 * milliseconds, as the real SDK clients expect. Tests add {@link Fault}s (error statuses, dropped
 * connections mid-body, slow answers, corrupted bodies) and read what was received.
 */
public final class DialectAdapter implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "transfer-encoding",
            "upgrade", "date", "authorization", "from", "via", "warning", "keep-alive", "te", "trailer");

    public enum Dialect {
        OSS("x-oss-"), KS3("x-kss-");

        final String headerPrefix;

        Dialect(String headerPrefix) {
            this.headerPrefix = headerPrefix;
        }
    }

    /** What the adapter received: method, path, query, body bytes, and the request headers as sent. */
    public record Received(String method, String path, String query, long bodyBytes, Map<String, String> headers) {
        public boolean isPartUpload() {
            return method.equals("PUT") && query.contains("partNumber=") && !isCopy();
        }

        public boolean isCopy() {
            return headers.keySet().stream().anyMatch(h -> h.endsWith("copy-source"));
        }

        public boolean isComplete() {
            return method.equals("POST") && query.contains("uploadId=");
        }
    }

    public enum FaultKind { STATUS_500, STATUS_503, STATUS_403, DROP_MID_BODY, DELAY, CORRUPT_BODY }

    /** Applied to the next {@code times} requests that match. */
    public static final class Fault {
        final Predicate<Received> matches;
        final FaultKind kind;
        final AtomicInteger left;
        final Duration delay;

        public Fault(Predicate<Received> matches, FaultKind kind, int times, Duration delay) {
            this.matches = matches;
            this.kind = kind;
            this.left = new AtomicInteger(times);
            this.delay = delay;
        }

        public int left() {
            return left.get();
        }
    }

    private final Dialect dialect;
    private final URI backend;
    private final ServerSocket server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public DialectAdapter(Dialect dialect, URI backend) throws IOException {
        this.dialect = dialect;
        this.backend = backend;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("adapter-" + dialect).start(this::accept);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public Fault inject(Predicate<Received> matches, FaultKind kind, int times) {
        return inject(matches, kind, times, Duration.ZERO);
    }

    public Fault inject(Predicate<Received> matches, FaultKind kind, int times, Duration delay) {
        Fault fault = new Fault(matches, kind, times, delay);
        faults.add(fault);
        return fault;
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void clearReceived() {
        received.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                String method = parts[0];
                String target = parts[1];
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line; !(line = readLine(in)).isEmpty(); ) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                int q = target.indexOf('?');
                String path = q < 0 ? target : target.substring(0, q);
                String query = q < 0 ? "" : target.substring(q + 1);
                long declared = Long.parseLong(headers.getOrDefault("content-length", "0"));
                Received probe = new Received(method, path, query, declared, Map.copyOf(headers));
                Fault fault = faults.stream().filter(f -> f.matches.test(probe) && f.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0)
                        .findFirst().orElse(null);
                if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                if (fault != null && fault.kind == FaultKind.DROP_MID_BODY) {
                    in.readNBytes((int) Math.min(declared / 2, Integer.MAX_VALUE));
                    socket.setSoLinger(true, 0);
                    return; // closes the connection with half the body read
                }
                byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? readChunked(in) : in.readNBytes((int) declared);
                received.add(new Received(method, path, query, body.length, Map.copyOf(headers)));
                if (fault != null) {
                    switch (fault.kind) {
                        case STATUS_500 -> {
                            respondError(out, 500, "InternalError", "injected server error");
                            continue;
                        }
                        case STATUS_503 -> {
                            respondError(out, 503, "SlowDown", "injected throttling");
                            continue;
                        }
                        case STATUS_403 -> {
                            respondError(out, 403, "AccessDenied", "injected access denial");
                            continue;
                        }
                        case DELAY -> Thread.sleep(fault.delay.toMillis());
                        case CORRUPT_BODY -> {
                            if (body.length > 0) {
                                body[body.length / 2] ^= 0x5a;
                            }
                        }
                        default -> {
                        }
                    }
                }
                forward(out, method, target, headers, body);
                if ("close".equalsIgnoreCase(headers.get("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    private void forward(OutputStream out, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + target)).timeout(Duration.ofSeconds(60));
        headers.forEach((name, value) -> {
            if (NOT_FORWARDED.contains(name)) {
                return;
            }
            if (name.equals("content-type") && body.length == 0 && method.equals("DELETE")) {
                return; // KS3 sends Content-Type: application/xml on a bodiless abort, which S3Proxy answers with 400
            }
            String renamed = name.startsWith(dialect.headerPrefix) ? "x-amz-" + name.substring(dialect.headerPrefix.length()) : name;
            request.header(renamed, value);
        });
        boolean hasBody = body.length > 0 || method.equals("PUT") || method.equals("POST");
        request.method(method, hasBody ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] responseBody = response.body() == null ? new byte[0] : response.body();
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (contentType.contains("xml") && responseBody.length > 0) {
            String xml = new String(responseBody, StandardCharsets.UTF_8)
                    .replaceAll(" xmlns=\"[^\"]*\"", "")
                    .replaceAll("(<(LastModified|Initiated)>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)Z", "$1.000Z");
            responseBody = xml.getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.statusCode()).append(' ').append(reason(response.statusCode())).append("\r\n");
        List<String> skip = List.of("content-length", "transfer-encoding", "connection", ":status");
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (skip.contains(lower)) {
                return;
            }
            String renamed = lower.startsWith("x-amz-meta-") ? dialect.headerPrefix + lower.substring("x-amz-".length()) : name;
            values.forEach(v -> head.append(renamed).append(": ").append(v).append("\r\n"));
        });
        long length = method.equals("HEAD")
                ? response.headers().firstValueAsLong("content-length").orElse(0)
                : responseBody.length;
        head.append("Content-Length: ").append(length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (!method.equals("HEAD")) {
            out.write(responseBody);
        }
        out.flush();
    }

    private void respondError(OutputStream out, int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>injected</RequestId><HostId>127.0.0.1</HostId></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/xml\r\nx-oss-request-id: injected\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("chunked body ended early");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (true) {
                    String trailer = readLine(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : new ArrayList<>(open)) {
            socket.close();
        }
        client.close();
    }
}

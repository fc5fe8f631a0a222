package dev.packline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A publisher's webhook endpoint on loopback: takes the workers' Standard Webhooks deliveries,
 * checks each signature with the shared secret, and remembers the request summaries.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Delivery(boolean signatureValid, String title) {
    }

    private final HttpServer server;
    private final byte[] key;
    private final Map<String, Delivery> summaries = new ConcurrentHashMap<>();
    /** By request, the distinct {@code webhook-id}s of its summaries: a redelivery keeps its id, a second notification has its own. */
    private final Map<String, Set<String>> summaryIds = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server, byte[] key) {
        this.server = server;
        this.key = key;
    }

    public static WebhookReceiver start(String secret) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        WebhookReceiver receiver = new WebhookReceiver(server, Base64.getDecoder().decode(secret.substring("whsec_".length())));
        server.createContext("/hooks", receiver::handle);
        server.start();
        return receiver;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            boolean valid = id != null && timestamp != null && signatures != null && signed(id, timestamp, body, signatures);
            JsonNode alert = JSON.readTree(body).path("data");
            String alertKey = alert.path("key").asText();
            if (alertKey.startsWith("request:")) {
                summaries.merge(alertKey.substring("request:".length()), new Delivery(valid, alert.path("title").asText()),
                        (old, now) -> old.signatureValid() ? old : now);
                summaryIds.computeIfAbsent(alertKey.substring("request:".length()), k -> ConcurrentHashMap.newKeySet()).add(String.valueOf(id));
            }
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
        }
    }

    private boolean signed(String id, String timestamp, byte[] body, String signatures) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public boolean received(String requestId) {
        return summaries.containsKey(requestId);
    }

    /** How many notifications (distinct webhook ids) the request's summary came in: one, when nothing sends it twice. */
    public int notifications(String requestId) {
        return summaryIds.getOrDefault(requestId, Set.of()).size();
    }

    public boolean verifiedFor(String requestId) {
        Delivery d = summaries.get(requestId);
        return d != null && d.signatureValid();
    }

    public String describe(String requestId) {
        Delivery d = summaries.get(requestId);
        if (d == null) {
            return "no webhook received for the request";
        }
        return "webhook received at " + url() + ", signature " + (d.signatureValid() ? "valid" : "INVALID") + ": \"" + d.title() + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

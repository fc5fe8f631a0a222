package dev.packline.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Any HTTP endpoint, signed the Standard Webhooks way (standardwebhooks.com), so receivers can use
 * that project's libraries to verify: headers {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds at sending) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>}
 * keyed with the base64 part of a {@code whsec_...} secret. The body is the alert with all its
 * fields in the spec's envelope: {@code {"type":"alert.firing","timestamp":...,"data":{...}}}.
 *
 * <p>The id is a digest of the body, so the same alert sent again (a retry here, or the caller
 * sending it again later) keeps its id and receivers can drop the duplicate.
 */
public final class WebhookChannel implements AlertChannel {
    static final String SECRET_PREFIX = "whsec_";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint endpoint;
    private final byte[] key;
    private final WebhookClient client;

    /** @param secret {@code whsec_} followed by the base64 key */
    public WebhookChannel(String name, URI url, String secret, WebhookClient client) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with " + SECRET_PREFIX);
        }
        this.endpoint = new Endpoint(name, "webhook", url, secret);
        this.key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        this.client = client;
    }

    @Override
    public String name() {
        return endpoint.channel();
    }

    @Override
    public void send(Alert alert) throws NotificationException {
        String body = body(alert);
        String id = messageId(body);
        client.post(endpoint, () -> {
            String timestamp = Long.toString(client.clock().instant().getEpochSecond());
            byte[] mac = HmacSha256.of(key, (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return new WebhookClient.Outgoing(endpoint.url(), Map.of("webhook-id", id, "webhook-timestamp", timestamp,
                    "webhook-signature", "v1," + Base64.getEncoder().encodeToString(mac)), body);
        });
    }

    static String body(Alert alert) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "alert." + alert.status().name().toLowerCase(Locale.ROOT));
        root.put("timestamp", alert.at() == null ? null : DateTimeFormatter.ISO_INSTANT.format(alert.at()));
        ObjectNode data = root.putObject("data");
        data.put("key", alert.key());
        data.put("severity", alert.severity().name());
        data.put("status", alert.status().name());
        data.put("title", alert.title());
        data.put("text", alert.text());
        ObjectNode labels = data.putObject("labels");
        new TreeMap<>(alert.labels() == null ? Map.<String, String>of() : alert.labels()).forEach(labels::put);
        data.put("at", alert.at() == null ? null : DateTimeFormatter.ISO_INSTANT.format(alert.at()));
        return root.toString();
    }

    private static String messageId(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

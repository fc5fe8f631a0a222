package dev.packline.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A DingTalk group robot ({@code https://oapi.dingtalk.com/robot/send?access_token=...}). With a
 * signing secret ("加签", {@code SEC...}) each request carries {@code timestamp} (ms) and
 * {@code sign} = urlencode(base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret))) as
 * query parameters; DingTalk refuses timestamps more than an hour off. The robot answers HTTP 200
 * with {@code errcode} != 0 when it refuses a message (bad signature, keyword missing, over its
 * 20 messages a minute).
 */
public final class DingTalkChannel implements AlertChannel {
    public enum Format { MARKDOWN, TEXT }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint endpoint;
    private final String secret;
    private final Format format;
    private final WebhookClient client;

    /** @param secret the robot's signing secret, or null when it is secured by keyword or IP instead */
    public DingTalkChannel(String name, URI url, String secret, Format format, WebhookClient client) {
        this.endpoint = new Endpoint(name, "dingtalk", url, secret);
        this.secret = secret;
        this.format = format;
        this.client = client;
    }

    @Override
    public String name() {
        return endpoint.channel();
    }

    @Override
    public void send(Alert alert) throws NotificationException {
        String body = body(alert);
        WebhookClient.Response reply = client.post(endpoint, () -> new WebhookClient.Outgoing(signedUrl(), Map.of(), body));
        endpoint.requireZeroCode(reply, "errcode", "errmsg");
    }

    private String body(Alert alert) {
        ObjectNode root = JSON.createObjectNode();
        if (format == Format.MARKDOWN) {
            root.put("msgtype", "markdown");
            root.putObject("markdown")
                    .put("title", AlertText.heading(alert))
                    .put("text", AlertText.truncate(AlertText.markdown(alert), AlertText.DEFAULT_MAX_BYTES));
        } else {
            root.put("msgtype", "text");
            root.putObject("text").put("content", AlertText.truncate(AlertText.plain(alert), AlertText.DEFAULT_MAX_BYTES));
        }
        return root.toString();
    }

    private URI signedUrl() {
        if (secret == null) {
            return endpoint.url();
        }
        long timestamp = client.clock().millis();
        byte[] mac = HmacSha256.of(secret.getBytes(StandardCharsets.UTF_8), (timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        String sign = URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
        String url = endpoint.url().toString();
        return URI.create(url + (endpoint.url().getRawQuery() == null ? "?" : "&") + "timestamp=" + timestamp + "&sign=" + sign);
    }
}

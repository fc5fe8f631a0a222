package dev.packline.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.Map;

/**
 * A WeCom (企业微信) group robot ({@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...}).
 * The key in the URL is the only credential: no signing. Content is limited to 4096 bytes of
 * markdown or 2048 bytes of text (UTF-8), so longer alerts are cut with a marker rather than
 * refused. Refusals come as HTTP 200 with {@code errcode} != 0.
 */
public final class WeComChannel implements AlertChannel {
    public enum Format {
        MARKDOWN(4096), TEXT(2048);

        final int maxContentBytes;

        Format(int maxContentBytes) {
            this.maxContentBytes = maxContentBytes;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint endpoint;
    private final Format format;
    private final WebhookClient client;

    public WeComChannel(String name, URI url, Format format, WebhookClient client) {
        this.endpoint = new Endpoint(name, "wecom", url, null);
        this.format = format;
        this.client = client;
    }

    @Override
    public String name() {
        return endpoint.channel();
    }

    @Override
    public void send(Alert alert) throws NotificationException {
        ObjectNode root = JSON.createObjectNode();
        if (format == Format.MARKDOWN) {
            root.put("msgtype", "markdown");
            root.putObject("markdown").put("content", AlertText.truncate(AlertText.markdown(alert), format.maxContentBytes));
        } else {
            root.put("msgtype", "text");
            root.putObject("text").put("content", AlertText.truncate(AlertText.plain(alert), format.maxContentBytes));
        }
        String body = root.toString();
        WebhookClient.Response reply = client.post(endpoint, () -> new WebhookClient.Outgoing(endpoint.url(), Map.of(), body));
        endpoint.requireZeroCode(reply, "errcode", "errmsg");
    }
}

package dev.packline.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;

/**
 * Where one channel posts, and how it names itself when that fails: "notification channel 'ops'
 * (dingtalk at oapi.dingtalk.com)". Every exception a channel throws is made here, so each names
 * its channel and none carries the URL's tokens or the secret.
 */
final class Endpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUOTED_BODY_CHARS = 300;

    private final String channel;
    private final String kind;
    private final URI url;
    private final Redactor redactor;

    Endpoint(String channel, String kind, URI url, String secret) {
        this.channel = channel;
        this.kind = kind;
        this.url = url;
        this.redactor = Redactor.of(url, secret);
    }

    String channel() {
        return channel;
    }

    URI url() {
        return url;
    }

    /** For messages and logs: the channel's name, kind and host, never its path or query. */
    String describe() {
        return "notification channel '" + channel + "' (" + kind + " at " + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + ")";
    }

    NotificationException rejected(String problem) {
        return new NotificationException(channel, NotificationException.Reason.REJECTED,
                redactor.scrub(describe() + " refused the message: " + problem), null);
    }

    NotificationException unavailable(String problem, Throwable cause) {
        return new NotificationException(channel, NotificationException.Reason.UNAVAILABLE,
                redactor.scrub(describe() + " is unavailable: " + problem), redactor.scrub(cause));
    }

    /** Masks this channel's credentials in text bound for a log line. */
    String scrub(String text) {
        return redactor.scrub(text);
    }

    /** A reply body for a message: masked first (so the cut cannot leave part of a token), on one line, shortened. */
    String quote(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = redactor.scrub(body).strip().replaceAll("\\s+", " ");
        return oneLine.length() <= QUOTED_BODY_CHARS ? oneLine : oneLine.substring(0, QUOTED_BODY_CHARS) + "...";
    }

    /**
     * The robots answer HTTP 200 even when they refuse a message, with the reason in the body:
     * {@code {"errcode":310000,"errmsg":"..."}} (DingTalk, WeCom) or {@code {"code":19021,"msg":"..."}}
     * (Feishu). Throws unless the first of the code fields that the reply holds is 0. A reply with
     * none of them is refused too, since the message may not have been delivered.
     *
     * @param fieldPairs code field, message field, and further pairs for older reply formats
     */
    void requireZeroCode(WebhookClient.Response reply, String... fieldPairs) throws NotificationException {
        JsonNode body;
        try {
            body = JSON.readTree(reply.body());
        } catch (IOException e) {
            body = null;
        }
        for (int i = 0; body != null && body.isObject() && i + 1 < fieldPairs.length; i += 2) {
            JsonNode code = body.get(fieldPairs[i]);
            if (code != null && code.canConvertToLong()) {
                if (code.asLong() != 0) {
                    throw rejected(fieldPairs[i] + " " + code.asLong() + ": " + quote(body.path(fieldPairs[i + 1]).asText("")));
                }
                return;
            }
        }
        throw rejected("HTTP " + reply.status() + " without '" + fieldPairs[0] + "' in the reply: " + quote(reply.body()));
    }

    @Override
    public String toString() {
        return describe();
    }
}

package dev.packline.worker.notify;

import java.util.List;

/**
 * One configured notification channel as written in the config: its kind ({@code log},
 * {@code dingtalk}, {@code wecom}, {@code feishu}, {@code slack}, {@code webhook}), the URL to post
 * to and the signing secret. Either value may be {@code env:NAME}, read from the environment when
 * the channels are built. Both usually carry credentials, so {@link #toString()} masks them.
 * {@code minLevel} ({@code info}, {@code warn}, {@code error}; null means info) drops alerts below it;
 * {@code publishers}, when not empty, makes it a channel of those publishers: it gets their request
 * summaries and no platform alerts.
 */
public record ChannelSpec(String kind, String url, String secret, String minLevel, List<String> publishers) {

    public ChannelSpec {
        publishers = publishers == null ? List.of() : List.copyOf(publishers);
    }

    /** A channel for every alert and every publisher. */
    public ChannelSpec(String kind, String url, String secret) {
        this(kind, url, secret, null, List.of());
    }

    /** The prefix that makes {@link #url} or {@link #secret} the name of an environment variable. */
    public static final String ENV_PREFIX = "env:";

    @Override
    public String toString() {
        return "ChannelSpec[kind=" + kind + ", url=" + masked(url) + ", secret=" + masked(secret)
                + (minLevel == null ? "" : ", minLevel=" + minLevel) + (publishers.isEmpty() ? "" : ", publishers=" + publishers) + "]";
    }

    private static String masked(String value) {
        if (value == null) {
            return "null";
        }
        return value.startsWith(ENV_PREFIX) ? value : "***";
    }
}

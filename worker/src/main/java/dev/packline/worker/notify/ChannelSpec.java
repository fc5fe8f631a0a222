package dev.packline.worker.notify;

/**
 * One configured notification channel as written in the config: its kind ({@code log},
 * {@code dingtalk}, {@code wecom}, {@code feishu}, {@code slack}, {@code webhook}), the URL to post
 * to and the signing secret. Either value may be {@code env:NAME}, read from the environment when
 * the channels are built. Both usually carry credentials, so {@link #toString()} masks them.
 */
public record ChannelSpec(String kind, String url, String secret) {

    /** The prefix that makes {@link #url} or {@link #secret} the name of an environment variable. */
    public static final String ENV_PREFIX = "env:";

    @Override
    public String toString() {
        return "ChannelSpec[kind=" + kind + ", url=" + masked(url) + ", secret=" + masked(secret) + "]";
    }

    private static String masked(String value) {
        if (value == null) {
            return "null";
        }
        return value.startsWith(ENV_PREFIX) ? value : "***";
    }
}

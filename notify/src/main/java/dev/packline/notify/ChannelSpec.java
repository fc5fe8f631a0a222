package dev.packline.notify;

import dev.packline.settings.Settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Reads a {@code notifications:} section (name to channel) of any app's configuration; problems go to the settings' list. */
    public static Map<String, ChannelSpec> read(Settings s) {
        Map<String, ChannelSpec> notifications = new LinkedHashMap<>();
        for (String name : s.keys("notifications")) {
            String base = "notifications." + name;
            notifications.put(name, new ChannelSpec(s.string(base + ".kind", null), s.string(base + ".url", null), s.string(base + ".secret", null),
                    s.string(base + ".minLevel", null), s.strings(base + ".publishers")));
        }
        return Map.copyOf(notifications);
    }

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

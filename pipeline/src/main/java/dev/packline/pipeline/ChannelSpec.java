package dev.packline.pipeline;

import java.util.Map;

/** One channel of a request: its name (Chinese allowed) and extra key-values written beside it. */
public record ChannelSpec(String name, Map<String, String> extra) {
    public ChannelSpec {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}

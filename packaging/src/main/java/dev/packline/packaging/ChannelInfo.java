package dev.packline.packaging;

import java.util.Map;

/** A channel as read back from an APK, and the format it was stored in. */
public record ChannelInfo(String name, Map<String, String> extras, ChannelFormat format) {
    public ChannelInfo {
        extras = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extras));
    }

    /** True when this is what writing {@code channel} should have produced. */
    public boolean matches(Channel channel) {
        return name.equals(channel.name()) && extras.equals(channel.extras());
    }
}

package dev.packline.packaging;

import java.util.Locale;

/**
 * How a channel is stored in the APK Signing Block, chosen so that apps already using one of the
 * common client SDKs read Packline's channels unchanged.
 */
public enum ChannelFormat {
    /** Walle: id 0x71777777, a UTF-8 JSON object {"channel": name, extra keys...}. The default. */
    WALLE,
    /** VasDolly: id 0x881155ff, the raw UTF-8 channel name (extras cannot be carried). */
    VASDOLLY,
    /** Both pairs, for apps migrating from one SDK to the other. */
    BOTH,
    /** v1-only APKs (no signing block): an empty META-INF/channel_NAME entry. Only read, never chosen. */
    V1_ENTRY;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace("v1_entry", "v1-entry");
    }

    /** Parses a --format value: walle, vasdolly or both. */
    public static ChannelFormat parse(String value) throws PackagingException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "walle" -> WALLE;
            case "vasdolly" -> VASDOLLY;
            case "both" -> BOTH;
            default -> throw new PackagingException(PackagingException.Problem.INVALID_ARGUMENT,
                    "unknown channel format '" + value + "': expected walle, vasdolly or both");
        };
    }
}

package dev.packline.releases.rollout;

import dev.packline.releases.ClientVersion;
import dev.packline.releases.ReleaseKind;

/**
 * What a client says about itself when it asks for an update.
 *
 * @param brand   its phone brand (gray releases may choose brands); may be null
 * @param channel the channel it was installed from (an APK client gets its own channel's file); may be null
 * @param sign    the MD5 or SHA-256 of its installed file; may be null (nothing installed yet)
 */
public record ClientInfo(String platform, ReleaseKind kind, ClientVersion version, String clientId, String brand, String channel,
                         String sign) {
}

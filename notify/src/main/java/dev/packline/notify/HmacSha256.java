package dev.packline.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/** HMAC-SHA256, the one primitive behind the DingTalk, Feishu and Standard Webhooks signatures. */
final class HmacSha256 {
    private HmacSha256() {
    }

    static byte[] of(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e); // every JDK must provide it
        }
    }
}

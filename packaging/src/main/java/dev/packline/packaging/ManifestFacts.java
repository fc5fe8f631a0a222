package dev.packline.packaging;

import java.io.IOException;
import java.nio.file.Path;
import net.dongliu.apk.parser.ApkFile;
import net.dongliu.apk.parser.bean.ApkMeta;

/**
 * What the binary AndroidManifest.xml says, read with apk-parser. The label is resolved through
 * resources.arsc, so "@string/app_name" becomes the app's (possibly Chinese) name.
 */
public record ManifestFacts(String packageName, String versionName, long versionCode, int minSdk, int targetSdk,
        String label) {

    public static ManifestFacts read(Path apk) throws PackagingException {
        try (ApkFile file = new ApkFile(apk.toFile())) {
            ApkMeta meta = file.getApkMeta();
            if (meta == null || meta.getPackageName() == null) {
                throw new MalformedApkException("AndroidManifest.xml names no package");
            }
            int minSdk = sdk(meta.getMinSdkVersion(), 1);
            return new ManifestFacts(meta.getPackageName(), meta.getVersionName() == null ? "" : meta.getVersionName(),
                    meta.getVersionCode() == null ? 0 : meta.getVersionCode(), minSdk,
                    sdk(meta.getTargetSdkVersion(), minSdk), meta.getLabel() == null ? "" : meta.getLabel());
        } catch (PackagingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // apk-parser reports bad binary XML as assorted runtime exceptions
            throw new MalformedApkException("cannot parse AndroidManifest.xml (" + e.getMessage() + ")", e);
        }
    }

    /** SDK levels are numbers, except preview codenames, which count as the newest level. */
    private static int sdk(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException codename) {
            return 10_000;
        }
    }
}

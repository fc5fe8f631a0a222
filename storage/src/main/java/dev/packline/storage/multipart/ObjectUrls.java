package dev.packline.storage.multipart;

import dev.packline.storage.CloudStoreSettings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The download address of an object: under the configured public base URL, else the endpoint, path or virtual-host style. */
public final class ObjectUrls {
    private ObjectUrls() {
    }

    public static String of(CloudStoreSettings settings, String objectKey) {
        String path = encode(objectKey);
        if (settings.publicBaseUrl() != null && !settings.publicBaseUrl().isBlank()) {
            String base = settings.publicBaseUrl();
            return (base.endsWith("/") ? base : base + "/") + path;
        }
        var endpoint = settings.endpoint();
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        return settings.pathStyle()
                ? endpoint.getScheme() + "://" + endpoint.getHost() + port + "/" + settings.bucket() + "/" + path
                : endpoint.getScheme() + "://" + settings.bucket() + "." + endpoint.getHost() + port + "/" + path;
    }

    private static String encode(String key) {
        StringBuilder out = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}

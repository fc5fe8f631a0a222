package dev.packline.worker;

import dev.packline.storage.CloudStoreSettings;
import dev.packline.storage.CloudStoreSettings.Credentials;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One configured object store as written under {@code stores:}. Credentials are references, never
 * values: {@code env:NAME} (an environment variable) or {@code file:PATH} (a file holding only the
 * value, e.g. a mounted Kubernetes secret), resolved when the store is opened, so no key ever sits
 * in the YAML, in this record or in a log line.
 */
public record StoreConfig(String name, String kind, Path path, URI endpoint, String bucket, String prefix, String accessKeyIdRef,
                          String accessKeySecretRef, boolean pathStyle, long partSize, long multipartThreshold, long copyPartSize,
                          int concurrency, Duration requestTimeout, Duration connectTimeout, int maxAttempts, String publicBaseUrl) {

    public static final String ENV = "env:";
    public static final String FILE = "file:";

    public boolean local() {
        return kind.equals("local");
    }

    /** Whether a credential reference has a form this class can resolve. */
    static boolean validReference(String ref) {
        return ref != null && ((ref.startsWith(ENV) && ref.length() > ENV.length()) || (ref.startsWith(FILE) && ref.length() > FILE.length()));
    }

    /** The cloud settings with credentials read from the environment or files; the message names what is missing, never a value. */
    public CloudStoreSettings cloud(Map<String, String> env) {
        Credentials credentials = new Credentials(resolve(accessKeyIdRef, "accessKeyId", env), resolve(accessKeySecretRef, "accessKeySecret", env));
        return new CloudStoreSettings(name, CloudStoreSettings.Kind.parse(kind), endpoint, bucket, prefix, credentials, pathStyle, partSize,
                multipartThreshold, copyPartSize, concurrency, requestTimeout, connectTimeout, maxAttempts, publicBaseUrl);
    }

    private String resolve(String ref, String field, Map<String, String> env) {
        if (ref.startsWith(ENV)) {
            String variable = ref.substring(ENV.length());
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("stores." + name + "." + field + ": environment variable " + variable + " is not set");
            }
            return value.trim();
        }
        Path file = Path.of(ref.substring(FILE.length()));
        try {
            String value = Files.readString(file).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("stores." + name + "." + field + ": " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("stores." + name + "." + field + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "StoreConfig[" + name + ", " + kind + (local() ? ", " + path : ", " + endpoint + ", bucket " + bucket + ", key id from "
                + accessKeyIdRef + ", secret from " + accessKeySecretRef) + "]";
    }
}

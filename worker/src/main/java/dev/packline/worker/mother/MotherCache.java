package dev.packline.worker.mother;

import dev.packline.pipeline.RequestRules;
import dev.packline.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Brings mother APKs into a local content-addressed cache: {@code file://} under the allowed roots,
 * {@code store://NAME/KEY} from a configured object store, {@code https://} from allowed hosts (the
 * location checks are {@link RequestRules}', shared with the API so both accept the same locations).
 * Each location is fetched once per worker however many jobs ask at the same time; the cache is
 * capped in bytes and evicts the least recently used mothers (a file still open by a running job
 * stays readable after it is unlinked).
 */
public final class MotherCache {
    private static final Logger log = LoggerFactory.getLogger(MotherCache.class);

    public record Params(Path dir, long maxBytes, List<Path> allowedRoots, Set<String> allowedHosts, Map<String, ObjectStore> stores,
                         HttpClient http, Duration downloadTimeout, Listener listener) {
    }

    /** Told about every lookup (for the cache-hit metric). */
    public interface Listener {
        Listener NONE = (hit, bytes) -> { };

        void looked(boolean hit, long bytes);
    }

    private final Params params;
    private final Path dir;
    private final Map<String, CompletableFuture<Mother>> byLocation = new ConcurrentHashMap<>();
    /** When each cached file was last asked for. Kept in memory, not as file times: a mother's bytes and times never change once cached. */
    private final Map<Path, Long> lastUsed = new ConcurrentHashMap<>();
    private final List<Path> roots;

    public MotherCache(Params params) throws IOException {
        this.params = params;
        this.dir = Files.createDirectories(params.dir()).toRealPath();
        this.roots = params.allowedRoots().stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The mother at a location, fetched unless this worker has it already. */
    public Mother fetch(String location) throws MotherRejectedException, IOException, InterruptedException {
        while (true) {
            CompletableFuture<Mother> mine = new CompletableFuture<>();
            CompletableFuture<Mother> existing = byLocation.putIfAbsent(location, mine);
            if (existing == null) {
                try {
                    Mother mother = download(location);
                    mine.complete(mother);
                    params.listener().looked(false, mother.size());
                    return mother;
                } catch (Exception e) {
                    byLocation.remove(location, mine); // not cached: the next job tries again
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                Mother mother = existing.get();
                if (Files.isRegularFile(mother.file())) {
                    lastUsed.put(mother.file(), System.nanoTime());
                    params.listener().looked(true, mother.size());
                    return mother;
                }
                byLocation.remove(location, existing); // evicted since: fetch again
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MotherRejectedException rejected) {
                    throw rejected;
                }
                throw new IOException("fetching " + location + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private Mother download(String location) throws MotherRejectedException, IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new MotherRejectedException("mother location '" + location + "' is not a valid URI: " + e.getMessage());
        }
        Path temp = Files.createTempFile(dir, ".download-", ".tmp");
        try {
            MessageDigest sha = sha256();
            long size;
            try (InputStream in = new DigestInputStream(open(uri, location), sha); OutputStream out = Files.newOutputStream(temp)) {
                size = copyCapped(in, out, location);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path target = dir.resolve(hex + ".apk");
            if (Files.exists(target)) {
                Files.delete(temp); // the same bytes under another location: keep the cached file untouched (writers may have it open)
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            lastUsed.put(target, System.nanoTime());
            log.info("mother {} cached as {} ({} bytes)", location, hex, size);
            evict(target);
            return new Mother(hex, target, size);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private InputStream open(URI uri, String location) throws MotherRejectedException, IOException, InterruptedException {
        switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "file" -> {
                String problem = RequestRules.fileProblem(uri, location, roots);
                if (problem != null) {
                    throw new MotherRejectedException("mother " + problem);
                }
                return Files.newInputStream(Path.of(uri).toRealPath());
            }
            case "store" -> {
                ObjectStore store = params.stores().get(uri.getHost());
                if (store == null) {
                    throw new MotherRejectedException("mother " + location + " names store '" + uri.getHost() + "', which is not configured; stores: " + params.stores().keySet());
                }
                String key = uri.getPath().replaceFirst("^/", "");
                if (store.stat(key).isEmpty()) {
                    throw new MotherRejectedException("mother " + location + ": no object '" + key + "' in store " + store.name());
                }
                return store.open(key);
            }
            case "https" -> {
                String problem = RequestRules.httpsProblem(uri, location, params.allowedHosts(), false);
                if (problem != null) {
                    throw new MotherRejectedException("mother " + problem);
                }
                HttpResponse<InputStream> response = params.http().send(HttpRequest.newBuilder(uri).timeout(params.downloadTimeout()).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 404 || response.statusCode() == 403 || response.statusCode() == 410) {
                    response.body().close();
                    throw new MotherRejectedException("mother " + location + " answered HTTP " + response.statusCode());
                }
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new IOException("mother " + location + " answered HTTP " + response.statusCode() + "; will retry");
                }
                return response.body();
            }
            default -> throw new MotherRejectedException("mother location '" + location + "' must be file://, store://NAME/KEY or https://");
        }
    }

    private long copyCapped(InputStream in, OutputStream out, String location) throws IOException, MotherRejectedException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > params.maxBytes()) {
                throw new MotherRejectedException("mother " + location + " is larger than the whole cache (" + params.maxBytes() + " bytes; mothers.cacheMaxBytes)");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    /** Deletes least recently used mothers until the cache fits, never the one just added. */
    private synchronized void evict(Path keep) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".apk"))
                    .sorted(Comparator.comparing((Path p) -> lastUsed.getOrDefault(p, Long.MIN_VALUE))).toList();
        }
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        for (Path f : files) {
            if (total <= params.maxBytes()) {
                break;
            }
            if (!f.equals(keep)) {
                total -= Files.size(f);
                Files.deleteIfExists(f);
                lastUsed.remove(f);
                log.info("mother cache over {} bytes: evicted {}", params.maxBytes(), f.getFileName());
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.packline.storage.multipart;

import dev.packline.storage.PrefixSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Digests of a mother's prefix for part-copy uploads: the MD5 of each copied range (what the
 * store's ETag of that part must be) and the SHA-256 state after the whole prefix. They are read
 * from the local copy once per (file, ranges) and kept for the next channels of the same mother,
 * which then cost hashing their tail only (the SHA-256 state is cloned and finished with the tail).
 */
final class PrefixDigests {
    private static final int KEPT = 16;

    record Digests(List<String> md5s, MessageDigest sha256AfterPrefix) {
        String sha256With(byte[] tail) {
            try {
                MessageDigest sha = (MessageDigest) sha256AfterPrefix.clone();
                return HexFormat.of().formatHex(sha.digest(tail));
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("this JVM's SHA-256 cannot be cloned", e);
            }
        }
    }

    private final Map<String, Digests> cache = new LinkedHashMap<>(16, 0.75f, true);

    Digests of(PrefixSource source, List<long[]> ranges) throws IOException {
        String cacheKey = source.localCopy() + ":" + Files.size(source.localCopy()) + ":" + Files.getLastModifiedTime(source.localCopy()).toMillis()
                + ":" + ranges.stream().map(r -> r[0] + "+" + r[1]).toList();
        synchronized (cache) {
            Digests cached = cache.get(cacheKey);
            if (cached != null) {
                return cached;
            }
        }
        Content file = Content.of(source.localCopy());
        MessageDigest sha = PartPlan.digest("SHA-256");
        List<String> md5s = new ArrayList<>();
        for (long[] range : ranges) {
            MessageDigest md5 = PartPlan.digest("MD5");
            try (InputStream in = new DigestInputStream(new DigestInputStream(file.open(range[0], range[1]), md5), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            md5s.add(HexFormat.of().formatHex(md5.digest()));
        }
        Digests digests = new Digests(List.copyOf(md5s), sha);
        synchronized (cache) {
            cache.put(cacheKey, digests);
            if (cache.size() > KEPT) {
                cache.remove(cache.keySet().iterator().next());
            }
        }
        return digests;
    }
}

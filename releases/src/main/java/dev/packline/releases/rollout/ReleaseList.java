package dev.packline.releases.rollout;

import dev.packline.releases.Artifact;
import dev.packline.releases.Release;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The releases of one deployment, platform and kind, newest first, ready for {@link UpdatePicker}:
 * whitelists as sets and every file's hashes indexed, so a check does no scans over channels.
 * Immutable; a snapshot rebuilds it when one of its releases changes.
 */
public final class ReleaseList {
    private final List<ServedRelease> newestFirst;
    private final Map<String, Release> bySign;

    public ReleaseList(List<Release> releases) {
        this.newestFirst = releases.stream().sorted(Comparator.comparingLong(Release::id).reversed()).map(ServedRelease::new).toList();
        Map<String, Release> signs = new HashMap<>();
        for (ServedRelease s : newestFirst) { // newest first: a file shared by two releases names the newer
            for (Artifact a : s.release().artifacts().values()) {
                signs.putIfAbsent(a.sha256(), s.release());
                if (a.md5() != null) {
                    signs.putIfAbsent(a.md5(), s.release());
                }
            }
        }
        this.bySign = Map.copyOf(signs);
    }

    public List<ServedRelease> newestFirst() {
        return newestFirst;
    }

    /** The release whose file has this sign (MD5 or SHA-256, any case), or null. */
    public Release installed(String sign) {
        return sign == null ? null : bySign.get(sign.toLowerCase(Locale.ROOT));
    }

    public int size() {
        return newestFirst.size();
    }
}

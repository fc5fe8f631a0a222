package dev.packline.update.increment;

import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.Increment;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.releases.Artifact;
import dev.packline.releases.Release;
import dev.packline.releases.rollout.ClientInfo;
import dev.packline.releases.rollout.Decision;
import dev.packline.releases.rollout.ReleaseList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patches and increments a check answer offers, in the formats the client declared. Two
 * sources: the release's own mother patch (bsdiff, for a client whose installed file is the older
 * mother, as before), and increments by pair: when the client's installed file is a file of an
 * earlier release of the same target (for an APK, its channel's APK of that release), the
 * increment of each declared format from that file to the offered one, however it was made (a
 * submission's planned increments, a request's mother patches, or made on demand: see
 * {@link IncrementLookup}). An increment is offered only when it is at most
 * {@code maxRatio} of the full file's size. The answer names the smallest as {@code patch},
 * all of them by size as {@code patches}, and the declared formats still being made as
 * {@code preparing} (the client downloads the full file now, or asks again later).
 */
public final class IncrementOffers {
    private final IncrementLookup lookup;
    private final double maxRatio;

    public IncrementOffers(IncrementLookup lookup, double maxRatio) {
        this.lookup = lookup;
        this.maxRatio = maxRatio;
    }

    private record Offer(PatchFormat format, Artifact file) {
    }

    /** Replaces the answer's {@code patch} with what the client can apply, and adds {@code patches} and {@code preparing}. */
    public void addTo(Map<String, Object> body, Decision d, ClientInfo client, ReleaseList releases, Set<PatchFormat> accepted) {
        body.remove("patch");
        if (!d.update()) {
            return;
        }
        List<Offer> offers = new ArrayList<>();
        List<String> preparing = new ArrayList<>();
        if (d.patch() != null && accepted.contains(PatchFormat.BSDIFF)) {
            offers.add(new Offer(PatchFormat.BSDIFF, d.patch().file()));
        }
        Artifact to = d.artifact();
        Artifact from = installedFile(releases, client.sign());
        if (from != null && !from.sha256().equals(to.sha256())) {
            for (PatchFormat format : PatchFormat.forKind(kind(d.release()))) {
                if (!accepted.contains(format)) {
                    continue;
                }
                switch (lookup.lookup(format, from, to)) {
                    case IncrementLookup.Made made -> {
                        Increment i = made.increment();
                        if (i.bytes() <= maxRatio * to.size() && offers.stream().noneMatch(o -> o.file().sha256().equals(i.sha256()))) {
                            offers.add(new Offer(format, new Artifact(i.store() == null ? null : "store://" + i.store() + "/" + i.objectKey(), i.url(),
                                    i.bytes(), i.sha256(), i.md5())));
                        }
                    }
                    case IncrementLookup.Preparing p -> preparing.add(format.wireName());
                    case IncrementLookup.Unavailable u -> {
                    }
                }
            }
        }
        offers.sort(Comparator.comparingLong(o -> o.file().size()));
        if (!offers.isEmpty()) {
            body.put("patch", view(offers.getFirst()));
            body.put("patches", offers.stream().map(IncrementOffers::view).toList());
        }
        if (!preparing.isEmpty()) {
            body.put("preparing", preparing);
        }
    }

    /** The file the client has installed, when it is a file of a release of this target (its sign names it). */
    private static Artifact installedFile(ReleaseList releases, String sign) {
        Release installed = releases.installed(sign);
        if (installed == null) {
            return null;
        }
        return installed.artifacts().values().stream().filter(a -> a.matches(sign)).findFirst().orElse(null);
    }

    private static ArtifactKind kind(Release r) {
        return switch (r.kind()) {
            case APK -> ArtifactKind.APK;
            case BUNDLE -> ArtifactKind.BUNDLE;
            case OFFLINE -> ArtifactKind.OFFLINE;
        };
    }

    private static Map<String, Object> view(Offer o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", o.format().wireName());
        m.put("url", o.file().url());
        m.put("sign", o.file().sign());
        m.put("sha256", o.file().sha256());
        if (o.file().md5() != null) {
            m.put("md5", o.file().md5());
        }
        m.put("size", o.file().size());
        return m;
    }
}

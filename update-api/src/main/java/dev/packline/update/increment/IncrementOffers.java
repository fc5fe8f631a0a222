package dev.packline.update.increment;

import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.Increment;
import dev.packline.pipeline.artifact.PatchFormat;
import dev.packline.releases.Artifact;
import dev.packline.releases.Patch;
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
 * sources: the release's own mother patch, for a client whose installed file is the older mother
 * (bsdiff as before, and the same pair's zip-aware patch the diff stage made beside it), and
 * increments by pair: when the client's installed file is a file of an earlier release of the same
 * target (for an APK, its channel's APK of that release), the increment of each declared format
 * from that file to the offered one, however it was made (a submission's planned increments, a
 * request's mother patches, or made on demand: see {@link IncrementLookup}). An increment is
 * offered only when it is at most {@code maxRatio} of the full file's size (the bsdiff mother
 * patch is offered as before, whatever its size). Both check routes show the same offers: the
 * smallest first, and the declared formats still being made.
 */
public final class IncrementOffers {
    private final IncrementLookup lookup;
    private final double maxRatio;
    private final IncrementMetrics metrics;

    public IncrementOffers(IncrementLookup lookup, double maxRatio, IncrementMetrics metrics) {
        this.lookup = lookup;
        this.maxRatio = maxRatio;
        this.metrics = metrics;
    }

    /** One patch or increment the client can apply. */
    private record Offer(PatchFormat format, Artifact file) {
    }

    /** What a check offers: patches by size (the first is the one to take), and the declared formats still being made. */
    private record Offered(List<Offer> bySize, List<String> preparing) {
    }

    /** Replaces the native answer's {@code patch} with what the client can apply, and adds {@code patches} and {@code preparing}. */
    public void addTo(Map<String, Object> body, Decision d, ClientInfo client, ReleaseList releases, Set<PatchFormat> accepted) {
        body.remove("patch");
        Offered offered = offers(d, client, releases, accepted);
        if (!offered.bySize().isEmpty()) {
            body.put("patch", view(offered.bySize().getFirst()));
            body.put("patches", offered.bySize().stream().map(IncrementOffers::view).toList());
        }
        if (!offered.preparing().isEmpty()) {
            body.put("preparing", offered.preparing());
        }
    }

    /**
     * The compatibility answer's {@code data}: the smallest offer as {@code patchUrl}, {@code patchSign},
     * {@code patchSize} (the fields its clients read before formats existed), {@code patchFormat} and
     * {@code patchSha256}; {@code preparing} as in the native answer.
     */
    public void addToCompatible(Map<String, Object> data, Decision d, ClientInfo client, ReleaseList releases, Set<PatchFormat> accepted) {
        Offered offered = offers(d, client, releases, accepted);
        if (!offered.bySize().isEmpty()) {
            Offer best = offered.bySize().getFirst();
            data.put("patchUrl", best.file().url());
            data.put("patchSign", best.file().sign());
            data.put("patchSize", best.file().size());
            data.put("patchFormat", best.format().wireName());
            data.put("patchSha256", best.file().sha256());
        }
        if (!offered.preparing().isEmpty()) {
            data.put("preparing", offered.preparing());
        }
    }

    private Offered offers(Decision d, ClientInfo client, ReleaseList releases, Set<PatchFormat> accepted) {
        List<Offer> offers = new ArrayList<>();
        List<String> preparing = new ArrayList<>();
        if (!d.update()) {
            return new Offered(offers, preparing);
        }
        Artifact to = d.artifact();
        if (d.patch() != null) {
            motherPatches(d.patch(), to, accepted, offers);
        }
        Artifact from = installedFile(releases, client.sign());
        if (from != null && !from.sha256().equals(to.sha256())) {
            for (PatchFormat format : PatchFormat.forKind(kind(d.release()))) {
                if (!accepted.contains(format)) {
                    continue;
                }
                switch (lookup.lookup(format, from, to)) {
                    case IncrementLookup.Made made -> offerIfWorth(offers, format, made.increment(), to);
                    case IncrementLookup.Preparing p -> preparing.add(format.wireName());
                    case IncrementLookup.Unavailable u -> {
                    }
                }
            }
        }
        offers.sort(Comparator.comparingLong(o -> o.file().size()));
        if (!offers.isEmpty()) {
            metrics.offered(offers.getFirst().format(), to.size(), offers.getFirst().file().size());
        }
        return new Offered(offers, preparing);
    }

    /**
     * The request's mother patch (bsdiff) and, when the release knows the newer mother, the pair's
     * other APK formats made in advance by the diff stage (zip-aware); never asked for on demand:
     * mothers are no release's files.
     */
    private void motherPatches(Patch mother, Artifact to, Set<PatchFormat> accepted, List<Offer> offers) {
        if (accepted.contains(PatchFormat.BSDIFF)) {
            offers.add(new Offer(PatchFormat.BSDIFF, mother.file()));
        }
        if (mother.toSha256() == null) {
            return;
        }
        for (PatchFormat format : PatchFormat.forKind(ArtifactKind.APK)) {
            if (format != PatchFormat.BSDIFF && accepted.contains(format)
                    && lookup.recorded(format, mother.fromSha256(), mother.toSha256()) instanceof IncrementLookup.Made made) {
                offerIfWorth(offers, format, made.increment(), to);
            }
        }
    }

    private void offerIfWorth(List<Offer> offers, PatchFormat format, Increment i, Artifact to) {
        if (i.bytes() <= maxRatio * to.size() && offers.stream().noneMatch(o -> o.file().sha256().equals(i.sha256()))) {
            offers.add(new Offer(format, new Artifact(i.store() == null ? null : "store://" + i.store() + "/" + i.objectKey(), i.url(),
                    i.bytes(), i.sha256(), i.md5())));
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

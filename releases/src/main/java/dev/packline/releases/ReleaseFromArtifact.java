package dev.packline.releases;

import dev.packline.pipeline.artifact.ArtifactStore;
import dev.packline.pipeline.artifact.ArtifactSubmission;
import dev.packline.pipeline.artifact.StoredArtifact;

import java.util.List;
import java.util.Map;

/**
 * The file of a bundle or offline package release, taken from a stored submission: one artifact
 * under {@link Release#ANY_CHANNEL} with its store object, URL, size, SHA-256 and MD5. Its
 * increments are not copied into the release: the update API finds them by the (installed file,
 * offered file) pair, whichever submission or check had them made.
 */
public final class ReleaseFromArtifact {
    private ReleaseFromArtifact() {
    }

    /** The release to create, or a {@link ReleaseException} (INVALID) when the submission has no stored file. */
    public static NewRelease of(ArtifactStore.Status status, ReleaseFromRequest.Spec spec) {
        ArtifactSubmission s = status.submission();
        StoredArtifact file = status.stored().orElseThrow(() -> new ReleaseException(Refusal.INVALID, "artifact submission " + s.id() + " is "
                + status.state() + status.error().map(e -> " (" + e + ")").orElse("") + "; a release is made from a stored one"));
        ReleaseKind kind = switch (s.kind()) {
            case BUNDLE -> ReleaseKind.BUNDLE;
            case OFFLINE -> ReleaseKind.OFFLINE;
            case APK -> throw new ReleaseException(Refusal.INVALID, "APK releases are made from packaging requests (fromRequest)");
        };
        Artifact artifact = new Artifact(file.location(), file.url(), file.bytes(), file.sha256(), file.md5());
        return new NewRelease(s.appId(), spec.deployment(), spec.platform(), kind, spec.version(), spec.clientVersions(),
                Map.of(Release.ANY_CHANNEL, artifact), List.of(), spec.mandatory(), spec.notes(), spec.labels(), "artifact:" + s.id());
    }
}

package dev.packline.releases;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One release of an app to one deployment, platform and kind. Immutable: every action makes a new
 * record with {@code revision} one higher (the store refuses a write based on an older revision).
 *
 * @param id             unique across the catalogue; ids grow with creation, so a higher id is newer
 * @param clientVersions the client versions it applies to
 * @param artifacts      the download per channel; an APK release has one per channel of its packaging
 *                       request, a bundle one under {@link #ANY_CHANNEL}
 * @param patches        patches from earlier installed files to this release's file
 * @param source         the packaging request it was made from, or null
 * @param promotedFrom   the release it is a copy of (promotion from another deployment), or null
 */
public record Release(long id, String app, String deployment, String platform, ReleaseKind kind, String version,
                      VersionRange clientVersions, Map<String, Artifact> artifacts, List<Patch> patches, boolean mandatory,
                      String notes, List<Label> labels, Rollout rollout, ReleaseState state, String source, Long promotedFrom,
                      String createdBy, long createdAt, long updatedAt, long revision) {
    /** The artifact key of a release whose file is the same for every channel (bundles). */
    public static final String ANY_CHANNEL = "*";

    public Release {
        artifacts = Map.copyOf(artifacts);
        patches = List.copyOf(patches);
        labels = List.copyOf(labels);
    }

    /** The file for a client installed from {@code channel}: its own channel's, else the channel-less one. */
    public Optional<Artifact> artifactFor(String channel) {
        Artifact own = channel == null ? null : artifacts.get(channel);
        return Optional.ofNullable(own != null ? own : artifacts.get(ANY_CHANNEL));
    }

    public Optional<Patch> patchFrom(String sign) {
        // a loop, not a stream: every update check asks, and most releases have no patch at all
        for (Patch p : patches) {
            if (p.appliesTo(sign)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The enabled labels, the ones clients are sent. */
    public List<Label> enabledLabels() {
        for (Label l : labels) {
            if (!l.enabled()) {
                return labels.stream().filter(Label::enabled).toList();
            }
        }
        return labels; // the common case, every label enabled: the immutable list itself, no copy per check
    }

    Release next(ReleaseState newState, Rollout newRollout, List<Label> newLabels, long now) {
        return new Release(id, app, deployment, platform, kind, version, clientVersions, artifacts, patches, mandatory, notes, newLabels,
                newRollout, newState, source, promotedFrom, createdBy, createdAt, now, revision + 1);
    }
}

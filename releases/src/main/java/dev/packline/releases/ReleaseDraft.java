package dev.packline.releases;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** Makes the first revision of a release: a draft with an empty rollout and a fresh gray salt. */
public final class ReleaseDraft {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReleaseDraft() {
    }

    /** A new draft from a publisher's request (already checked with {@link NewRelease#problems()}). */
    public static Release of(NewRelease n, long id, String actor, long now) {
        List<Label> labels = n.labels().stream().map(l -> new Label(l.key(), l.type(), l.value(), true, now, actor)).toList();
        return new Release(id, n.app(), n.deployment(), n.platform(), n.kind(), n.version(), VersionRange.parse(n.clientVersions()),
                n.artifacts(), n.patches(), n.mandatory(), n.notes(), labels, Rollout.none(salt()), ReleaseState.DRAFT, n.source(), null,
                actor, now, now, 1);
    }

    /** The same release for another deployment: same files, labels and settings, a new id, salt and empty rollout. */
    public static Release promoted(Release from, String deployment, long id, String actor, long now) {
        return new Release(id, from.app(), deployment, from.platform(), from.kind(), from.version(), from.clientVersions(), from.artifacts(),
                from.patches(), from.mandatory(), from.notes(), from.labels(), Rollout.none(salt()), ReleaseState.DRAFT, from.source(),
                from.id(), actor, now, now, 1);
    }

    private static String salt() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

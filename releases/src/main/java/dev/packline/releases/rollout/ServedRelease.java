package dev.packline.releases.rollout;

import dev.packline.releases.Release;

import java.util.Set;

/** A release as the picker reads it: its whitelist as a set, looked up once per check. */
public record ServedRelease(Release release, Set<String> whitelist) {
    public ServedRelease(Release release) {
        this(release, Set.copyOf(release.rollout().whitelist()));
    }
}

package dev.packline.releases.serving;

import dev.packline.releases.App;
import dev.packline.releases.Deployment;
import dev.packline.releases.Release;
import dev.packline.releases.redis.RedisReleaseStore.AppReleases;
import dev.packline.releases.rollout.ReleaseList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable snapshot of the release catalogue as the check route reads it: deployments by their
 * key, each with its releases ready for the picker. A change makes a new snapshot that reuses every
 * app that did not change.
 */
public final class Catalog {
    public static final Catalog EMPTY = new Catalog(0, Map.of(), Map.of());

    /** One app in the snapshot, with the catalogue version of its last change. */
    record AppEntry(long version, App app, List<DeploymentView> deployments) {
    }

    private final long version;
    private final Map<String, AppEntry> apps;
    private final Map<String, DeploymentView> byKey;

    private Catalog(long version, Map<String, AppEntry> apps, Map<String, DeploymentView> byKey) {
        this.version = version;
        this.apps = apps;
        this.byKey = byKey;
    }

    /** The catalogue version this snapshot reflects. */
    public long version() {
        return version;
    }

    public Optional<DeploymentView> deployment(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(byKey.get(key));
    }

    /** The catalogue version of an app's last change in this snapshot, -1 when the app is not in it. */
    public long appVersion(String app) {
        AppEntry e = apps.get(app);
        return e == null ? -1 : e.version();
    }

    public Set<String> appIds() {
        return apps.keySet();
    }

    public int releaseCount() {
        return apps.values().stream().flatMap(a -> a.deployments().stream())
                .mapToInt(d -> d.releases().values().stream().mapToInt(ReleaseList::size).sum()).sum();
    }

    /** A new snapshot at {@code newVersion} with these apps replaced and those removed. */
    Catalog with(List<AppReleases> changed, Set<String> removed, long newVersion) {
        Map<String, AppEntry> nextApps = new HashMap<>(apps);
        removed.forEach(nextApps::remove);
        for (AppReleases a : changed) {
            nextApps.put(a.app().id(), entry(a));
        }
        Map<String, DeploymentView> keys = new HashMap<>();
        for (AppEntry e : nextApps.values()) {
            for (int i = 0; i < e.deployments().size(); i++) {
                keys.put(e.app().deployments().get(i).key(), e.deployments().get(i));
            }
        }
        return new Catalog(newVersion, Map.copyOf(nextApps), Map.copyOf(keys));
    }

    private static AppEntry entry(AppReleases a) {
        List<DeploymentView> views = new ArrayList<>();
        for (Deployment d : a.app().deployments()) {
            Map<Target, List<Release>> grouped = a.releases().stream().filter(r -> r.deployment().equals(d.name()))
                    .collect(Collectors.groupingBy(r -> new Target(r.platform(), r.kind())));
            Map<Target, ReleaseList> lists = new HashMap<>();
            grouped.forEach((target, releases) -> lists.put(target, new ReleaseList(releases)));
            views.add(new DeploymentView(a.app(), d.name(), Map.copyOf(lists)));
        }
        return new AppEntry(a.version(), a.app(), List.copyOf(views));
    }
}

package dev.packline.releases.redis;

import dev.packline.redis.LuaScript;
import dev.packline.releases.App;
import dev.packline.releases.AuditText;
import dev.packline.releases.ReleaseDraft;
import dev.packline.releases.AuditEntry;
import dev.packline.releases.Deployment;
import dev.packline.releases.NewRelease;
import dev.packline.releases.Refusal;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseAction;
import dev.packline.releases.ReleaseException;
import dev.packline.releases.Transitions;
import redis.clients.jedis.UnifiedJedis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.packline.redis.RedisErrors.call;

/**
 * The release catalogue in Redis: apps and their deployments, releases, and the audit list. Every
 * change is one script ({@code scripts/*.lua}) that writes, bumps the catalogue version, keeps the
 * audit entry and publishes the change, all at once. Changes to a release are compare-and-set on
 * the JSON that was read, retried a few times when someone else changed it in between. Reads for
 * serving go through {@link #loadApp}; see {@code serving.CatalogCache}.
 */
public final class RedisReleaseStore {
    private static final String SCRIPTS = "/dev/packline/releases/scripts/";
    private static final int ATTEMPTS = 5;

    /** One app with its releases, and the catalogue version of its last change. */
    public record AppReleases(App app, List<Release> releases, long version) {
    }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final DeploymentKeys keyMaker;
    private final LuaScript appSave = LuaScript.load(SCRIPTS, "app_save.lua");
    private final LuaScript releaseCreate = LuaScript.load(SCRIPTS, "release_create.lua");
    private final LuaScript releaseChange = LuaScript.load(SCRIPTS, "release_change.lua");

    public RedisReleaseStore(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
        this.keyMaker = new DeploymentKeys();
    }

    /** Creates an app owned by {@code owner} with the named deployments, each given a fresh key. */
    public App createApp(String id, String owner, List<String> deployments, String actor) {
        if (!App.validId(id)) {
            throw new ReleaseException(Refusal.INVALID, "app: 1 to 128 letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        List<Deployment> made = new ArrayList<>();
        for (String name : deployments) {
            made.add(newDeployment(name, made));
        }
        App app = new App(id, owner, made, clock.millis());
        List<String> args = appArgs(app, "", ReleaseJson.write(app), entry(actor, id, null, "create-app", "deployments " + deployments));
        made.forEach(d -> args.addAll(List.of(d.key(), id + "/" + d.name())));
        saveApp(id, args, "app " + id + " exists already");
        return app;
    }

    /** Adds a deployment (with a fresh key) to an app. */
    public App addDeployment(String appId, String name, String actor) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String read = call("read app " + appId, () -> redis.hget(Keys.apps(), appId));
            if (read == null) {
                throw new ReleaseException(Refusal.NOT_FOUND, "no app '" + appId + "'");
            }
            App app = ReleaseJson.read(read, App.class, "app " + appId);
            Deployment d = newDeployment(name, app.deployments());
            List<Deployment> all = new ArrayList<>(app.deployments());
            all.add(d);
            App next = new App(app.id(), app.owner(), all, app.createdAt());
            List<String> args = appArgs(next, read, ReleaseJson.write(next), entry(actor, appId, null, "add-deployment", name));
            args.addAll(List.of(d.key(), appId + "/" + name));
            if (saveApp(appId, args, null)) {
                return next;
            }
        }
        throw new ReleaseException(Refusal.CONFLICT, "app " + appId + " kept changing; try again");
    }

    private Deployment newDeployment(String name, List<Deployment> existing) {
        if (!Deployment.validName(name)) {
            throw new ReleaseException(Refusal.INVALID, "deployment: 1 to 32 lower-case letters, digits, '_' or '-', got '" + name + "'");
        }
        if (existing.stream().anyMatch(d -> d.name().equals(name))) {
            throw new ReleaseException(Refusal.CONFLICT, "deployment '" + name + "' exists already");
        }
        return new Deployment(name, keyMaker.next());
    }

    private List<String> appArgs(App app, String expected, String json, AuditEntry audit) {
        return new ArrayList<>(List.of(app.id(), expected, json, ReleaseJson.write(audit), Keys.CHANGES));
    }

    /** True when saved, false on a concurrent change (only when {@code existsMessage} is null: an update). */
    private boolean saveApp(String appId, List<String> args, String existsMessage) {
        List<?> result = (List<?>) call("save app " + appId, () -> appSave.run(redis,
                List.of(Keys.apps(), Keys.deploymentKeys(), Keys.appVersions(), Keys.version(), Keys.audit(appId)), args));
        if (((Long) result.get(0)) == 1L) {
            return true;
        }
        String why = text(result.get(1));
        if (why.equals("key-taken")) {
            throw new ReleaseException(Refusal.CONFLICT, "a new deployment key collided with an existing one; try again");
        }
        if (existsMessage != null) {
            throw new ReleaseException(Refusal.CONFLICT, existsMessage);
        }
        return false;
    }

    public Optional<App> app(String id) {
        String json = call("read app " + id, () -> redis.hget(Keys.apps(), id));
        return Optional.ofNullable(json).map(j -> ReleaseJson.read(j, App.class, "app " + id));
    }

    /** Every app, by id. */
    public List<App> apps() {
        Map<String, String> all = call("read apps", () -> redis.hgetAll(Keys.apps()));
        return all.entrySet().stream().map(e -> ReleaseJson.read(e.getValue(), App.class, "app " + e.getKey()))
                .sorted(Comparator.comparing(App::id)).toList();
    }

    /** Creates a draft release; the app and its deployment must exist. */
    public Release create(NewRelease request, String actor) {
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            throw new ReleaseException(Refusal.INVALID, String.join("; ", problems));
        }
        App app = app(request.app()).orElseThrow(() -> new ReleaseException(Refusal.NOT_FOUND, "no app '" + request.app() + "'"));
        if (app.deployment(request.deployment()).isEmpty()) {
            throw new ReleaseException(Refusal.NOT_FOUND, "app '" + app.id() + "' has no deployment '" + request.deployment() + "'");
        }
        return insert(ReleaseDraft.of(request, nextId(), actor, clock.millis()), actor, "create",
                request.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + request.version() + " for " + request.platform()
                        + " on " + request.deployment());
    }

    /** Copies a release, unchanged, into another deployment of the same app, as a new draft. */
    public Release promote(String appId, long releaseId, String deployment, String actor) {
        Release from = release(appId, releaseId).orElseThrow(() -> notFound(appId, releaseId));
        App app = app(appId).orElseThrow();
        if (app.deployment(deployment).isEmpty()) {
            throw new ReleaseException(Refusal.NOT_FOUND, "app '" + appId + "' has no deployment '" + deployment + "'");
        }
        if (deployment.equals(from.deployment())) {
            throw new ReleaseException(Refusal.INVALID, "release " + releaseId + " is already on deployment '" + deployment + "'");
        }
        return insert(ReleaseDraft.promoted(from, deployment, nextId(), actor, clock.millis()), actor, "promote",
                "from release " + releaseId + " on " + from.deployment() + " to " + deployment);
    }

    private Release insert(Release release, String actor, String action, String detail) {
        String app = release.app();
        List<?> result = (List<?>) call("create a release of " + app, () -> releaseCreate.run(redis,
                List.of(Keys.apps(), Keys.releases(app), Keys.appVersions(), Keys.version(), Keys.audit(app)),
                List.of(app, Long.toString(release.id()), ReleaseJson.write(release),
                        ReleaseJson.write(entry(actor, app, release.id(), action, detail)), Keys.CHANGES)));
        if (((Long) result.get(0)) != 1L) {
            throw new ReleaseException(text(result.get(1)).equals("no-app") ? Refusal.NOT_FOUND : Refusal.CONFLICT,
                    "release " + release.id() + " of " + app + " could not be created: " + text(result.get(1)));
        }
        return release;
    }

    /** Applies an action to a release (see {@link Transitions}) and returns the release after it. */
    public Release change(String appId, long releaseId, ReleaseAction action, String actor) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String read = call("read release " + releaseId, () -> redis.hget(Keys.releases(appId), Long.toString(releaseId)));
            if (read == null) {
                throw notFound(appId, releaseId);
            }
            Release before = ReleaseJson.read(read, Release.class, "release " + releaseId);
            Release after = Transitions.apply(before, action, actor, clock.millis());
            List<?> result = (List<?>) call("change release " + releaseId, () -> releaseChange.run(redis,
                    List.of(Keys.releases(appId), Keys.appVersions(), Keys.version(), Keys.audit(appId)),
                    List.of(appId, Long.toString(releaseId), read, ReleaseJson.write(after),
                            ReleaseJson.write(entry(actor, appId, releaseId, action.name(), AuditText.of(action, before, after))), Keys.CHANGES)));
            if (((Long) result.get(0)) == 1L) {
                return after;
            }
            if (text(result.get(1)).equals("missing")) {
                throw notFound(appId, releaseId);
            }
        }
        throw new ReleaseException(Refusal.CONFLICT, "release " + releaseId + " kept changing; try again");
    }

    public Optional<Release> release(String appId, long releaseId) {
        String json = call("read release " + releaseId, () -> redis.hget(Keys.releases(appId), Long.toString(releaseId)));
        return Optional.ofNullable(json).map(j -> ReleaseJson.read(j, Release.class, "release " + releaseId));
    }

    /** An app's releases, newest first. */
    public List<Release> releases(String appId) {
        Map<String, String> all = call("read releases of " + appId, () -> redis.hgetAll(Keys.releases(appId)));
        return all.entrySet().stream().map(e -> ReleaseJson.read(e.getValue(), Release.class, "release " + e.getKey()))
                .sorted(Comparator.comparingLong(Release::id).reversed()).toList();
    }

    /** The newest {@code limit} audit entries of an app, newest first. */
    public List<AuditEntry> audit(String appId, int limit) {
        List<String> entries = call("read the audit list of " + appId, () -> redis.lrange(Keys.audit(appId), 0, limit - 1L));
        return entries.stream().map(e -> ReleaseJson.read(e, AuditEntry.class, "audit entry of " + appId)).toList();
    }

    /** The catalogue version (0 before the first change). */
    public long version() {
        String v = call("read the catalogue version", () -> redis.get(Keys.version()));
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Per app, the catalogue version of its last change. */
    public Map<String, Long> appVersions() {
        Map<String, String> all = call("read app versions", () -> redis.hgetAll(Keys.appVersions()));
        Map<String, Long> versions = new java.util.HashMap<>();
        all.forEach((app, v) -> versions.put(app, Long.parseLong(v)));
        return versions;
    }

    /** An app with all its releases, for a snapshot; empty when there is no such app. */
    public Optional<AppReleases> loadApp(String appId) {
        String v = call("read the version of " + appId, () -> redis.hget(Keys.appVersions(), appId));
        return app(appId).map(app -> new AppReleases(app, releases(appId), v == null ? 0 : Long.parseLong(v)));
    }

    private long nextId() {
        return call("take a release id", () -> redis.incr(Keys.releaseIds()));
    }

    private AuditEntry entry(String actor, String app, Long release, String action, String detail) {
        return new AuditEntry(clock.millis(), actor, app, release == null ? null : release.toString(), action, detail);
    }

    private static ReleaseException notFound(String appId, long releaseId) {
        return new ReleaseException(Refusal.NOT_FOUND, "app '" + appId + "' has no release " + releaseId);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}

package dev.packline.console.pages;

import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.Viewer;
import dev.packline.releases.App;
import dev.packline.releases.Release;
import dev.packline.releases.redis.RedisReleaseStore;
import io.helidon.webserver.http.ServerRequest;

/**
 * The app and release a console path names, if the viewer may see them: a publisher's view of
 * another publisher's app reads exactly like an app that does not exist (404), so nothing tells it
 * the app is there.
 */
final class ReleasePaths {
    private ReleasePaths() {
    }

    static App app(ServerRequest req, RedisReleaseStore store, Viewer viewer) {
        String appId = req.path().pathParameters().get("app");
        return store.app(appId).filter(a -> viewer.account().sees(a.owner()))
                .orElseThrow(() -> ConsoleRefusal.notFound("no app '" + appId + "'"));
    }

    static Release release(ServerRequest req, RedisReleaseStore store, Viewer viewer) {
        App app = app(req, store, viewer);
        String text = req.path().pathParameters().get("id");
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ConsoleRefusal.notFound("no release '" + text + "'");
        }
        return store.release(app.id(), id).orElseThrow(() -> ConsoleRefusal.notFound("app '" + app.id() + "' has no release " + id));
    }

    static String href(Release r) {
        return "/releases/" + r.app() + "/" + r.id();
    }
}

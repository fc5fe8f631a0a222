package dev.packline.console.web;

import dev.packline.console.auth.Account;
import dev.packline.console.auth.SignIn;
import dev.packline.console.auth.Sessions;
import dev.packline.console.auth.Sessions.Session;
import io.helidon.http.SetCookie;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * What stands before every page and action: the session cookie must name a live session (else the
 * browser is sent to sign in), and every POST must carry the session's CSRF token in its form (else
 * 403, before anything is read further or done). The cookie is HttpOnly, SameSite=Strict, and Secure
 * when the console is served over HTTPS.
 */
public final class Gate {
    public static final String COOKIE = "packline_console";

    /** A page: GET, a signed-in viewer. */
    @FunctionalInterface
    public interface PageHandler {
        void handle(ServerRequest req, ServerResponse res, Viewer viewer) throws Exception;
    }

    /** An action: POST, a signed-in viewer, a form whose CSRF token was checked. */
    @FunctionalInterface
    public interface ActionHandler {
        void handle(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) throws Exception;
    }

    private final Sessions sessions;
    private final SignIn accounts;
    private final boolean secureCookies;
    private final long maxBodyBytes;

    public Gate(Sessions sessions, SignIn accounts, boolean secureCookies, long maxBodyBytes) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.secureCookies = secureCookies;
        this.maxBodyBytes = maxBodyBytes;
    }

    public Handler page(PageHandler page) {
        return (req, res) -> {
            Optional<Viewer> viewer = viewer(req);
            if (viewer.isEmpty()) {
                Page.seeOther(res, "/sign-in");
                return;
            }
            page.handle(req, res, viewer.get());
        };
    }

    public Handler action(ActionHandler action) {
        return (req, res) -> {
            Optional<Viewer> viewer = viewer(req);
            if (viewer.isEmpty()) {
                throw ConsoleRefusal.forbidden("not signed in (or the session ended): sign in again");
            }
            FormFields form = FormFields.read(req, maxBodyBytes);
            if (!Sessions.sameToken(viewer.get().session().csrfToken(), form.text(Page.CSRF_FIELD))) {
                throw ConsoleRefusal.forbidden("the form's CSRF token is " + (form.has(Page.CSRF_FIELD) ? "wrong" : "missing")
                        + ": reload the page and send the form again");
            }
            action.handle(req, res, viewer.get(), form);
        };
    }

    /** The viewer of a request, if its cookie names a live session of an account that still exists. */
    public Optional<Viewer> viewer(ServerRequest req) {
        Optional<String> id = req.headers().cookies().first(COOKIE).asOptional();
        Optional<Session> session = id.flatMap(sessions::find);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        Optional<Account> account = accounts.account(session.get().account());
        return account.map(a -> new Viewer(a, session.get()));
    }

    public void setSessionCookie(ServerResponse res, Session session) {
        res.headers().addCookie(cookie(COOKIE, session.id(), sessions.idleTimeout().plusMinutes(1)));
    }

    public void clearSessionCookie(ServerResponse res) {
        res.headers().addCookie(cookie(COOKIE, "", Duration.ZERO));
    }

    /** A cookie with the console's attributes: path /, HttpOnly, SameSite=Strict, Secure when configured. */
    public SetCookie cookie(String name, String value, Duration maxAge) {
        return SetCookie.builder(name, value).path("/").httpOnly(true).sameSite(SetCookie.SameSite.STRICT).secure(secureCookies)
                .maxAge(maxAge).build();
    }
}

package dev.packline.console.pages;

import dev.packline.console.audit.ActionAudit;
import dev.packline.console.auth.SignIn;
import dev.packline.console.auth.Sessions;
import dev.packline.console.web.ConsoleRefusal;
import dev.packline.console.web.FormFields;
import dev.packline.console.web.Gate;
import dev.packline.console.web.Html;
import dev.packline.console.web.Page;
import dev.packline.console.web.Viewer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;

/**
 * Signing in and out. The sign-in form has no session yet, so its CSRF token is a double-submit
 * token: a random value in a short-lived SameSite=Strict cookie and in the form, which must agree
 * (another site can neither read the cookie nor make the browser send it). Every attempt, failed or
 * not, is in the audit log.
 */
public final class SignInPage {
    private static final String FORM_COOKIE = "packline_console_signin";

    private final SignIn signIn;
    private final Sessions sessions;
    private final Gate gate;
    private final ActionAudit audit;
    private final long maxBodyBytes;

    public SignInPage(SignIn signIn, Sessions sessions, Gate gate, ActionAudit audit, long maxBodyBytes) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.gate = gate;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void show(ServerRequest req, ServerResponse res) {
        if (gate.viewer(req).isPresent()) {
            Page.seeOther(res, "/");
            return;
        }
        showForm(res, 200, null);
    }

    private void showForm(ServerResponse res, int status, String problem) {
        String token = Sessions.randomToken();
        res.headers().addCookie(gate.cookie(FORM_COOKIE, token, Duration.ofMinutes(30)));
        StringBuilder body = new StringBuilder();
        if (problem != null) {
            body.append("<p class=\"error\" id=\"error\">").append(Html.text(problem)).append("</p>");
        }
        body.append("<form method=\"post\" action=\"/sign-in\" class=\"sign-in\">").append(Page.hidden(Page.CSRF_FIELD, token))
                .append("<label>Account <input name=\"account\" id=\"account\" autocomplete=\"username\" required></label>")
                .append("<label>Password <input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required></label>")
                .append("<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
        Page.send(res, status, "Sign in", null, body.toString());
    }

    public void submit(ServerRequest req, ServerResponse res) {
        FormFields form = FormFields.read(req, maxBodyBytes);
        String expected = req.headers().cookies().first(FORM_COOKIE).orElse(null);
        if (expected == null || !Sessions.sameToken(expected, form.text(Page.CSRF_FIELD))) {
            throw ConsoleRefusal.forbidden("the sign-in form's CSRF token is " + (form.has(Page.CSRF_FIELD) ? "wrong" : "missing")
                    + " (or its cookie expired): open the sign-in page again");
        }
        String account = form.name("account");
        String password = form.required("password");
        SignIn.Outcome outcome = signIn.attempt(account, password.toCharArray());
        switch (outcome) {
            case SignIn.SignedIn in -> {
                Sessions.Session session = sessions.open(in.account().name());
                gate.setSessionCookie(res, session);
                audit.record(account, "sign-in", "console", ActionAudit.Outcome.DONE, "role " + in.account().role().wireName());
                Page.seeOther(res, "/");
            }
            case SignIn.WrongCredentials wrong -> {
                audit.record(account, "sign-in", "console", ActionAudit.Outcome.REFUSED, "wrong account or password");
                showForm(res, 401, "Wrong account name or password. " + wrong.failuresLeft()
                        + " more failed attempts lock this account for a while.");
            }
            case SignIn.LockedOut locked -> {
                audit.record(account, "sign-in", "console", ActionAudit.Outcome.REFUSED, "locked out");
                showForm(res, 429, "Too many failed sign-ins: this account is locked for " + Html.age(locked.retryAfter().toMillis())
                        + ". Try again later.");
            }
        }
    }

    public void signOut(ServerRequest req, ServerResponse res, Viewer viewer, FormFields form) {
        sessions.close(viewer.session().id());
        gate.clearSessionCookie(res);
        audit.record(viewer.name(), "sign-out", "console", ActionAudit.Outcome.DONE, "");
        Page.seeOther(res, "/sign-in");
    }
}

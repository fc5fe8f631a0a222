package dev.packline.console.web;

import dev.packline.console.auth.Permission;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The frame every console page shares: head, navigation (only the pages the viewer's role may see),
 * the signed-in account and its sign-out form; and the pieces pages build forms with, each carrying
 * the session's CSRF token. Pages are plain HTML that works without JavaScript; htmx only swaps in
 * the live parts sent over server-sent events.
 */
public final class Page {
    public static final String CSRF_FIELD = "csrf";
    public static final String CONFIRM_FIELD = "confirmed";

    private Page() {
    }

    public static void send(ServerResponse res, int status, String title, Viewer viewer, String body) {
        StringBuilder html = new StringBuilder(body.length() + 2048);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.text(title)).append(" - Packline console</title>")
                .append("<link rel=\"stylesheet\" href=\"/assets/console.css\">")
                .append("<script src=\"/assets/htmx.js\"></script><script src=\"/assets/sse.js\"></script><script src=\"/assets/console.js\"></script></head><body>");
        if (viewer != null) {
            html.append("<nav><strong>Packline</strong>");
            if (viewer.may(Permission.QUEUES)) {
                link(html, "/overview", "Overview");
                link(html, "/workers", "Workers");
                link(html, "/dead-letters", "Dead letters");
            }
            link(html, "/requests", "Requests");
            link(html, "/releases", "Releases");
            if (viewer.may(Permission.AUDIT)) {
                link(html, "/audit", "Audit");
            }
            html.append("<span class=\"who\" id=\"who\">").append(Html.text(viewer.name())).append(" (")
                    .append(viewer.account().role().wireName()).append(")</span>")
                    .append(form("/sign-out", viewer, "<button type=\"submit\">Sign out</button>", "inline"))
                    .append("</nav>");
        }
        html.append("<main><h1>").append(Html.text(title)).append("</h1>").append(body).append("</main></body></html>");
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header("X-Frame-Options", "DENY");
        res.header("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
        res.send(html.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void link(StringBuilder html, String href, String text) {
        html.append("<a href=\"").append(href).append("\">").append(text).append("</a>");
    }

    /** A POST form with the session's CSRF token. */
    public static String form(String action, Viewer viewer, String inner, String cssClass) {
        return "<form method=\"post\" action=\"" + Html.text(action) + "\"" + (cssClass == null ? "" : " class=\"" + cssClass + "\"") + ">"
                + csrf(viewer) + inner + "</form>";
    }

    /** A form of one button, e.g. Pause; {@code hidden} adds fields. */
    public static String button(String action, Viewer viewer, String label, Map<String, String> hidden, String cssClass) {
        StringBuilder inner = new StringBuilder();
        hidden.forEach((k, v) -> inner.append(hidden(k, v)));
        inner.append("<button type=\"submit\"").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append(">")
                .append(Html.text(label)).append("</button>");
        return form(action, viewer, inner.toString(), "inline");
    }

    public static String csrf(Viewer viewer) {
        return hidden(CSRF_FIELD, viewer.session().csrfToken());
    }

    public static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + Html.text(name) + "\" value=\"" + Html.text(value) + "\">";
    }

    /**
     * The confirmation every destructive action asks for: says what will happen, and sends the same
     * form again with {@code confirmed=yes}.
     */
    public static void confirm(ServerResponse res, Viewer viewer, String action, String whatHappens, Map<String, List<String>> fields,
                               String cancelHref) {
        StringBuilder inner = new StringBuilder("<p class=\"warning\" id=\"confirm-text\">").append(Html.text(whatHappens)).append("</p>");
        fields.forEach((name, values) -> values.forEach(v -> inner.append(hidden(name, v))));
        inner.append(hidden(CONFIRM_FIELD, "yes"))
                .append("<button type=\"submit\" class=\"danger\" id=\"confirm\">Yes, do it</button> ")
                .append("<a href=\"").append(Html.text(cancelHref)).append("\" id=\"cancel\">No, go back</a>");
        send(res, 200, "Confirm", viewer, form(action, viewer, inner.toString(), null));
    }

    public static void error(ServerResponse res, int status, Viewer viewer, String message, List<String> details) {
        StringBuilder body = new StringBuilder("<p class=\"error\" id=\"error\">").append(Html.text(message)).append("</p>");
        if (!details.isEmpty()) {
            body.append("<ul id=\"problems\">");
            details.forEach(d -> body.append("<li>").append(Html.text(d)).append("</li>"));
            body.append("</ul>");
        }
        body.append("<p><a href=\"/\">Back to the console</a></p>");
        send(res, status, status == 403 ? "Refused" : status == 404 ? "Not found" : "Could not do that", viewer, body.toString());
    }

    /** The note an action's redirect carries ({@code ?note=...}), shown once at the top of the next page; empty without one. */
    public static String note(io.helidon.webserver.http.ServerRequest req) {
        return req.query().first("note").map(n -> "<p class=\"note\" id=\"note\">" + Html.text(n) + "</p>").orElse("");
    }

    /** A redirect after a successful action (POST, redirect, GET), with a note shown on the next page. */
    public static void seeOther(ServerResponse res, String location) {
        res.status(303);
        res.header(HeaderNames.LOCATION, location);
        res.send();
    }
}

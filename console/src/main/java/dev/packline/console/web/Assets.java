package dev.packline.console.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The console's static files, all from the classpath: htmx and its server-sent-events extension
 * from their webjars (the version is read from the webjar's own Maven properties, so the pom is the
 * one place it is written), and the console's stylesheet and script. Nothing comes from a CDN.
 */
public final class Assets {
    private Assets() {
    }

    public static Handler htmx() {
        return file(webjar("htmx.org", "dist/htmx.min.js"), "text/javascript");
    }

    public static Handler sse() {
        return file(webjar("htmx-ext-sse", "sse.js"), "text/javascript");
    }

    /** The console's own few lines of script (console.js: live streams closed when a page is left). */
    public static Handler script() {
        return file("dev/packline/console/console.js", "text/javascript");
    }

    public static Handler css() {
        return file("dev/packline/console/console.css", "text/css");
    }

    static String webjar(String artifact, String path) {
        String properties = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(properties)) {
            if (in == null) {
                throw new IllegalStateException("the webjar " + artifact + " is not on the classpath (" + properties + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return "META-INF/resources/webjars/" + artifact + "/" + p.getProperty("version") + "/" + path;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + properties, e);
        }
    }

    private static Handler file(String resource, String type) {
        byte[] bytes;
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing console asset " + resource);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
        return (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, type + "; charset=utf-8");
            res.header(HeaderNames.CACHE_CONTROL, "max-age=3600");
            res.send(bytes);
        };
    }
}

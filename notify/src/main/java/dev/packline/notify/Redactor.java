package dev.packline.notify;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks a channel's credentials in any text before it becomes an exception message or a log line:
 * the whole URL, every query value (DingTalk's access_token, WeCom's key), token-like path segments
 * (Feishu's and Slack's hook ids) and the signing secret, raw and URL-encoded. Services sometimes
 * echo what they were sent, and JDK exceptions sometimes quote the request, so everything that
 * leaves a channel goes through here.
 */
final class Redactor {
    static final String MASK = "***";
    /** Shorter fragments are not masked: they would mangle ordinary words. Validation refuses secrets this short. */
    private static final int MIN_FRAGMENT = 4;

    private final List<String> fragments;

    private Redactor(List<String> fragments) {
        this.fragments = fragments;
    }

    /** Masks the credentials a channel's URL and secret can carry; {@code secret} may be null. */
    static Redactor of(URI url, String secret) {
        Set<String> found = new LinkedHashSet<>();
        addWithEncodings(found, url.toString());
        if (url.getRawUserInfo() != null) {
            addWithEncodings(found, url.getRawUserInfo());
        }
        if (url.getRawQuery() != null) {
            for (String pair : url.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                addWithEncodings(found, eq < 0 ? pair : pair.substring(eq + 1));
            }
        }
        if (url.getRawPath() != null) {
            for (String segment : url.getRawPath().split("/")) {
                if (looksLikeToken(segment)) {
                    addWithEncodings(found, segment);
                }
            }
        }
        if (secret != null) {
            addWithEncodings(found, secret);
            if (secret.startsWith(WebhookChannel.SECRET_PREFIX)) {
                addWithEncodings(found, secret.substring(WebhookChannel.SECRET_PREFIX.length()));
            }
        }
        List<String> ordered = new ArrayList<>(found.stream().filter(f -> f.length() >= MIN_FRAGMENT).toList());
        ordered.sort(Comparator.comparingInt(String::length).reversed()); // the whole URL before its parts
        return new Redactor(List.copyOf(ordered));
    }

    /** Hook ids and keys: long, or mixing digits into letters. Plain words like "robot" or "open-apis" stay readable. */
    private static boolean looksLikeToken(String segment) {
        return segment.length() >= 16 || (segment.length() >= 8 && segment.chars().anyMatch(Character::isDigit));
    }

    private static void addWithEncodings(Set<String> into, String value) {
        into.add(value);
        into.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        try {
            into.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not valid percent-encoding: the raw form is masked already
        }
    }

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String fragment : fragments) {
            out = out.replace(fragment, MASK);
        }
        return out;
    }

    /**
     * The throwable itself when no message in its cause chain holds a credential; otherwise a copy
     * of the chain with the messages masked (same class names and stack traces, as text).
     */
    Throwable scrub(Throwable error) {
        if (error == null || isClean(error)) {
            return error;
        }
        RedactedException copy = new RedactedException(error.getClass().getName() + ": " + scrub(error.getMessage()), scrub(error.getCause()));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    private boolean isClean(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !scrub(message).equals(message)) {
                return false;
            }
        }
        return true;
    }

    /** Stands in for an exception whose message quoted a credential. */
    static final class RedactedException extends Exception {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package dev.packline.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Lua script from a resources folder of its module (the queue's are in {@code dev/packline/queue/scripts}). Lines
 * {@code --!include other.lua} are replaced by that file, so scripts share functions without
 * touching undeclared keys. Runs by SHA (EVALSHA) and falls back to EVAL, which also caches it,
 * when Redis does not know the script (first use, restart, failover).
 */
public final class LuaScript {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^--!include (\\S+)$");

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** Loads {@code folder + name} from the classpath (folder like {@code /dev/packline/pipeline/scripts/}). */
    public static LuaScript load(String folder, String name) {
        String text = read(folder, name);
        Matcher include = INCLUDE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (include.find()) {
            include.appendReplacement(expanded, Matcher.quoteReplacement(read(folder, include.group(1))));
        }
        include.appendTail(expanded);
        return new LuaScript(name, expanded.toString());
    }

    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(source, keys, args);
        }
    }

    public String name() {
        return name;
    }

    private static String read(String folder, String file) {
        String path = folder + file;
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lua script " + path, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}

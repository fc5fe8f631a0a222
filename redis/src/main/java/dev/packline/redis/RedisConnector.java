package dev.packline.redis;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Opens a pooled Redis client from a URL: {@code redis://[user:password@]host:port[/db]} for one
 * server, {@code redis-cluster://host:port[,host:port...]} for Redis Cluster (seed nodes).
 * Socket timeouts are always set, so a hung server fails calls instead of blocking them forever.
 */
public final class RedisConnector {
    /** Connections per pool: every worker fetch loop blocks on one while it waits for jobs. */
    public static final int DEFAULT_POOL_SIZE = 64;
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** Longest wait for blocking commands; the fetcher blocks for at most a second or two. */
    static final Duration BLOCKING_SOCKET_TIMEOUT = Duration.ofSeconds(15);

    private RedisConnector() {
    }

    public static UnifiedJedis open(String url) {
        return open(url, DEFAULT_POOL_SIZE);
    }

    public static UnifiedJedis open(String url, int poolSize) {
        URI uri = parse(url);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(Duration.ofSeconds(10));
        pool.setJmxEnabled(false);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
                .blockingSocketTimeoutMillis((int) BLOCKING_SOCKET_TIMEOUT.toMillis())
                .clientName("packline");
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
            String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (user != null && !user.isEmpty()) {
                config.user(user);
            }
            config.password(password);
        }
        if ("redis-cluster".equals(uri.getScheme())) {
            Set<HostAndPort> seeds = new LinkedHashSet<>();
            for (String node : uri.getRawAuthority().replaceFirst("^.*@", "").split(",")) {
                seeds.add(HostAndPort.from(node.trim()));
            }
            return new JedisCluster(seeds, config.build(), 5, pool);
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        JedisClientConfig clientConfig = config.build();
        return new JedisPooled(pool, new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), clientConfig);
    }

    /** The URL without its password, for logs and error messages. */
    public static String describe(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Redis URL is empty; expected redis://host:port or redis-cluster://host:port,host:port");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Redis URL '" + describe(url) + "' is not a valid URL: " + e.getMessage(), e);
        }
        if (!"redis".equals(uri.getScheme()) && !"redis-cluster".equals(uri.getScheme())) {
            throw new IllegalArgumentException("Redis URL '" + describe(url) + "' must start with redis:// or redis-cluster://");
        }
        if (uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("Redis URL '" + describe(url) + "' names no host");
        }
        if ("redis".equals(uri.getScheme()) && uri.getHost() == null) {
            throw new IllegalArgumentException("Redis URL '" + describe(url) + "' names no valid host");
        }
        return uri;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}

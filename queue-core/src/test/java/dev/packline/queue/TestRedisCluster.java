package dev.packline.queue;

import dev.packline.redis.EmbeddedRedis;

import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A real three-master Redis Cluster on loopback, built from plain redis-server processes: slots
 * split in three, nodes introduced with CLUSTER MEET, ready when every node reports state ok.
 */
public final class TestRedisCluster implements AutoCloseable {
    private static final int SLOTS = 16384;
    private final List<EmbeddedRedis> nodes = new ArrayList<>();

    public TestRedisCluster() throws InterruptedException {
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(EmbeddedRedis.start(portWithFreeBusPort(), List.of("cluster-enabled yes", "cluster-node-timeout 5000",
                        "cluster-config-file nodes.conf"), null));
            }
            for (int i = 0; i < 3; i++) {
                int from = i * SLOTS / 3;
                int to = (i + 1) * SLOTS / 3;
                try (Jedis node = new Jedis("127.0.0.1", nodes.get(i).port())) {
                    node.clusterAddSlots(IntStream.range(from, to).toArray());
                    for (EmbeddedRedis other : nodes) {
                        node.clusterMeet("127.0.0.1", other.port());
                    }
                }
            }
            awaitOk();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private static int portWithFreeBusPort() {
        for (int tries = 0; tries < 50; tries++) {
            int port = EmbeddedRedis.freePort();
            if (port + 10_000 < 65_536) {
                try (var bus = new java.net.ServerSocket(port + 10_000, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (java.io.IOException busTaken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no loopback port with a free cluster bus port (+10000)");
    }

    private void awaitOk() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (EmbeddedRedis n : nodes) {
                try (Jedis node = new Jedis("127.0.0.1", n.port())) {
                    ok &= node.clusterInfo().contains("cluster_state:ok");
                }
            }
            if (ok) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the test Redis Cluster did not reach state ok within 30 s");
    }

    public String url() {
        return "redis-cluster://" + String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList());
    }

    public List<Integer> ports() {
        return nodes.stream().map(EmbeddedRedis::port).toList();
    }

    @Override
    public void close() {
        nodes.forEach(EmbeddedRedis::close);
    }
}

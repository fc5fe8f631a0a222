package dev.packline.pipeline;

import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueClient;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.TestClock;
import dev.packline.queue.TestRedis;
import dev.packline.queue.redis.RedisQueueBroker;
import dev.packline.queue.upgrade.RouteRule;
import dev.packline.queue.upgrade.RouteStore;
import dev.packline.queue.upgrade.RouteTable;
import dev.packline.queue.upgrade.RoutedClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The submitter following the package queue's routing rules on a real Redis: a 10% canary by
 * request, each request's jobs all on the version its recorded decision names, a large request
 * (several batches) whole on one version.
 */
class RoutedSubmitTest {
    private final TestClock clock = new TestClock();

    @Test
    void aTenPercentCanaryRoutesWholeRequestsAndRecordsVersionAndRule() {
        try (UnifiedJedis redis = TestRedis.client(); RedisQueueBroker broker = TestRedis.broker(clock)) {
            QueueInspector inspector = new QueueInspector(broker, clock);
            QueueVersion current = inspector.ensureQueue(Stage.PACKAGE.queueName());
            QueueVersion canary = inspector.newVersion(Stage.PACKAGE.queueName());
            RouteStore routes = new RouteStore(redis);
            routes.put(Stage.PACKAGE.queueName(), RouteRule.parse("canary-test", canary.version(), "appId=com.example.game",
                    RouteRule.parseShare("10%"), clock.millis()));
            RequestStore store = new RequestStore(redis, clock, Duration.ofDays(1));
            RequestRoutes decisions = new RequestRoutes(redis);
            Submitter submitter = new Submitter(store, new QueueClient(broker), 5, Duration.ofMinutes(10))
                    .withRoutes(new RouteTable(routes, clock, Duration.ofSeconds(2)), decisions);
            try {
                List<PackagingRequest> requests = new ArrayList<>();
                requests.add(RequestStoreTest.request(1_200)); // three batches
                for (int i = 0; i < 400; i++) {
                    requests.add(RequestStoreTest.request(2));
                }
                int routed = 0;
                for (PackagingRequest request : requests) {
                    submitter.submit(request);
                    RequestRoutes.Decision decision = decisions.decision(request.id(), Stage.PACKAGE.queueName()).orElseThrow();
                    QueueVersion version = QueueVersion.of(Stage.PACKAGE.queueName(), decision.version());
                    assertEquals(version.equals(canary) ? "canary-test" : RoutedClient.CURRENT, decision.rule());
                    for (int i = 0; i < request.channels().size(); i++) {
                        String id = Stage.packageJobId(request.id(), i);
                        assertTrue(inspector.job(version, id).isPresent(), id + " is on " + version + " as recorded");
                        QueueVersion other = version.equals(canary) ? current : canary;
                        assertTrue(inspector.job(other, id).isEmpty(), id + " is on one version only");
                    }
                    routed += version.equals(canary) ? 1 : 0;
                }
                // 10% of 401 requests is 40; the binomial standard deviation is 6: tolerance 10% +- 4.5 points
                assertTrue(routed >= 22 && routed <= 58, routed + " of " + requests.size() + " requests routed to the canary");
            } finally {
                routes.remove(Stage.PACKAGE.queueName(), "canary-test");
                broker.obliterate(canary, true);
                broker.obliterate(current, true); // other tests get a clean package queue
                inspector.ensureQueue(Stage.PACKAGE.queueName());
            }
        }
    }
}

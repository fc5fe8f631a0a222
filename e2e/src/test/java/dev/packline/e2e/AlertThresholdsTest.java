package dev.packline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packline.e2e.PromQl.Binary;
import dev.packline.e2e.PromQl.Node;
import dev.packline.e2e.PromQl.NumberLiteral;
import dev.packline.worker.WorkerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules and the platform's own alarms fire on the same numbers: the thresholds in
 * grafana/alerts/packline.rules.yml are read back and compared with config/worker.yml, so changing
 * one without the other fails here.
 */
class AlertThresholdsTest {

    @Test
    void rulesUseTheThresholdsOfTheWorkersAlarms() {
        WorkerConfig config = WorkerConfig.load(GrafanaFiles.root().getParent().resolve("config/worker.yml"), Map.of());
        Map<String, JsonNode> rules = rules();

        assertEquals(config.alarms().backlogPending(), threshold(rules.get("PacklineBacklogHigh")), 0.0,
                "PacklineBacklogHigh = alarms.backlog.pending");
        assertEquals(config.alarms().backlogOldestAge().toSeconds(), threshold(rules.get("PacklineOldestPendingTooOld")), 0.0,
                "PacklineOldestPendingTooOld = alarms.backlog.oldestPendingAge, in seconds");
        assertEquals(0, threshold(rules.get("PacklineDeadLetters")), 0.0, "every dead letter, as the platform's digest announces every one");
        double crashes = threshold(rules.get("PacklineWorkerCrashLooping"));
        assertTrue(crashes > 1 && crashes < config.supervision().crashLoopCrashes(),
                "PacklineWorkerCrashLooping warns before the supervisor gives up at supervisor.crashLoop.crashes="
                        + config.supervision().crashLoopCrashes() + ", got " + crashes);
    }

    @Test
    void everyAlertHasASeveritySummaryAndDescription() {
        for (Map.Entry<String, JsonNode> rule : rules().entrySet()) {
            String severity = rule.getValue().path("labels").path("severity").asText();
            assertTrue(severity.equals("critical") || severity.equals("warning"), rule.getKey() + ": severity critical or warning, got " + severity);
            for (String annotation : new String[] {"summary", "description"}) {
                assertTrue(rule.getValue().path("annotations").path(annotation).asText().length() > 20, rule.getKey() + ": annotation " + annotation);
            }
        }
    }

    private static Map<String, JsonNode> rules() {
        Map<String, JsonNode> rules = GrafanaFiles.alertRules();
        assertEquals(19, rules.size(), "the alerts docs/operations.md describes: " + rules.keySet());
        return rules;
    }

    /** The number on the right of the expression's outermost comparison (for "A and B > n", of the comparison that ends it). */
    private static double threshold(JsonNode rule) {
        Node node = PromQl.parse(rule.path("expr").asText());
        while (node instanceof Binary b) {
            if (Map.of(">", 1, ">=", 1, "<", 1, "<=", 1, "==", 1).containsKey(b.op()) && b.right() instanceof NumberLiteral n) {
                return n.value();
            }
            node = b.right();
        }
        throw new AssertionError("no comparison with a number in " + rule.path("alert").asText() + ": " + rule.path("expr").asText());
    }
}

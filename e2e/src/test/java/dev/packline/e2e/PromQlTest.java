package dev.packline.e2e;

import dev.packline.e2e.PromQl.Aggregation;
import dev.packline.e2e.PromQl.Binary;
import dev.packline.e2e.PromQl.Call;
import dev.packline.e2e.PromQl.Matcher;
import dev.packline.e2e.PromQl.Node;
import dev.packline.e2e.PromQl.NumberLiteral;
import dev.packline.e2e.PromQl.Selector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PromQL parser on the constructs grafana/ uses, and its errors on malformed input. */
class PromQlTest {

    @Test
    void selectorsWithMatchersRangesOffsetsAndAt() {
        Map<String, Selector> cases = Map.of(
                "up", new Selector("up", List.of()),
                "packline_queue_jobs{state=\"pending\", queue=~'pack.*',}", new Selector("packline_queue_jobs",
                        List.of(new Matcher("state", "=", "pending"), new Matcher("queue", "=~", "pack.*"))),
                "rate(x_total{a!=\"b\"}[5m])", new Selector("x_total", List.of(new Matcher("a", "!=", "b"))),
                "x{a!~`c|d`} offset -30m", new Selector("x", List.of(new Matcher("a", "!~", "c|d"))),
                "max_over_time(x[1h:1m] @ 1700000000)", new Selector("x", List.of()),
                "y{l=\"quote \\\" and \\\\\"}", new Selector("y", List.of(new Matcher("l", "=", "quote \" and \\"))),
                "job:requests:rate5m{job=\"a\"}", new Selector("job:requests:rate5m", List.of(new Matcher("job", "=", "a"))));
        cases.forEach((text, expected) -> {
            Node node = PromQl.parse(text);
            while (node instanceof Call call) {
                node = call.args().get(0);
            }
            assertEquals(expected, node, text);
        });
    }

    @Test
    void aggregationsTakeTheirGroupingBeforeOrAfterTheArguments() {
        Aggregation before = assertInstanceOf(Aggregation.class, PromQl.parse("sum by (queue, version) (rate(x[5m]))"));
        assertEquals(List.of("queue", "version"), before.grouping());
        Aggregation after = assertInstanceOf(Aggregation.class, PromQl.parse("sum(rate(x[5m])) without (instance,)"));
        assertEquals(List.of("instance"), after.grouping());
        assertTrue(after.without());
        Aggregation topk = assertInstanceOf(Aggregation.class, PromQl.parse("topk(5, x)"));
        assertEquals(new NumberLiteral(5), topk.args().get(0));
        assertEquals(new Selector("x", List.of()), topk.vector());
        Call quantile = assertInstanceOf(Call.class, PromQl.parse("histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))"));
        assertEquals("le", ((Aggregation) quantile.args().get(1)).grouping().get(0));
        assertInstanceOf(Selector.class, PromQl.parse("sum"), "an aggregation name without arguments is a metric name");
    }

    @Test
    void binaryOperatorsBindByPrecedenceAndCarryTheirMatching() {
        Binary or = assertInstanceOf(Binary.class, PromQl.parse("a > 1 and b unless c or d * 2 + e / 3 ^ 2 ^ 1"));
        assertEquals("or", or.op(), "or binds loosest");
        Binary unless = assertInstanceOf(Binary.class, or.left());
        assertEquals("unless", unless.op());
        assertEquals("and", ((Binary) unless.left()).op());
        assertEquals(">", ((Binary) ((Binary) unless.left()).left()).op());
        Binary plus = assertInstanceOf(Binary.class, or.right());
        assertEquals("+", plus.op());
        Binary power = (Binary) ((Binary) plus.right()).right();
        assertEquals("^", power.op());
        assertInstanceOf(Binary.class, power.right(), "^ is right-associative");

        Binary on = assertInstanceOf(Binary.class, PromQl.parse("a == bool on (queue, version) group_left (state) b"));
        assertEquals(List.of("queue", "version"), on.matching());
        assertEquals("group_left", on.group());
        assertEquals(List.of("state"), on.include());
        Binary ignoring = assertInstanceOf(Binary.class, PromQl.parse("a / ignoring (outcome) b"));
        assertTrue(ignoring.ignoring());
        Binary negative = assertInstanceOf(Binary.class, PromQl.parse("-a * -1e-3 + Inf"));
        assertEquals("+", negative.op());
    }

    @Test
    void malformedExpressionsNameThePositionAndWhatWasExpected() {
        Map<String, String> cases = Map.of(
                "sum by (queue (x)", "expected ')' at position 14",
                "rate(x[5m]", "expected ')' at position 10",
                "x{state=pending}", "expected a quoted label value at position 8",
                "x{state}", "expected =, !=, =~ or !~ after label state",
                "x +", "expected an expression at position 3",
                "a b", "expected end of expression at position 2",
                "x{a=\"b}", "unterminated string starting at position 4",
                "x ; y", "unexpected character ';' at position 2",
                "sum by (a)", "expected '(' at position 10",
                "on(a)", "a metric name, not the keyword 'on'");
        cases.forEach((text, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromQl.parse(text), text);
            assertTrue(e.getMessage().contains(message), text + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains(text), "the message quotes the expression: " + e.getMessage());
        });
    }
}

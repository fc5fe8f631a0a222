package dev.packline.e2e;

import dev.packline.e2e.PromQl.Aggregation;
import dev.packline.e2e.PromQl.Binary;
import dev.packline.e2e.PromQl.Call;
import dev.packline.e2e.PromQl.Matcher;
import dev.packline.e2e.PromQl.Node;
import dev.packline.e2e.PromQl.NumberLiteral;
import dev.packline.e2e.PromQl.Selector;
import dev.packline.e2e.PromQl.StringLiteral;
import dev.packline.e2e.PromQl.Unary;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks one PromQL expression against what the apps export: every metric exists; every label
 * it matches on exists on that metric, and every literal value it matches (=, or =~ with plain
 * alternatives) is one the metric carries; every by/without/on/ignoring/group label exists on the
 * series it applies to. Labels flow through the tree as sets (null where a metric is unchecked).
 */
final class MetricUse {
    /** Attached by Prometheus from the scrape config (grafana/prometheus.yml), not by the apps. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    /** Made by Prometheus for every target. */
    static final Set<String> PROMETHEUS_METRICS = Set.of("up");
    private static final Pattern PLAIN_ALTERNATIVES = Pattern.compile("[A-Za-z0-9_.:-]+(\\|[A-Za-z0-9_.:-]+)*");

    /** What one expression uses: problems (empty when fine), metrics it names, and those left unchecked (pending). */
    record Result(List<String> problems, Set<String> metrics, Set<String> unchecked) {
    }

    private final Exposition exported;
    private final Set<String> pending;
    private final String where;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> metrics = new TreeSet<>();
    private final Set<String> unchecked = new TreeSet<>();

    private MetricUse(Exposition exported, Set<String> pending, String where) {
        this.exported = exported;
        this.pending = pending;
        this.where = where;
    }

    /**
     * @param where   names the expression in problems (file and panel or rule)
     * @param pending metric names whose producer has not landed: reported as unchecked when missing, checked when exported
     */
    static Result check(String where, String expression, Exposition exported, Set<String> pending) {
        MetricUse use = new MetricUse(exported, pending, where);
        try {
            use.labels(PromQl.parse(expression));
        } catch (IllegalArgumentException e) {
            use.problems.add(where + ": " + e.getMessage());
        }
        return new Result(List.copyOf(use.problems), use.metrics, use.unchecked);
    }

    /** The labels the node's result series carry; null when unknown (an unchecked metric below). */
    private Set<String> labels(Node node) {
        return switch (node) {
            case Selector s -> selector(s);
            case Aggregation a -> aggregation(a);
            case Call c -> call(c);
            case Binary b -> binary(b);
            case Unary u -> labels(u.operand());
            case NumberLiteral n -> Set.of();
            case StringLiteral s -> Set.of();
        };
    }

    private Set<String> selector(Selector s) {
        String metric = s.metric();
        if (metric == null) {
            problems.add(where + ": a selector without a metric name cannot be checked: " + s.matchers());
            return null;
        }
        metrics.add(metric);
        Set<String> available;
        if (PROMETHEUS_METRICS.contains(metric)) {
            available = new TreeSet<>(TARGET_LABELS);
        } else if (exported.has(metric)) {
            available = new TreeSet<>(exported.labels(metric));
            available.addAll(TARGET_LABELS);
        } else if (pending.contains(metric)) {
            unchecked.add(metric);
            return null;
        } else {
            problems.add(where + ": metric " + metric + " is not exported" + near(metric));
            return null;
        }
        for (Matcher m : s.matchers()) {
            if (TARGET_LABELS.contains(m.label()) || m.label().equals("__name__")) {
                continue;
            }
            if (!available.contains(m.label())) {
                problems.add(where + ": label " + m.label() + " is not on " + metric + " (its labels: " + exported.labels(metric) + ")");
                continue;
            }
            for (String value : literalValues(m)) {
                if (!exported.values(metric, m.label()).contains(value)) {
                    problems.add(where + ": no series of " + metric + " has " + m.label() + "=\"" + value + "\" (exported values: "
                            + exported.values(metric, m.label()) + ")");
                }
            }
        }
        return available;
    }

    /** Values a matcher names literally: "=" with a plain value, "=~" with plain alternatives; none for variables ($x) and negations. */
    private static List<String> literalValues(Matcher m) {
        if (m.value().isEmpty() || m.value().contains("$")) {
            return List.of();
        }
        return switch (m.op()) {
            case "=" -> List.of(m.value());
            case "=~" -> PLAIN_ALTERNATIVES.matcher(m.value()).matches() ? List.of(m.value().split("\\|")) : List.of();
            default -> List.of();
        };
    }

    private Set<String> aggregation(Aggregation a) {
        for (int i = 0; i < a.args().size() - 1; i++) {
            labels(a.args().get(i)); // topk's k, quantile's q, count_values' label
        }
        Set<String> inner = labels(a.vector());
        if (inner == null) {
            return null;
        }
        for (String label : a.grouping()) {
            if (!inner.contains(label)) {
                problems.add(where + ": " + a.op() + (a.without() ? " without (" : " by (") + label + "): " + label
                        + " is on none of the series it aggregates (they carry " + inner + ")");
            }
        }
        Set<String> out = new TreeSet<>();
        if (a.without()) {
            out.addAll(inner);
            a.grouping().forEach(out::remove);
        } else {
            out.addAll(a.grouping());
        }
        if (a.op().equals("count_values") && a.args().get(0) instanceof StringLiteral label) {
            out.add(label.value());
        }
        return out;
    }

    private Set<String> call(Call c) {
        List<Set<String>> args = new ArrayList<>();
        for (Node arg : c.args()) {
            args.add(labels(arg));
        }
        switch (c.function()) {
            case "histogram_quantile" -> {
                Set<String> buckets = args.size() == 2 ? args.get(1) : null;
                if (buckets == null) {
                    return null;
                }
                if (!buckets.contains("le")) {
                    problems.add(where + ": histogram_quantile over series without an le label (they carry " + buckets + ")");
                }
                Set<String> out = new TreeSet<>(buckets);
                out.remove("le");
                return out;
            }
            case "label_replace", "label_join" -> {
                Set<String> in = args.isEmpty() ? null : args.get(0);
                if (in == null) {
                    return null;
                }
                Set<String> out = new TreeSet<>(in);
                if (c.args().size() > 1 && c.args().get(1) instanceof StringLiteral dst) {
                    out.add(dst.value());
                }
                List<Node> sources = c.function().equals("label_replace") ? c.args().subList(Math.min(3, c.args().size()), Math.min(4, c.args().size()))
                        : c.args().subList(Math.min(3, c.args().size()), c.args().size());
                for (Node source : sources) {
                    if (source instanceof StringLiteral label && !label.value().isEmpty() && !in.contains(label.value())) {
                        problems.add(where + ": " + c.function() + " reads label " + label.value() + ", which the series do not carry (" + in + ")");
                    }
                }
                return out;
            }
            case "vector", "time", "scalar", "pi", "absent", "absent_over_time" -> {
                return Set.of();
            }
            default -> {
                for (Set<String> arg : args) {
                    if (arg == null || !arg.isEmpty()) {
                        return arg;
                    }
                }
                return Set.of();
            }
        }
    }

    private Set<String> binary(Binary b) {
        Set<String> left = labels(b.left());
        Set<String> right = labels(b.right());
        if (b.matching() != null) {
            for (String label : b.matching()) {
                if (b.ignoring()) {
                    if (left != null && right != null && !left.contains(label) && !right.contains(label)) {
                        problems.add(where + ": ignoring (" + label + "): on neither side of " + b.op());
                    }
                } else {
                    missing(label, left, "left", b.op());
                    missing(label, right, "right", b.op());
                }
            }
            for (String label : b.include()) {
                missing(label, "group_left".equals(b.group()) ? right : left, "group_left".equals(b.group()) ? "right" : "left", b.op());
            }
        }
        if (left == null || right == null) {
            return null;
        }
        boolean leftScalar = b.left() instanceof NumberLiteral || (b.left() instanceof Unary u && u.operand() instanceof NumberLiteral);
        Set<String> out = new LinkedHashSet<>(leftScalar ? right : left);
        if (b.op().equals("or") || "group_right".equals(b.group())) {
            out.addAll(right);
        }
        out.addAll(b.include());
        return out;
    }

    private void missing(String label, Set<String> side, String which, String op) {
        if (side != null && !side.contains(label)) {
            problems.add(where + ": on/group label " + label + " is not on the " + which + " side of " + op + " (it carries " + side + ")");
        }
    }

    private String near(String metric) {
        String stem = metric.replaceAll("_(total|bucket|count|sum|seconds|bytes)$", "");
        List<String> similar = exported.names().stream().filter(n -> n.startsWith(stem.length() > 12 ? stem.substring(0, 12) : stem)).limit(8).toList();
        return similar.isEmpty() ? "" : " (exported names like it: " + similar + ")";
    }
}

package dev.packline.e2e;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a {@code /metrics} page exports, from the Prometheus text format (0.0.4): every sample
 * name, its label names and the values each label takes. Comments and HELP/TYPE lines are skipped;
 * a malformed sample line fails with its line number.
 */
final class Exposition {
    private final Map<String, Map<String, Set<String>>> metrics = new TreeMap<>();

    static Exposition parse(String page) {
        Exposition exposition = new Exposition();
        String[] lines = page.split("\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                exposition.sample(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("metrics line " + (n + 1) + " is not a Prometheus sample (" + e.getMessage() + "): " + line, e);
            }
        }
        return exposition;
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no metric name");
        }
        Map<String, Set<String>> labels = metrics.computeIfAbsent(name, k -> new TreeMap<>());
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label " + label + " has no quoted value");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\') {
                        j++;
                        value.append(line.charAt(j) == 'n' ? '\n' : line.charAt(j));
                    } else {
                        value.append(line.charAt(j));
                    }
                    j++;
                }
                labels.computeIfAbsent(label, k -> new TreeSet<>()).add(value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String value = line.substring(i).strip().split(" ")[0];
        if (!value.equals("NaN") && !value.equals("+Inf") && !value.equals("-Inf")) {
            Double.parseDouble(value);
        }
    }

    /** The series of both pages (the worker's and the supervisor's, say), as if one Prometheus scraped both. */
    Exposition with(Exposition other) {
        Exposition merged = new Exposition();
        for (Exposition source : new Exposition[] {this, other}) {
            source.metrics.forEach((name, labels) -> labels.forEach((label, values) ->
                    merged.metrics.computeIfAbsent(name, k -> new TreeMap<>()).computeIfAbsent(label, k -> new TreeSet<>()).addAll(values)));
            source.metrics.keySet().forEach(name -> merged.metrics.computeIfAbsent(name, k -> new TreeMap<>()));
        }
        return merged;
    }

    boolean has(String metric) {
        return metrics.containsKey(metric);
    }

    Set<String> names() {
        return metrics.keySet();
    }

    Set<String> labels(String metric) {
        return metrics.getOrDefault(metric, Map.of()).keySet();
    }

    Set<String> values(String metric, String label) {
        return metrics.getOrDefault(metric, Map.of()).getOrDefault(label, Set.of());
    }
}

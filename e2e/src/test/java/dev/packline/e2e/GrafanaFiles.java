package dev.packline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files under grafana/ and every PromQL expression they hold, each named by file and panel or rule. */
final class GrafanaFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern LABEL_VALUES = Pattern.compile("\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*");

    /** One expression and where it is. */
    record Query(String where, String expression) {
    }

    private GrafanaFiles() {
    }

    /** grafana/ of this checkout (tests run in the module's directory, one below the root). */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("grafana/alerts/packline.rules.yml"))) {
                return dir.resolve("grafana");
            }
        }
        throw new IllegalStateException("no grafana/alerts/packline.rules.yml above " + Path.of("").toAbsolutePath());
    }

    static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(root().resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert rules of grafana/alerts/packline.rules.yml by alert name. */
    static Map<String, JsonNode> alertRules() {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        for (JsonNode group : read(root().resolve("alerts/packline.rules.yml")).path("groups")) {
            group.path("rules").forEach(rule -> rules.put(rule.path("alert").asText(), rule));
        }
        return rules;
    }

    static JsonNode read(Path file) {
        try {
            return (file.toString().endsWith(".json") ? JSON : YAML).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " does not parse: " + e.getMessage(), e);
        }
    }

    /** Every expression of every dashboard (panel targets and query variables) and of the rules file. */
    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = read(file);
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    String query = variable.path("query").isObject() ? variable.path("query").path("query").asText() : variable.path("query").asText();
                    out.add(new Query(file.getFileName() + " variable $" + variable.path("name").asText(), variableQuery(query)));
                }
            }
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    out.add(new Query(file.getFileName() + " panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                            withGrafanaIntervals(target.path("expr").asText())));
                }
            }
        }
        Path rules = root().resolve("alerts/packline.rules.yml");
        for (JsonNode group : read(rules).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                out.add(new Query("packline.rules.yml " + name, rule.path("expr").asText()));
            }
        }
        return out;
    }

    /** Panels at the top and inside rows, in order. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            out.add(panel);
            panel.path("panels").forEach(out::add);
        }
        return out;
    }

    /** Grafana's interval variables become durations so the expression parses as PromQL. */
    static String withGrafanaIntervals(String expression) {
        return expression.replace("${__rate_interval}", "5m").replace("$__rate_interval", "5m").replace("${__interval}", "1m")
                .replace("$__interval", "1m").replace("${__range}", "1h").replace("$__range", "1h");
    }

    /** label_values(selector, label) as an expression that uses the same metric and label: group by (label) (selector). */
    static String variableQuery(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        if (!m.matches()) {
            throw new IllegalArgumentException("dashboard variable query is not label_values(selector, label): " + query);
        }
        return "group by (" + m.group(2) + ") (" + m.group(1) + ")";
    }
}

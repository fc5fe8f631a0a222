package dev.packline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboards load into any Grafana: valid JSON with the fields Grafana's dashboard model
 * requires, unique panel ids that do not overlap on the grid, every panel and query variable on
 * the {@code ${datasource}} variable (never a datasource uid of one installation), every
 * {@code $variable} defined, links pointing at dashboards that exist; and the provisioning files
 * point Grafana at them.
 */
class DashboardJsonTest {
    private static final String DATASOURCE = "${datasource}";
    private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "stat", "table", "gauge", "bargauge", "text");
    private static final Set<String> GRAFANA_VARIABLES = Set.of("__rate_interval", "__interval", "__range", "__interval_ms", "__range_s");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    @Test
    void everyDashboardHasTheFieldsGrafanaNeedsAndUniqueIdentity() {
        List<Path> files = GrafanaFiles.dashboards();
        assertEquals(List.of("api.json", "overview.json", "queue-version.json", "updates.json", "workers.json"),
                files.stream().map(f -> f.getFileName().toString()).toList());
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Path file : files) {
            JsonNode d = GrafanaFiles.read(file);
            String uid = d.path("uid").asText();
            assertTrue(uid.matches("[a-z0-9-]{1,40}"), file + ": uid '" + uid + "' (1 to 40 of a-z 0-9 -)");
            assertTrue(uids.add(uid), file + ": uid " + uid + " used twice");
            assertTrue(titles.add(d.path("title").asText()) && !d.path("title").asText().isBlank(), file + ": a unique title");
            assertTrue(d.path("schemaVersion").isInt() && d.path("schemaVersion").asInt() >= 36, file + ": schemaVersion");
            assertTrue(d.path("panels").isArray() && d.path("templating").path("list").isArray(), file + ": panels and templating.list");
            assertTrue(d.path("time").has("from") && d.path("time").has("to"), file + ": time range");
            assertTrue(d.path("tags").toString().contains("packline"), file + ": tagged packline");
            assertFalse(d.has("id") && !d.path("id").isNull(), file + ": no numeric id (Grafana assigns it; a copied one clashes)");
        }
        for (Path file : files) {
            for (JsonNode link : GrafanaFiles.read(file).path("links")) {
                String target = link.path("url").asText().replaceFirst("^/d/", "");
                assertTrue(uids.contains(target), file + ": link '" + link.path("title").asText() + "' points at no dashboard: " + target);
            }
        }
    }

    @Test
    void panelsHaveUniqueIdsAValidGridAndQueries() {
        for (Path file : GrafanaFiles.dashboards()) {
            JsonNode d = GrafanaFiles.read(file);
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            List<JsonNode> panels = GrafanaFiles.panels(d);
            assertTrue(panels.size() >= 8, file + ": has its panels");
            for (JsonNode panel : panels) {
                String name = file.getFileName() + " panel \"" + panel.path("title").asText() + "\"";
                assertTrue(panel.path("id").isInt() && panel.path("id").asInt() > 0, name + ": a positive integer id");
                assertTrue(ids.add(panel.path("id").asInt()), name + ": id " + panel.path("id") + " used twice");
                assertTrue(PANEL_TYPES.contains(panel.path("type").asText()), name + ": known type, got " + panel.path("type"));
                assertFalse(panel.path("title").asText().isBlank(), name + ": a title");
                JsonNode grid = panel.path("gridPos");
                int x = grid.path("x").asInt(-1), y = grid.path("y").asInt(-1), w = grid.path("w").asInt(0), h = grid.path("h").asInt(0);
                assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, name + ": gridPos inside the 24 columns: " + grid);
                for (int[] other : boxes) {
                    boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                    assertFalse(overlap, name + ": overlaps another panel at " + grid);
                }
                boxes.add(new int[] {x, y, w, h});
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertFalse(panel.path("description").asText().isBlank(), name + ": a description (on-call reads it)");
                assertEquals(DATASOURCE, panel.path("datasource").path("uid").asText(), name + ": datasource ${datasource}");
                assertEquals("prometheus", panel.path("datasource").path("type").asText(), name);
                JsonNode targets = panel.path("targets");
                assertTrue(targets.isArray() && !targets.isEmpty(), name + ": at least one query");
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : targets) {
                    assertTrue(refIds.add(target.path("refId").asText()) && !target.path("refId").asText().isEmpty(), name + ": unique refIds");
                    assertFalse(target.path("expr").asText().isBlank(), name + ": an expression");
                    assertEquals(DATASOURCE, target.path("datasource").path("uid").asText(), name + " " + target.path("refId") + ": datasource");
                }
            }
        }
    }

    @Test
    void theDatasourceIsAVariableAndNoInstallationsUidIsHardCoded() {
        for (Path file : GrafanaFiles.dashboards()) {
            JsonNode d = GrafanaFiles.read(file);
            Set<String> defined = new HashSet<>(GRAFANA_VARIABLES);
            JsonNode datasourceVariable = null;
            for (JsonNode variable : d.path("templating").path("list")) {
                defined.add(variable.path("name").asText());
                if (variable.path("name").asText().equals("datasource")) {
                    datasourceVariable = variable;
                } else {
                    assertEquals(DATASOURCE, variable.path("datasource").path("uid").asText(), file + " variable " + variable.path("name") + ": datasource");
                }
            }
            assertTrue(datasourceVariable != null, file + ": a 'datasource' variable");
            assertEquals("datasource", datasourceVariable.path("type").asText(), file.toString());
            assertEquals("prometheus", datasourceVariable.path("query").asText(), file.toString());
            List<String> hardCoded = new ArrayList<>();
            walk(d, "", (path, key, value) -> {
                if (key.equals("datasource")) {
                    String uid = value.isTextual() ? value.asText() : value.path("uid").asText();
                    boolean builtInAnnotations = path.startsWith("/annotations") && uid.equals("-- Grafana --");
                    if (!uid.equals(DATASOURCE) && !builtInAnnotations) {
                        hardCoded.add(path + "/datasource = " + value);
                    }
                }
                if (value.isTextual()) {
                    Matcher m = VARIABLE.matcher(value.asText());
                    while (m.find()) {
                        if (!defined.contains(m.group(1))) {
                            hardCoded.add(path + "/" + key + " uses undefined variable $" + m.group(1));
                        }
                    }
                }
            });
            assertEquals(List.of(), hardCoded, file + ": datasources other than ${datasource}, or undefined variables");
        }
    }

    @Test
    void provisioningPointsGrafanaAtThePrometheusAndTheDashboards() {
        JsonNode dashboards = GrafanaFiles.read(GrafanaFiles.root().resolve("provisioning/dashboards/packline.yml"));
        assertEquals(1, dashboards.path("apiVersion").asInt());
        JsonNode provider = dashboards.path("providers").get(0);
        assertEquals("file", provider.path("type").asText());
        assertFalse(provider.path("options").path("path").asText().isBlank(), "the provider names the directory the JSON files are mounted in");
        JsonNode datasources = GrafanaFiles.read(GrafanaFiles.root().resolve("provisioning/datasources/packline.yml"));
        assertEquals(1, datasources.path("apiVersion").asInt());
        JsonNode datasource = datasources.path("datasources").get(0);
        assertEquals("prometheus", datasource.path("type").asText());
        assertTrue(datasource.path("url").asText().startsWith("http"), "a Prometheus URL");
        JsonNode prometheus = GrafanaFiles.read(GrafanaFiles.root().resolve("prometheus.yml"));
        Set<String> jobs = new HashSet<>();
        prometheus.path("scrape_configs").forEach(job -> jobs.add(job.path("job_name").asText()));
        assertEquals(Set.of("packline-worker", "packline-supervisor", "packline-api"), jobs, "the job names the rules and dashboards filter on");
        assertEquals("alerts/packline.rules.yml", prometheus.path("rule_files").get(0).asText());
    }

    /**
     * Writes every dashboard expression as a recording rule to target/dashboard-queries.rules.yml,
     * which grafana/check.sh hands to {@code promtool check rules}: Prometheus's own parser (with its
     * type checks) then reads the panels' queries too, not only the alert rules.
     */
    @Test
    void dashboardExpressionsAreWrittenForPromtool() throws Exception {
        List<Map<String, String>> rules = new ArrayList<>();
        for (GrafanaFiles.Query query : GrafanaFiles.queries()) {
            if (!query.where().startsWith("packline.rules.yml")) {
                rules.add(Map.of("record", "dashboard:query" + rules.size(), "expr", query.expression()));
            }
        }
        assertTrue(rules.size() > 40, "every panel query and variable: " + rules.size());
        Path out = Path.of("target", "dashboard-queries.rules.yml");
        Files.createDirectories(out.getParent());
        GrafanaFiles.YAML.writeValue(out.toFile(), Map.of("groups", List.of(Map.of("name", "packline-dashboard-queries", "rules", rules))));
        assertEquals(rules.size(), GrafanaFiles.read(out).path("groups").get(0).path("rules").size());
    }

    private interface Visitor {
        void visit(String path, String key, JsonNode value);
    }

    private static void walk(JsonNode node, String path, Visitor visitor) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                visitor.visit(path, field.getKey(), field.getValue());
                walk(field.getValue(), path + "/" + field.getKey(), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, visitor);
            }
        }
    }
}

package dev.packline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The on-call engineer follows an alert's {@code runbook_url} to docs/operations.md: every alert has
 * one, its anchor is a heading that exists there (as GitHub and most Markdown renderers make
 * anchors), and that heading is the alert's own section. Dashboards named in the rules' text and in
 * the alerts' sections are dashboards that exist, by their titles.
 */
class RunbookLinksTest {
    private static final String DOCS_PAGE = "docs/operations.md#";
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *$", Pattern.MULTILINE);
    private static final Pattern NAMED_DASHBOARD = Pattern.compile("\\*\\*(Packline / [^*]+)\\*\\*\\s+dashboard");

    @Test
    void everyAlertLinksToItsOwnSectionOfTheOperationsPage() throws IOException {
        Map<String, String> headingsByAnchor = headingsByAnchor(operationsPage());
        Map<String, JsonNode> rules = GrafanaFiles.alertRules();
        assertFalse(rules.isEmpty());
        for (Map.Entry<String, JsonNode> rule : rules.entrySet()) {
            String url = rule.getValue().path("annotations").path("runbook_url").asText();
            assertTrue(url.startsWith("https://") && url.contains(DOCS_PAGE), rule.getKey() + ": runbook_url should be https://.../" + DOCS_PAGE
                    + "ANCHOR, got '" + url + "'");
            String anchor = url.substring(url.indexOf(DOCS_PAGE) + DOCS_PAGE.length());
            assertTrue(headingsByAnchor.containsKey(anchor), rule.getKey() + ": no heading in docs/operations.md has the anchor #" + anchor
                    + "; anchors there: " + headingsByAnchor.keySet());
            assertEquals(rule.getKey(), headingsByAnchor.get(anchor), rule.getKey() + ": #" + anchor + " is another section");
            assertFalse(rule.getValue().path("annotations").has("runbook"), rule.getKey() + ": the runbook text lives in docs/operations.md now");
        }
    }

    @Test
    void everyDashboardTheRulesAndTheOperationsPageNameExists() throws IOException {
        Set<String> titles = new HashSet<>();
        for (Path file : GrafanaFiles.dashboards()) {
            titles.add(GrafanaFiles.read(file).path("title").asText());
        }
        for (Map.Entry<String, JsonNode> rule : GrafanaFiles.alertRules().entrySet()) {
            rule.getValue().path("annotations").properties().forEach(annotation -> {
                String text = annotation.getValue().asText();
                if (text.toLowerCase(Locale.ROOT).contains("dashboard")) {
                    assertTrue(titles.stream().anyMatch(text::contains), rule.getKey() + " " + annotation.getKey()
                            + " names a dashboard by something other than its title " + titles + ": " + text);
                }
            });
        }
        Matcher named = NAMED_DASHBOARD.matcher(operationsPage());
        int count = 0;
        while (named.find()) {
            assertTrue(titles.contains(named.group(1)), "docs/operations.md names dashboard '" + named.group(1) + "'; dashboards: " + titles);
            count++;
        }
        assertTrue(count >= 3, "the alerts' sections send the reader to dashboards by title");
    }

    @Test
    void anchorsAreMadeAsMarkdownRenderersMakeThem() {
        assertEquals(Map.of("packlinebackloghigh", "PacklineBacklogHigh", "queue-version-variables-queue-one-or-more-versions",
                        "Queue version (variables: queue, one or more versions)", "looking-around-and-fixing-things-binpackline-admin",
                        "Looking around and fixing things: `bin/packline admin`"),
                headingsByAnchor(String.join("\n", List.of("#### PacklineBacklogHigh", "### Queue version (variables: queue, one or more versions)",
                        "## Looking around and fixing things: `bin/packline admin`"))));
    }

    /** GitHub's rule: lower case, drop everything but letters, digits, spaces, hyphens and underscores, spaces become hyphens. */
    private static Map<String, String> headingsByAnchor(String markdown) {
        Map<String, String> anchors = new LinkedHashMap<>();
        Matcher heading = HEADING.matcher(markdown);
        while (heading.find()) {
            String text = heading.group(1);
            String anchor = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{Nd} _-]", "").replace(' ', '-');
            anchors.putIfAbsent(anchor, text);
        }
        return anchors;
    }

    private static String operationsPage() throws IOException {
        return Files.readString(GrafanaFiles.root().getParent().resolve("docs/operations.md"));
    }
}

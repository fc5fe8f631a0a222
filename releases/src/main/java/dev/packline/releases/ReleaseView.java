package dev.packline.releases;

import dev.packline.releases.redis.InstallReports.Tally;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How apps, releases and audit entries are shown to publishers (producer API bodies, admin output): plain maps, enums in lower case. */
public final class ReleaseView {
    private ReleaseView() {
    }

    public static Map<String, Object> app(App app) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("appId", app.id());
        m.put("owner", app.owner());
        m.put("deployments", app.deployments().stream().map(d -> Map.of("name", d.name(), "key", d.key())).toList());
        m.put("createdAt", app.createdAt());
        return m;
    }

    /** A release in full (its artifacts per channel included) and, when given, its report tallies. */
    public static Map<String, Object> release(Release r, Map<InstallEvent, Tally> reports) {
        Map<String, Object> m = summary(r);
        m.put("artifacts", r.artifacts());
        m.put("patches", r.patches());
        m.put("labels", r.labels().stream().map(l -> {
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("key", l.key());
            label.put("type", Names.of(l.type()));
            label.put("value", l.value());
            label.put("enabled", l.enabled());
            label.put("changedAt", l.changedAt());
            label.put("changedBy", l.changedBy());
            return label;
        }).toList());
        m.put("whitelist", r.rollout().whitelist());
        if (reports != null) {
            Map<String, Object> tallies = new LinkedHashMap<>();
            reports.forEach((event, t) -> tallies.put(Names.of(event), Map.of("reports", t.reports(), "clients", t.clients())));
            m.put("reports", tallies);
        }
        return m;
    }

    /** A release without its per-channel files and whitelist: for lists. */
    public static Map<String, Object> summary(Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("releaseId", r.id());
        m.put("appId", r.app());
        m.put("deployment", r.deployment());
        m.put("platform", r.platform());
        m.put("kind", Names.of(r.kind()));
        m.put("version", r.version());
        m.put("clientVersions", r.clientVersions().text());
        m.put("state", Names.of(r.state()));
        m.put("mandatory", r.mandatory());
        m.put("notes", r.notes());
        m.put("channels", r.artifacts().size());
        m.put("whitelistSize", r.rollout().whitelist().size());
        m.put("brands", r.rollout().brands());
        m.put("percentage", AuditText.percent(r.rollout().basisPoints()));
        m.put("source", r.source());
        m.put("promotedFrom", r.promotedFrom());
        m.put("createdBy", r.createdBy());
        m.put("createdAt", r.createdAt());
        m.put("updatedAt", r.updatedAt());
        m.put("revision", r.revision());
        return m;
    }

    public static List<Map<String, Object>> audit(List<AuditEntry> entries) {
        return entries.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at());
            m.put("actor", e.actor());
            m.put("release", e.release());
            m.put("action", e.action());
            m.put("detail", e.detail());
            return m;
        }).toList();
    }
}

package dev.packline.update.check;

import dev.packline.releases.Artifact;
import dev.packline.releases.Label;
import dev.packline.releases.Names;
import dev.packline.releases.Patch;
import dev.packline.releases.Release;
import dev.packline.releases.rollout.Decision;

import java.util.LinkedHashMap;
import java.util.Map;

/** The check routes' answer bodies, native and compatible, from a {@link Decision}. */
final class CheckAnswer {
    private CheckAnswer() {
    }

    /**
     * {@code {"update": false}}, or the release: id, version, mandatory, notes, labels, the full
     * download (url, sign, sha256, md5, size) and, when there is one from the installed file, the patch.
     */
    static Map<String, Object> nativeBody(Decision d) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("update", d.update());
        if (!d.update()) {
            return body;
        }
        Release r = d.release();
        body.put("outcome", Names.of(d.outcome()));
        body.put("releaseId", r.id());
        body.put("version", r.version());
        body.put("mandatory", r.mandatory());
        if (r.notes() != null) {
            body.put("notes", r.notes());
        }
        body.put("labels", labels(r));
        body.putAll(file(d.artifact(), "downloadUrl"));
        if (d.patch() != null) {
            body.put("patch", patch(d.patch()));
        }
        return body;
    }

    /**
     * The common self-built design's {@code data}: labels, version, mandatory and the full download.
     * Up to date, it holds only the client's own sign (clients download when the sign differs from
     * theirs), or nothing. The patch fields are the increment offers' ({@code IncrementOffers}).
     */
    static Map<String, Object> compatibleData(Decision d, String clientSign) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (d.update()) {
            data.putAll(labels(d.release()));
            data.put("version", d.release().version());
            data.put("mandatory", d.release().mandatory());
            data.putAll(file(d.artifact(), "downloadUrl"));
        } else if (clientSign != null) {
            data.put("sign", clientSign);
        }
        return data;
    }

    /** {@code {"status": 0, "data": {...}}}. */
    static Map<String, Object> compatibleBody(Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 0);
        body.put("data", data);
        return body;
    }

    private static Map<String, Object> labels(Release r) {
        Map<String, Object> labels = new LinkedHashMap<>();
        for (Label l : r.enabledLabels()) {
            labels.put(l.key(), l.value());
        }
        return labels;
    }

    private static Map<String, Object> file(Artifact a, String urlName) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(urlName, a.url());
        f.put("sign", a.sign());
        f.put("sha256", a.sha256());
        if (a.md5() != null) {
            f.put("md5", a.md5());
        }
        f.put("size", a.size());
        if (a.offline() != null) {
            f.put("package", a.offline()); // how the client loads an offline package: id, role, strategy, requiresCommon
        }
        return f;
    }

    private static Map<String, Object> patch(Patch p) {
        return file(p.file(), "url");
    }
}

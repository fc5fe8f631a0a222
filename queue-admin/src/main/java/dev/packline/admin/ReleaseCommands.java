package dev.packline.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.releases.ActionRequest;
import dev.packline.releases.App;
import dev.packline.releases.Release;
import dev.packline.releases.ReleaseView;
import dev.packline.releases.redis.InstallReports;
import dev.packline.releases.redis.RedisReleaseStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code admin release ...}: the release catalogue for operators: apps, releases, rollout actions,
 * promotion, the audit list. The same store and the same actions as the producer API's release
 * routes, without tenancy (the operator sees every app); each change is audited under {@code --as}.
 */
final class ReleaseCommands {
    static final String USAGE = """
              release apps                             every app: owner, deployments and their keys
              release app-create APP --owner PUBLISHER --deployments staging,production
              release list --app APP                   an app's releases, newest first
              release show ID --app APP                one release: files per channel, labels, rollout, reports
              release ACTION ID --app APP [PARAMS]     ACTION: start, pause, resume, full, rollback,
                                                       set-percentage --percentage 12.5, set-brands --brands a,b,
                                                       set-whitelist (--ids a,b | --ids-file FILE),
                                                       add-label --key K --type string|number|boolean|json --value JSON,
                                                       disable-label --key K
              release promote ID --app APP --deployment D
              release audit --app APP [--limit N]      who changed what, newest first
            """.stripTrailing();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisReleaseStore store;
    private final InstallReports reports;
    private final Output out;
    private final String actor;

    ReleaseCommands(RedisReleaseStore store, InstallReports reports, Output out, String actor) {
        this.store = store;
        this.reports = reports;
        this.out = out;
        this.actor = actor;
    }

    int run(Args args) throws IOException {
        String sub = args.word(1);
        if (sub == null) {
            throw new Args.UsageException("release needs a subcommand");
        }
        return switch (sub) {
            case "apps" -> apps(args);
            case "app-create" -> createApp(args);
            case "list" -> list(args);
            case "show" -> show(args);
            case "promote" -> promote(args);
            case "audit" -> audit(args);
            default -> {
                if (!ActionRequest.NAMES.contains(sub)) {
                    throw new Args.UsageException("unknown release subcommand '" + sub + "'");
                }
                yield act(sub, args);
            }
        };
    }

    private int apps(Args args) {
        args.allowOnly(Set.of("--json", "--as"));
        out.rows(List.of("appId", "owner", "deployments"), store.apps().stream().map(a -> Map.<String, Object>of("appId", a.id(),
                "owner", a.owner(), "deployments", String.join(" ", a.deployments().stream().map(d -> d.name() + "=" + d.key()).toList()))).toList());
        return AdminMain.OK;
    }

    private int createApp(Args args) {
        args.allowOnly(Set.of("--owner", "--deployments", "--json", "--as"));
        App app = store.createApp(requiredWord(args, 2, "APP"), args.required("--owner"), Arrays.asList(args.required("--deployments").split(",")),
                actor);
        print(ReleaseView.app(app), "created app " + app.id() + ": " + app.deployments());
        return AdminMain.OK;
    }

    private int list(Args args) {
        args.allowOnly(Set.of("--app", "--json", "--as"));
        out.rows(List.of("releaseId", "deployment", "platform", "kind", "version", "clientVersions", "state", "percentage", "whitelistSize",
                "channels"), store.releases(args.required("--app")).stream().map(ReleaseView::summary).toList());
        return AdminMain.OK;
    }

    private int show(Args args) {
        args.allowOnly(Set.of("--app", "--json", "--as"));
        Release r = release(args);
        Map<String, Object> view = ReleaseView.release(r, reports.tallies(r.id()));
        if (out.json) {
            out.json(view);
        } else {
            view.forEach((k, v) -> out.line(k + ": " + v));
        }
        return AdminMain.OK;
    }

    private int act(String action, Args args) throws IOException {
        args.allowOnly(Set.of("--app", "--percentage", "--brands", "--ids", "--ids-file", "--key", "--type", "--value", "--json", "--as"));
        long id = id(args);
        List<String> values = switch (action) {
            case "set-brands" -> list(args.required("--brands"));
            case "set-whitelist" -> args.option("--ids-file") != null
                    ? Files.readAllLines(Path.of(args.option("--ids-file"))).stream().map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : list(args.required("--ids"));
            default -> null;
        };
        JsonNode value = args.option("--value") == null ? null : parseValue(args.option("--value"));
        ActionRequest request = new ActionRequest(action, args.option("--percentage"), values, args.option("--key"), args.option("--type"), value);
        Release after = store.change(args.required("--app"), id, request.toAction(), actor);
        print(ReleaseView.summary(after), "release " + id + " of " + after.app() + " is " + ReleaseView.summary(after).get("state")
                + " (gray " + ReleaseView.summary(after).get("percentage") + ", whitelist " + after.rollout().whitelist().size() + ")");
        return AdminMain.OK;
    }

    private int promote(Args args) {
        args.allowOnly(Set.of("--app", "--deployment", "--json", "--as"));
        Release copy = store.promote(args.required("--app"), id(args), args.required("--deployment"), actor);
        print(ReleaseView.summary(copy), "release " + copy.id() + " on " + copy.deployment() + " is a draft copy of release " + copy.promotedFrom());
        return AdminMain.OK;
    }

    private int audit(Args args) {
        args.allowOnly(Set.of("--app", "--limit", "--json", "--as"));
        Integer limit = args.integer("--limit");
        out.rows(List.of("at", "actor", "release", "action", "detail"), ReleaseView.audit(store.audit(args.required("--app"),
                limit == null ? 50 : limit)).stream().map(e -> {
                    Map<String, Object> row = new java.util.LinkedHashMap<>(e);
                    row.put("at", java.time.Instant.ofEpochMilli((Long) e.get("at")).toString());
                    return row;
                }).toList());
        return AdminMain.OK;
    }

    private Release release(Args args) {
        long id = id(args);
        String app = args.required("--app");
        return store.release(app, id).orElseThrow(() -> new Commands.NotFoundException("app '" + app + "' has no release " + id));
    }

    private static long id(Args args) {
        String text = requiredWord(args, 2, "ID");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Args.UsageException("a release ID is a number, got '" + text + "'");
        }
    }

    private static String requiredWord(Args args, int index, String name) {
        String w = args.word(index);
        if (w == null) {
            throw new Args.UsageException("release " + args.word(1) + " needs " + name);
        }
        return w;
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A label value as JSON ({@code true}, {@code 3}, {@code "text"}, {@code {"a":1}}); a bare word is taken as a string. */
    private static JsonNode parseValue(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private void print(Map<String, Object> doc, String text) {
        if (out.json) {
            out.json(doc);
        } else {
            out.line(text);
        }
    }
}

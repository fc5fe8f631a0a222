package dev.packline.admin;

import dev.packline.queue.GroupSettings;
import dev.packline.queue.GroupStatus;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.QueueInspector;
import dev.packline.queue.QueueVersion;
import dev.packline.queue.VersionState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code admin group list|set}: the groups of a queue's versions (weight, cap, running, parked) and
 * changing one group's weight and cap. Settings live per version; {@code set} without --version
 * changes every version that is not retired, so a drain keeps serving by the same rules.
 */
final class GroupCommands {
    private final QueueBroker broker;
    private final QueueInspector inspector;
    private final Output out;

    GroupCommands(QueueBroker broker, QueueInspector inspector, Output out) {
        this.broker = broker;
        this.inspector = inspector;
        this.out = out;
    }

    int run(Args args) {
        String sub = args.word(1);
        if (sub == null) {
            throw new Args.UsageException("group needs list or set");
        }
        return switch (sub) {
            case "list" -> list(args);
            case "set" -> set(args);
            default -> throw new Args.UsageException("unknown group command '" + sub + "'; expected list or set");
        };
    }

    private int list(Args args) {
        args.allowOnly(Set.of("--queue", "--version", "--json"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueueVersion v : Commands.versionsNamed(args, broker, inspector)) {
            for (GroupStatus g : broker.groups(v)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("queue", v.name());
                row.put("version", v.version());
                row.put("group", g.group().isEmpty() ? "(default)" : g.group());
                row.put("weight", g.settings().weight());
                row.put("cap", g.settings().cap().isPresent() ? g.settings().cap().getAsInt() : null);
                row.put("running", g.running());
                row.put("parked", g.parked());
                rows.add(row);
            }
        }
        out.rows(List.of("queue", "version", "group", "weight", "cap", "running", "parked"), rows);
        return AdminMain.OK;
    }

    private int set(Args args) {
        args.allowOnly(Set.of("--queue", "--version", "--group", "--weight", "--cap", "--json"));
        String queue = args.required("--queue");
        String group = args.required("--group");
        Integer weight = args.integer("--weight");
        String capText = args.option("--cap");
        OptionalInt cap;
        if (capText == null || capText.equals("none")) {
            cap = OptionalInt.empty();
        } else {
            cap = OptionalInt.of(args.integer("--cap"));
        }
        GroupSettings settings;
        try {
            settings = new GroupSettings(weight == null ? GroupSettings.DEFAULT_WEIGHT : weight, cap);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        List<QueueVersion> versions = new ArrayList<>();
        for (QueueVersion v : Commands.versionsNamed(args, broker, inspector)) {
            if (args.integer("--version") != null || inspector.counts(v).state() != VersionState.RETIRED) {
                versions.add(v);
            }
        }
        if (versions.isEmpty()) {
            throw new Commands.NotFoundException("queue '" + queue + "' has no version that is not retired");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueueVersion v : versions) {
            int back;
            try {
                back = broker.setGroupSettings(v, group, settings);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", v.name());
            row.put("version", v.version());
            row.put("group", group);
            row.put("weight", settings.weight());
            row.put("cap", cap.isPresent() ? cap.getAsInt() : null);
            row.put("unparked", back);
            rows.add(row);
        }
        out.rows(List.of("queue", "version", "group", "weight", "cap", "unparked"), rows);
        return AdminMain.OK;
    }
}

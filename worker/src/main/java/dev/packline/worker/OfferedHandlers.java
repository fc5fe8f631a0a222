package dev.packline.worker;

import dev.packline.worker.stage.HandlerTools;
import dev.packline.worker.stage.HandlerToolsProvider;
import dev.packline.worker.stage.PackagingTools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The handler versions a worker process offers to {@code queues.NAME.handlers} (mixed mode, shadow
 * runs): the build's own, then those of the {@link HandlerToolsProvider}s on the classpath. Checked
 * once at start, before anything connects: a provider claiming a version already offered, a
 * provider that cannot be loaded, and a configuration naming a version nobody offers are each a
 * configuration error (exit status 2) that names the version and the provider, all listed at once.
 */
final class OfferedHandlers {
    /** A contradiction between the offered handler versions, or between them and the configuration. */
    static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message);
        }
    }

    /** The tools by handler version, and who offers each ("this build" or a provider's class name), in the same order. */
    record Offered(Map<String, HandlerTools> tools, Map<String, String> offeredBy) {
        /** For the start-up log line: {@code 1 (this build), 2 (this build), 3 (com.example.Candidate)}. */
        String describe() {
            List<String> parts = new ArrayList<>();
            offeredBy.forEach((version, by) -> parts.add(version + " (" + by + ")"));
            return String.join(", ", parts);
        }
    }

    private OfferedHandlers() {
    }

    /**
     * The versions this build ships. Handler 2 is this build's code under a second name: it lets an
     * operator rehearse mixed mode and a shadow run whose two sides must match before a changed
     * handler arrives (from a provider jar, or a later build that ships it under the next number);
     * every channel records which handler version wrote it ({@code handler} in the request's status).
     */
    static Map<String, HandlerTools> shipped() {
        HandlerTools shipped = new HandlerTools(PackagingTools.channelBuilder(), PackagingTools.patchMaker());
        Map<String, HandlerTools> versions = new LinkedHashMap<>();
        versions.put(WorkerApp.STAGE_HANDLER_VERSION, shipped);
        versions.put("2", shipped);
        return versions;
    }

    /** The shipped versions and those of the providers on this class loader's classpath. */
    static Offered load(ClassLoader loader) {
        List<HandlerToolsProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(HandlerToolsProvider.class, loader).forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            throw new Problem("a handler version provider on the classpath cannot be loaded: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        }
        return combine(shipped(), providers);
    }

    /** The shipped versions plus the providers' ones, in that order; every clash listed in one {@link Problem}. */
    static Offered combine(Map<String, HandlerTools> shipped, List<HandlerToolsProvider> providers) {
        Map<String, HandlerTools> offered = new LinkedHashMap<>(shipped);
        Map<String, String> offeredBy = new LinkedHashMap<>();
        shipped.keySet().forEach(v -> offeredBy.put(v, "this build"));
        List<String> problems = new ArrayList<>();
        for (HandlerToolsProvider provider : providers) {
            String name = provider.getClass().getName();
            int number = provider.version();
            String version = Integer.toString(number);
            if (number < 1) {
                problems.add("handler version provider " + name + " offers version " + number + ", which is not a version (1 or more)");
                continue;
            }
            String other = offeredBy.putIfAbsent(version, name);
            if (other != null) {
                problems.add("handler version provider " + name + " offers version " + version + ", which " + other
                        + " already offers; give it a version of its own");
                continue;
            }
            HandlerTools tools = provider.tools();
            if (tools == null) {
                problems.add("handler version provider " + name + " gave no tools for version " + version);
                continue;
            }
            offered.put(version, tools);
        }
        if (!problems.isEmpty()) {
            throw new Problem(String.join("; ", problems));
        }
        return new Offered(Collections.unmodifiableMap(offered), Collections.unmodifiableMap(offeredBy));
    }

    /** Refuses a configuration whose {@code queues.NAME.handlers} names a version that is not offered. */
    static void requireServed(WorkerConfig config, Map<String, HandlerTools> offered) {
        List<String> problems = new ArrayList<>();
        for (WorkerConfig.QueueConfig queue : config.queues()) {
            for (String version : new TreeSet<>(queue.handlers().keySet())) {
                if (!offered.containsKey(version)) {
                    problems.add("queues." + queue.name() + ".handlers names handler version " + version + ", which nobody offers (offered: "
                            + String.join(", ", offered.keySet()) + "; an extra version comes from a HandlerToolsProvider jar on the"
                            + " worker's classpath, see docs/operations.md)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Problem(String.join("; ", problems));
        }
    }
}

package dev.packline.packaging.cli;

import dev.packline.apkpatch.AppliedPatch;
import dev.packline.packaging.PackagingException;
import dev.packline.packaging.zipdelta.ZipDeltaApplier;
import dev.packline.packaging.zipdelta.ZipDeltaExplainer;
import dev.packline.packaging.zipdelta.ZipDeltaMaker;
import dev.packline.packaging.zipdelta.ZipDeltaReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The zip-aware side of {@code bin/packline diff}: {@code make --format zip-aware}, {@code apply}
 * of a patch that starts with the zip-aware magic, and {@code explain}. {@link DiffCommand} hands
 * these over through {@link #handles}; everything else stays with it.
 */
final class ZipDeltaCommand {
    static final String FORMAT = "zip-aware";
    static final String USAGE = """
              make --old A.apk --new B.apk --out PATCH --format zip-aware
                        zip-aware APK patch: changed deflated entries are diffed uncompressed and
                        recompressed on apply; checked by applying it once (JSON report)
              apply --old A.apk --patch PATCH --out B.apk
                        zip-aware patches are recognised by their header
              explain --patch PATCH
                        what a zip-aware patch holds: entries recompressed, bytes per part
            """;

    private final Console console;

    ZipDeltaCommand(Console console) {
        this.console = console;
    }

    /** Whether these arguments are a zip-aware command (a bsdiff apply or make stays with DiffCommand). */
    static boolean handles(List<String> args) throws PackagingException {
        if (args.isEmpty()) {
            return false;
        }
        return switch (args.get(0)) {
            case "explain" -> true;
            case "make" -> args.contains("--format=" + FORMAT) || args.indexOf("--format") >= 0
                    && args.indexOf("--format") + 1 < args.size() && args.get(args.indexOf("--format") + 1).equals(FORMAT);
            case "apply" -> patchArgument(args) != null && ZipDeltaApplier.isZipAware(Path.of(patchArgument(args)));
            default -> false;
        };
    }

    int run(List<String> args) throws PackagingException {
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "make" -> make(CommandLine.parse(rest, Set.of("old", "new", "out", "format"), Set.of()));
            case "apply" -> apply(CommandLine.parse(rest, Set.of("old", "patch", "out"), Set.of()));
            default -> explain(CommandLine.parse(rest, Set.of("patch"), Set.of()));
        };
    }

    private int make(CommandLine line) throws PackagingException {
        line.noPositional();
        Path patch = Path.of(line.required("out"));
        ZipDeltaReport report = new ZipDeltaMaker().make(Path.of(line.required("old")), Path.of(line.required("new")), patch);
        Map<String, Object> json = Console.object();
        json.put("patch", patch.toString());
        json.put("format", FORMAT);
        json.put("oldBytes", report.oldBytes());
        json.put("newBytes", report.newBytes());
        json.put("patchBytes", report.patchBytes());
        json.put("oldSha256", report.oldSha256());
        json.put("newSha256", report.newSha256());
        json.put("deltaOldBytes", report.deltaOldBytes());
        json.put("deltaNewBytes", report.deltaNewBytes());
        json.put("parts", report.parts());
        json.put("entries", report.entries());
        json.put("millis", report.millis());
        console.json(json);
        return Console.OK;
    }

    private int apply(CommandLine line) throws PackagingException {
        line.noPositional();
        Path newFile = Path.of(line.required("out"));
        long started = System.nanoTime();
        AppliedPatch applied = ZipDeltaApplier.apply(Path.of(line.required("old")), Path.of(line.required("patch")), newFile);
        Map<String, Object> json = Console.object();
        json.put("file", newFile.toString());
        json.put("format", FORMAT);
        json.put("newBytes", applied.newSize());
        json.put("newSha256", applied.newSha256());
        json.put("entriesInflated", applied.entriesInflated());
        json.put("entriesRecompressed", applied.entriesRecompressed());
        json.put("applyMillis", (System.nanoTime() - started) / 1_000_000);
        console.json(json);
        return Console.OK;
    }

    private int explain(CommandLine line) throws PackagingException {
        line.noPositional();
        Path patch = Path.of(line.required("patch"));
        ZipDeltaExplainer.Explanation explanation = ZipDeltaExplainer.explain(patch);
        Map<String, Object> json = Console.object();
        json.put("patch", patch.toString());
        json.put("format", FORMAT);
        json.put("explanation", explanation);
        console.json(json);
        return Console.OK;
    }

    private static String patchArgument(List<String> args) {
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--patch") && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith("--patch=")) {
                return args.get(i).substring("--patch=".length());
            }
        }
        return null;
    }
}

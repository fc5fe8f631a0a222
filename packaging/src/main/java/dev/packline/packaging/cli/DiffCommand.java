package dev.packline.packaging.cli;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.PatchReport;
import dev.packline.packaging.Patcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code bin/packline diff make|apply}: classic bsdiff patches between two files (jbsdiff). */
public final class DiffCommand {
    static final String USAGE = """
            Usage: bin/packline diff COMMAND ...

              make --old A --new B --out PATCH [--heap-budget-mb N]
                        write a bsdiff patch from A to B, apply it once to check B's SHA-256,
                        print sizes, hashes and timings (JSON)
              apply --old A --patch PATCH --out B [--heap-budget-mb N]
                        apply a bsdiff patch (also those made by the C bsdiff)
            """ + ZipDeltaCommand.USAGE + """
            """ + IncrementCommand.USAGE + """

            jbsdiff holds the files in the heap (about 9x the old file plus 5x the new one to diff);
            inputs needing more than the budget (default 3/4 of the max heap; raise -Xmx through
            PACKLINE_JAVA_OPTS) are refused before any work. For channel APKs, diff the mothers:
            see docs/packaging.md. Exit codes: docs/packaging.md.
            """;

    private final Console console;

    DiffCommand(Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(new DiffCommand(Console.system()).run(List.of(args)));
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.contains("--help") || args.get(0).equals("help")) {
            console.out.print(USAGE);
            return args.isEmpty() ? PackagingException.Problem.INVALID_ARGUMENT.exitCode() : Console.OK;
        }
        if (IncrementCommand.handles(args)) {
            return new IncrementCommand(console).run(args);
        }
        List<String> rest = args.subList(1, args.size());
        try {
            if (ZipDeltaCommand.handles(args)) {
                return new ZipDeltaCommand(console).run(args);
            }
            return switch (args.get(0)) {
                case "make" -> make(CommandLine.parse(rest, Set.of("old", "new", "out", "heap-budget-mb"), Set.of()));
                case "apply" -> apply(CommandLine.parse(rest, Set.of("old", "patch", "out", "heap-budget-mb"), Set.of()));
                default -> throw CommandLine.invalid("unknown diff command '" + args.get(0) + "'; expected make, apply or explain");
            };
        } catch (PackagingException e) {
            return console.fail(e);
        } catch (RuntimeException e) {
            return console.crash(e);
        }
    }

    private int make(CommandLine line) throws PackagingException {
        line.noPositional();
        Path oldFile = Path.of(line.required("old"));
        Path newFile = Path.of(line.required("new"));
        Path patch = Path.of(line.required("out"));
        PatchReport report = patcher(line).make(oldFile, newFile, patch);
        Map<String, Object> json = Console.object();
        json.put("patch", patch.toString());
        put(json, report);
        console.json(json);
        return Console.OK;
    }

    private int apply(CommandLine line) throws PackagingException {
        line.noPositional();
        Path oldFile = Path.of(line.required("old"));
        Path patch = Path.of(line.required("patch"));
        Path newFile = Path.of(line.required("out"));
        PatchReport report = patcher(line).apply(oldFile, patch, newFile);
        Map<String, Object> json = Console.object();
        json.put("file", newFile.toString());
        put(json, report);
        console.json(json);
        return Console.OK;
    }

    private static Patcher patcher(CommandLine line) throws PackagingException {
        Optional<String> budget = line.value("heap-budget-mb");
        if (budget.isEmpty()) {
            return Patcher.withDefaultBudget();
        }
        try {
            long megabytes = Long.parseLong(budget.get());
            if (megabytes <= 0) {
                throw CommandLine.invalid("--heap-budget-mb must be positive");
            }
            return new Patcher(megabytes << 20);
        } catch (NumberFormatException e) {
            throw CommandLine.invalid("--heap-budget-mb must be a number of MiB, not '" + budget.get() + "'");
        }
    }

    private static void put(Map<String, Object> json, PatchReport report) {
        json.put("oldBytes", report.oldBytes());
        json.put("newBytes", report.newBytes());
        json.put("patchBytes", report.patchBytes());
        json.put("oldSha256", report.oldSha256());
        json.put("newSha256", report.newSha256());
        json.put("patchSha256", report.patchSha256());
        json.put("diffMillis", report.diffMillis());
        json.put("applyMillis", report.applyMillis());
        json.put("heapNeedBytes", report.heapNeedBytes());
    }
}

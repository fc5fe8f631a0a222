package dev.packline.packaging.cli;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.offline.LoadingStrategy;
import dev.packline.packaging.offline.OfflineManifest;
import dev.packline.packaging.offline.OfflinePackage;
import dev.packline.packaging.offline.OfflinePackageReader;
import dev.packline.packaging.offline.OfflinePackageWriter;
import dev.packline.packaging.offline.PackageRole;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code bin/packline offline inspect|verify|pack}: offline H5 packages (a zip with a manifest). */
public final class OfflineCommand {
    static final String USAGE = """
            Usage: bin/packline offline COMMAND ...

              inspect PACKAGE.zip   verify the package and print its manifest, digests and size (JSON)
              verify PACKAGE.zip    verify it: no entry escaping the root ('..', absolute, backslash, drive,
                                    symbolic link, duplicate), manifest.json valid, every file listed with
                                    its size and SHA-256 and nothing unlisted; prints {"verified":true,...}
              pack DIR --id ID --version V --role main|sub|common --loading STRATEGY
                   [--requires-common VERSION] --out PACKAGE.zip
                                    zip every regular file under DIR with a computed manifest
                                    (STRATEGY: startup, config-change, scene, idle, delayed, blocking, smart)

            Patches between two packages: bin/packline diff make --format offline (docs/packaging.md).
            Exit codes: docs/packaging.md.
            """;

    private final Console console;

    OfflineCommand(Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(new OfflineCommand(Console.system()).run(List.of(args)));
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.contains("--help") || args.get(0).equals("help")) {
            console.out.print(USAGE);
            return args.isEmpty() ? PackagingException.Problem.INVALID_ARGUMENT.exitCode() : Console.OK;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "inspect" -> inspect(CommandLine.parse(rest, Set.of(), Set.of()), false);
                case "verify" -> inspect(CommandLine.parse(rest, Set.of(), Set.of()), true);
                case "pack" -> pack(CommandLine.parse(rest, Set.of("id", "version", "role", "loading", "requires-common", "out"), Set.of()));
                default -> throw CommandLine.invalid("unknown offline command '" + args.get(0) + "'; expected inspect, verify or pack");
            };
        } catch (PackagingException e) {
            return console.fail(e);
        } catch (RuntimeException e) {
            return console.crash(e);
        }
    }

    private int inspect(CommandLine line, boolean verifyOnly) throws PackagingException {
        OfflinePackage offline = new OfflinePackageReader().read(Path.of(line.onePositional("package zip")));
        Map<String, Object> json = Console.object();
        if (verifyOnly) {
            json.put("verified", true);
        }
        describe(json, offline);
        console.json(json);
        return Console.OK;
    }

    private int pack(CommandLine line) throws PackagingException {
        Path directory = Path.of(line.onePositional("directory"));
        PackageRole role = PackageRole.byJsonName(line.required("role"))
                .orElseThrow(() -> CommandLine.invalid("--role must be main, sub or common"));
        LoadingStrategy loading = LoadingStrategy.byJsonName(line.required("loading"))
                .orElseThrow(() -> CommandLine.invalid("--loading must be one of startup, config-change, scene, idle, delayed, blocking, smart"));
        OfflinePackageWriter.Identity identity = new OfflinePackageWriter.Identity(line.required("id"), line.required("version"), role,
                line.value("requires-common"), loading);
        Path out = Path.of(line.required("out"));
        OfflinePackage offline = new OfflinePackageWriter().pack(directory, identity, out);
        Map<String, Object> json = Console.object();
        json.put("file", out.toString());
        describe(json, offline);
        console.json(json);
        return Console.OK;
    }

    private static void describe(Map<String, Object> json, OfflinePackage offline) {
        OfflineManifest manifest = offline.manifest();
        json.put("id", manifest.id());
        json.put("version", manifest.version());
        json.put("role", manifest.role().jsonName());
        json.put("requiresCommon", manifest.requiresCommon().orElse(null));
        json.put("loading", manifest.loading().jsonName());
        json.put("files", manifest.files().size());
        json.put("contentBytes", offline.contentBytes());
        json.put("packageSha256", offline.packageSha256());
        json.put("zipSha256", offline.zipSha256());
    }
}

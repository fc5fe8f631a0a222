package dev.packline.packaging.cli;

import dev.packline.packaging.PackagingException;
import dev.packline.packaging.increment.BsdiffGzipApplier;
import dev.packline.packaging.increment.BsdiffGzipMaker;
import dev.packline.packaging.increment.ChunkIncrementApplier;
import dev.packline.packaging.increment.ChunkIncrementMaker;
import dev.packline.packaging.increment.IncrementFormat;
import dev.packline.packaging.increment.IncrementReport;
import dev.packline.packaging.offline.OfflinePackage;
import dev.packline.packaging.offline.OfflinePatchApplier;
import dev.packline.packaging.offline.OfflinePatchMaker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code diff make|apply --format chunk|bsdiff-gz|offline}: the increment formats for bundles and
 * offline packages, reached from {@link DiffCommand} when {@link #handles} says so. {@code apply}
 * recognises these formats from the patch's first bytes, so {@code --format} is optional there.
 */
final class IncrementCommand {
    static final String OFFLINE = "offline";
    static final String USAGE = """
              make --format chunk|bsdiff-gz|offline --old A --new B --out PATCH [--chunk-size N]
                        chunk: a chunk increment of UTF-8 text (JSON; --chunk-size, default 12 characters)
                        bsdiff-gz: bsdiff blocks compressed with gzip, appliable in plain JavaScript
                        offline: a per-file patch between two offline package zips
              apply [--format chunk|bsdiff-gz|offline] --old A --patch PATCH --out B
                        the format is recognised from the patch when --format is left out
            """;
    private static final Set<String> FORMATS = Set.of(IncrementFormat.CHUNK.cliName(), IncrementFormat.BSDIFF_GZIP.cliName(), OFFLINE);

    private final Console console;

    IncrementCommand(Console console) {
        this.console = console;
    }

    /** True when {@code args} ask for one of these formats, by --format or (for apply) by the patch's contents. */
    static boolean handles(List<String> args) {
        if (args.isEmpty() || !(args.get(0).equals("make") || args.get(0).equals("apply"))) {
            return false;
        }
        Optional<String> format = option(args, "format");
        if (format.isPresent()) {
            return FORMATS.contains(format.get());
        }
        return args.get(0).equals("apply") && option(args, "patch").flatMap(IncrementCommand::recognise).isPresent();
    }

    int run(List<String> args) {
        List<String> rest = args.subList(1, args.size());
        try {
            return args.get(0).equals("make")
                    ? make(CommandLine.parse(rest, Set.of("format", "old", "new", "out", "chunk-size"), Set.of()))
                    : apply(CommandLine.parse(rest, Set.of("format", "old", "patch", "out"), Set.of()));
        } catch (PackagingException e) {
            return console.fail(e);
        } catch (RuntimeException e) {
            return console.crash(e);
        }
    }

    private int make(CommandLine line) throws PackagingException {
        line.noPositional();
        String format = line.required("format");
        Path oldFile = Path.of(line.required("old"));
        Path newFile = Path.of(line.required("new"));
        Path out = Path.of(line.required("out"));
        if (line.value("chunk-size").isPresent() && !format.equals(IncrementFormat.CHUNK.cliName())) {
            throw CommandLine.invalid("--chunk-size is for --format chunk only");
        }
        Map<String, Object> json = Console.object();
        json.put("patch", out.toString());
        json.put("format", format);
        if (format.equals(OFFLINE)) {
            long started = System.nanoTime();
            OfflinePatchMaker.Made made = new OfflinePatchMaker().make(oldFile, newFile, out);
            json.put("patchBytes", made.patchBytes());
            json.put("oldPackageSha256", made.oldPackageSha256());
            json.put("newPackageSha256", made.newPackageSha256());
            json.put("unchanged", made.unchanged());
            json.put("changed", made.changed());
            json.put("added", made.added());
            json.put("removed", made.removed());
            json.put("millis", (System.nanoTime() - started) / 1_000_000);
        } else if (format.equals(IncrementFormat.CHUNK.cliName())) {
            int chunkSize = line.value("chunk-size").map(IncrementCommand::chunkSize).orElse(ChunkIncrementMaker.DEFAULT_CHUNK_SIZE);
            IncrementReport report = new ChunkIncrementMaker(chunkSize).make(oldFile, newFile, out);
            json.put("chunkSize", chunkSize);
            put(json, report);
            checkByApplying(oldFile, out);
        } else {
            put(json, new BsdiffGzipMaker().make(oldFile, newFile, out));
        }
        console.json(json);
        return Console.OK;
    }

    private int apply(CommandLine line) throws PackagingException {
        line.noPositional();
        Path oldFile = Path.of(line.required("old"));
        Path patch = Path.of(line.required("patch"));
        Path out = Path.of(line.required("out"));
        Optional<String> declared = line.value("format");
        String format = declared.isPresent() ? declared.get() : recognise(line.required("patch"))
                .orElseThrow(() -> CommandLine.invalid("cannot tell the format of " + patch + "; give --format"));
        Map<String, Object> json = Console.object();
        json.put("file", out.toString());
        json.put("format", format);
        if (format.equals(OFFLINE)) {
            OfflinePackage result = new OfflinePatchApplier().apply(oldFile, patch, out);
            json.put("id", result.manifest().id());
            json.put("version", result.manifest().version());
            json.put("packageSha256", result.packageSha256());
            json.put("files", result.files().size());
        } else if (format.equals(IncrementFormat.CHUNK.cliName())) {
            put(json, new ChunkIncrementApplier().apply(oldFile, patch, out));
        } else if (format.equals(IncrementFormat.BSDIFF_GZIP.cliName())) {
            put(json, new BsdiffGzipApplier().apply(oldFile, patch, out));
        } else {
            throw CommandLine.invalid("unknown --format " + format);
        }
        console.json(json);
        return Console.OK;
    }

    /**
     * The maker streams and never holds the old text, so it cannot check its own output; this applies
     * the increment like a client would (into a scratch file) and removes the increment if it fails.
     */
    private static void checkByApplying(Path oldFile, Path increment) throws PackagingException {
        Path check = null;
        try {
            check = Files.createTempFile(increment.toAbsolutePath().getParent(), ".packline-check-", ".partial");
            new ChunkIncrementApplier().apply(oldFile, increment, check);
        } catch (PackagingException e) {
            deleteQuietly(increment);
            throw e;
        } catch (IOException e) {
            throw new PackagingException(PackagingException.Problem.IO, "cannot create a file beside " + increment + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(check);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a scratch file keeps its .partial name; nothing mistakes it for an output
        }
    }

    private static int chunkSize(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1; // the maker refuses it with the allowed range
        }
    }

    private static void put(Map<String, Object> json, IncrementReport report) {
        json.put("oldBytes", report.oldBytes());
        json.put("newBytes", report.newBytes());
        json.put("patchBytes", report.incrementBytes());
        json.put("oldSha256", report.oldSha256());
        json.put("newSha256", report.newSha256());
        json.put("patchSha256", report.incrementSha256());
        json.put("millis", report.millis());
    }

    /** The format of the patch file at {@code path} from its first bytes: BSDIFFGZ, a JSON object, or a zip holding patch.json. */
    static Optional<String> recognise(String path) {
        byte[] head;
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            head = in.readNBytes(64);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the command itself then names the unreadable file
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("BSDIFFGZ")) {
            return Optional.of(IncrementFormat.BSDIFF_GZIP.cliName());
        }
        if (text.startsWith("{\"format\":\"chunk\"")) {
            return Optional.of(IncrementFormat.CHUNK.cliName());
        }
        if (text.startsWith("PK\u0003\u0004") && text.contains(OfflinePatchMaker.PATCH_JSON)) {
            return Optional.of(OFFLINE);
        }
        return Optional.empty();
    }

    private static Optional<String> option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--" + name) && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            if (args.get(i).startsWith("--" + name + "=")) {
                return Optional.of(args.get(i).substring(name.length() + 3));
            }
        }
        return Optional.empty();
    }
}

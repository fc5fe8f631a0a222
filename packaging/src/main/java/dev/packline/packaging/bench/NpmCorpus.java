package dev.packline.packaging.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The diff benchmark's corpus: consecutive releases of popular npm packages, fetched once from the
 * npm registry and cached under {@code ~/.cache/packline/npm} (never committed). Bundles are one
 * minified file of each release; folders are a release's whole {@code dist/}, which the benchmark
 * packs as offline packages.
 */
final class NpmCorpus {
    /** One file of consecutive releases of an npm package. */
    record Bundle(String npmPackage, String file, List<String> versions) {
    }

    /** A folder of consecutive releases of an npm package. */
    record Folder(String npmPackage, String folder, List<String> versions) {
    }

    static final List<Bundle> BUNDLES = List.of(
            new Bundle("react-dom", "umd/react-dom.production.min.js", List.of("18.2.0", "18.3.0", "18.3.1")),
            new Bundle("lodash", "lodash.min.js", List.of("4.17.19", "4.17.20", "4.17.21")),
            new Bundle("vue", "dist/vue.global.prod.js", List.of("3.4.36", "3.4.37", "3.4.38")),
            new Bundle("jquery", "dist/jquery.min.js", List.of("3.6.4", "3.7.0", "3.7.1")),
            new Bundle("moment", "min/moment.min.js", List.of("2.29.4", "2.30.0", "2.30.1")),
            new Bundle("echarts", "dist/echarts.min.js", List.of("5.5.0", "5.5.1", "5.6.0")));

    static final List<Folder> FOLDERS = List.of(
            new Folder("bootstrap", "dist", List.of("5.3.1", "5.3.2", "5.3.3")),
            new Folder("vue", "dist", List.of("3.4.36", "3.4.37", "3.4.38")));

    private static final String REGISTRY = "https://registry.npmjs.org/";

    private final Path cache;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    NpmCorpus(Path cache) {
        this.cache = cache;
    }

    static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "packline", "npm");
    }

    /** The bundle's file of each release, fetched when not cached yet, in release order. */
    List<Path> files(Bundle bundle) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        for (String version : bundle.versions()) {
            Path target = cache.resolve("files").resolve(bundle.npmPackage() + "-" + version).resolve(bundle.file());
            if (!Files.isRegularFile(target)) {
                extract(tarball(bundle.npmPackage(), version), "package/" + bundle.file(), target.getParent(), false);
            }
            files.add(target);
        }
        return files;
    }

    /** The folder of each release, extracted when not cached yet, in release order. */
    List<Path> folders(Folder folder) throws IOException, InterruptedException {
        List<Path> folders = new ArrayList<>();
        for (String version : folder.versions()) {
            Path target = cache.resolve("folders").resolve(folder.npmPackage() + "-" + version).resolve(folder.folder());
            if (!Files.isDirectory(target)) {
                extract(tarball(folder.npmPackage(), version), "package/" + folder.folder() + "/", target, true);
            }
            folders.add(target);
        }
        return folders;
    }

    private Path tarball(String npmPackage, String version) throws IOException, InterruptedException {
        Path tarball = cache.resolve("tarballs").resolve(npmPackage + "-" + version + ".tgz");
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        Files.createDirectories(tarball.getParent());
        URI uri = URI.create(REGISTRY + npmPackage + "/-/" + npmPackage + "-" + version + ".tgz");
        Path partial = Files.createTempFile(tarball.getParent(), ".fetch-", ".partial");
        try {
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                throw new IOException("the npm registry answered " + response.statusCode() + " for " + uri);
            }
            Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return tarball;
    }

    /** Extracts the entry {@code name} (or, for a folder, every entry under it) into {@code target}, atomically. */
    private static void extract(Path tarball, String name, Path target, boolean folder) throws IOException {
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), ".extract-");
        boolean found = false;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tarball)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile() || !(folder ? entry.getName().startsWith(name) : entry.getName().equals(name))) {
                    continue;
                }
                String relative = folder ? entry.getName().substring(name.length()) : Path.of(name).getFileName().toString();
                Path file = staging.resolve(relative).normalize();
                if (!file.startsWith(staging)) {
                    throw new IOException(tarball + " has an entry escaping its folder: " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy(new NonClosing(tar), file);
                found = true;
            }
            if (!found) {
                throw new IOException(tarball + " has no " + name);
            }
            if (folder) {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.createDirectories(target);
                Path file = staging.resolve(Path.of(name).getFileName().toString());
                Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(staging);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Lets Files.copy read one tar entry without closing the whole archive. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the archive stays open for the next entry
        }
    }
}

package dev.packline.worker;

import dev.packline.worker.stage.HandlerTools;
import dev.packline.worker.stage.HandlerToolsProvider;
import dev.packline.worker.stage.PackagingTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler versions a worker offers: the build's 1 and 2, providers' extra ones, and what is refused at start. */
class OfferedHandlersTest {
    private static final HandlerTools CANDIDATE = new HandlerTools(PackagingTools.channelBuilder(), PackagingTools.patchMaker());

    /** Found by the ServiceLoader test below through a services file it writes; offers version 3. */
    public static final class VersionThree implements HandlerToolsProvider {
        @Override
        public int version() {
            return 3;
        }

        @Override
        public HandlerTools tools() {
            return CANDIDATE;
        }
    }

    /** Claims the build's version 2. */
    public static final class ClaimsTwo implements HandlerToolsProvider {
        @Override
        public int version() {
            return 2;
        }

        @Override
        public HandlerTools tools() {
            return CANDIDATE;
        }
    }

    private static HandlerToolsProvider offering(int version) {
        return new HandlerToolsProvider() {
            @Override
            public int version() {
                return version;
            }

            @Override
            public HandlerTools tools() {
                return CANDIDATE;
            }
        };
    }

    /** A class loader that sees this module's classes plus a services file listing {@code providers}, as a provider jar would add. */
    private static URLClassLoader withServicesFile(Path dir, Class<?>... providers) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        StringBuilder lines = new StringBuilder("# what a provider jar lists\n");
        for (Class<?> p : providers) {
            lines.append(p.getName()).append('\n');
        }
        Files.writeString(services.resolve(HandlerToolsProvider.class.getName()), lines);
        return new URLClassLoader(new URL[]{dir.toUri().toURL()}, OfferedHandlersTest.class.getClassLoader());
    }

    @Test
    void withoutProvidersTheBuildOffersOneAndTwo() {
        assertEquals("1 (this build), 2 (this build)", OfferedHandlers.load(OfferedHandlersTest.class.getClassLoader()).describe());
    }

    @Test
    void aProviderJarOnTheClasspathAddsItsVersion(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = withServicesFile(dir, VersionThree.class)) {
            OfferedHandlers.Offered offered = OfferedHandlers.load(loader);
            assertEquals(List.of("1", "2", "3"), List.copyOf(offered.tools().keySet()));
            assertSame(CANDIDATE, offered.tools().get("3"));
            assertEquals("1 (this build), 2 (this build), 3 (" + VersionThree.class.getName() + ")", offered.describe());
        }
    }

    @Test
    void aProviderClaimingTheBuildsVersionIsRefusedByName(@TempDir Path dir) throws Exception {
        try (URLClassLoader loader = withServicesFile(dir, VersionThree.class, ClaimsTwo.class)) {
            OfferedHandlers.Problem e = assertThrows(OfferedHandlers.Problem.class, () -> OfferedHandlers.load(loader));
            assertEquals("handler version provider " + ClaimsTwo.class.getName() + " offers version 2, which this build already offers;"
                    + " give it a version of its own", e.getMessage());
        }
    }

    @Test
    void everyClashIsListedAtOnce() {
        record Case(String name, List<HandlerToolsProvider> providers, List<String> expected) {
        }
        List<Case> cases = List.of(
                new Case("two providers claim 3", List.of(offering(3), offering(3)), List.of("offers version 3, which ", " already offers")),
                new Case("version 1 is the build's", List.of(offering(1)), List.of("offers version 1, which this build already offers")),
                new Case("not a version", List.of(offering(0), offering(2)), List.of("offers version 0, which is not a version (1 or more)",
                        "offers version 2, which this build already offers")));
        for (Case c : cases) {
            OfferedHandlers.Problem e = assertThrows(OfferedHandlers.Problem.class, () -> OfferedHandlers.combine(OfferedHandlers.shipped(), c.providers()), c.name());
            for (String part : c.expected()) {
                assertTrue(e.getMessage().contains(part), c.name() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aProviderThatCannotBeLoadedIsNamed(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(HandlerToolsProvider.class.getName()), "dev.packline.rehearsal.Missing\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, OfferedHandlersTest.class.getClassLoader())) {
            OfferedHandlers.Problem e = assertThrows(OfferedHandlers.Problem.class, () -> OfferedHandlers.load(loader));
            assertTrue(e.getMessage().contains("dev.packline.rehearsal.Missing"), e.getMessage());
        }
    }

    @Test
    void aWorkerWhoseConfigNamesAVersionNobodyOffersRefusesToStart(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("worker.yml"), """
                redis: {url: "redis://127.0.0.1:1"}
                queues: {package: {concurrency: 1, handlers: {"1": [1], "7": [2]}}}
                """);
        OfferedHandlers.Problem e = assertThrows(OfferedHandlers.Problem.class,
                () -> OfferedHandlers.requireServed(WorkerConfig.load(config, Map.of()), OfferedHandlers.shipped()));
        assertTrue(e.getMessage().startsWith("queues.package.handlers names handler version 7, which nobody offers (offered: 1, 2;"), e.getMessage());

        // the process's own check: exit status 2 (bad configuration) before connecting to Redis, with the error on stderr
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int status;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            status = WorkerMain.run(new String[]{"--config", config.toString()});
        } finally {
            System.setErr(original);
        }
        assertEquals(ExitCode.BAD_CONFIG.status(), status, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("handler version 7, which nobody offers"), err.toString(StandardCharsets.UTF_8));
    }
}

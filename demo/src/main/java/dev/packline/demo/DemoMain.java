package dev.packline.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/packline demo}: the whole platform on embedded defaults, in well under a minute.
 * Exit status 0 when every channel APK and the patch verified, 1 when something did not, 2 for bad
 * arguments.
 */
public final class DemoMain {
    static final String USAGE = """
            Usage: bin/packline demo [--channels N] [--keep-running] [--dir DIR]
            Starts an embedded Redis, the producer API and a supervised pair of workers (their own
            processes) with a local-directory store, builds two releases of a small signed sample APK,
            submits a request for N channels (some with Chinese names) with a patch from the older
            release, shows the progress of every stage, then checks every channel APK with apksig,
            reads its channel back and applies the patch. Ctrl-C stops everything.
              --channels N      channels in the request (default 36, at most 500)
              --keep-running    leave everything running for bin/packline admin and curl until Ctrl-C,
                                and start the web console (its URL and demo sign-in are printed)
              --dir DIR         where configs, APKs, the store and logs go (default: a new temporary
                                directory, removed at exit unless --keep-running or something failed)
            """;

    private DemoMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        int channels = 36;
        boolean keepRunning = false;
        Path dir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--keep-running" -> keepRunning = true;
                    case "--channels" -> channels = Integer.parseInt(value(args, ++i, "--channels"));
                    case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (channels < 1 || channels > 500) {
                throw new IllegalArgumentException("--channels must be between 1 and 500");
            }
        } catch (NumberFormatException e) {
            err.println("demo: --channels needs a whole number");
            err.print(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String home = System.getProperty("packline.home");
        if (home == null) {
            err.println("demo: run it through bin/packline demo (the packline.home property is not set)");
            return 2;
        }
        Demo demo;
        try {
            demo = new Demo(Path.of(home), dir, channels, out);
        } catch (java.io.IOException e) {
            err.println("demo: cannot create its directory: " + e.getMessage());
            return 1;
        }
        // Ctrl-C: stop the services and Redis, and say so instead of reporting what the stop broke
        AtomicBoolean stoppedByUser = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!demo.isClosed()) {
                stoppedByUser.set(true);
                out.println();
                out.println("demo: stopping the services and Redis...");
                demo.close();
            }
        }, "demo-shutdown"));
        try (demo) {
            boolean ok = demo.run();
            if (!keepRunning) {
                out.println(demo.endingNote());
            }
            if (keepRunning) {
                demo.keepRunning();
                out.println("Everything keeps running; Ctrl-C stops it.");
                Thread.currentThread().join();
            }
            return ok ? 0 : 1;
        } catch (InterruptedException e) {
            return 1;
        } catch (Exception e) {
            // try-with-resources has closed the demo by now: only a Ctrl-C stop is left unreported
            if (!stoppedByUser.get()) {
                err.println("demo failed: " + e);
            }
            return 1;
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}

package dev.packline.bench.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.packaging.sample.SampleApkBuilder;
import dev.packline.redis.EmbeddedRedis;
import dev.packline.redis.RedisConnector;
import dev.packline.storage.CloudStoreSettings;
import dev.packline.storage.ObjectStore;
import dev.packline.storage.RedisUploadJournal;
import dev.packline.storage.s3proxy.DialectAdapter;
import dev.packline.storage.s3proxy.DialectAdapter.Dialect;
import redis.clients.jedis.UnifiedJedis;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/packline bench upload}: starts S3Proxy in-process on loopback (filesystem backend in a
 * temporary directory) behind the OSS and KS3 dialect adapters storage's tests use, builds a signed
 * mother of the given size, then per store kind measures, side by side in one run, (1) the mother's
 * multipart upload beside one plain PUT of the same file ({@link MotherUploads}) and (2) per channel,
 * the bytes sent with part copy beside a whole upload of the channel APK ({@link ChannelUploads}).
 * Multipart uploads are journaled in Redis as in the worker. Prints one JSON line.
 */
public final class UploadBenchmark {
    private static final String USAGE = """
            Usage: bin/packline bench upload [--size-mb N] [--channels N] [--rounds N] [--stores oss,ks3]
                                             [--part-mb N] [--concurrency N] [--download-checks N] [--redis URL] [--dir DIR]

              --size-mb N          size of the generated signed mother in MiB (default 64)
              --channels N         channels uploaded both ways, part copy and whole (default 4)
              --rounds N           measured mother uploads per side, alternating which side goes first,
                                   after one unmeasured upload per side (default 3)
              --stores LIST        store kinds to measure, comma-separated: oss, ks3 (default oss,ks3)
              --part-mb N          multipart part size in MiB, at least 5 (default 16, as config/worker.yml);
                                   files of at least one part go multipart
              --concurrency N      part requests in flight per store (default 8, as config/worker.yml)
              --download-checks N  part-copy channel objects downloaded and compared byte for byte with the
                                   local channel APK (default: every channel); every object's size and
                                   SHA-256 are checked either way
              --redis URL          Redis for the upload journal (default: PACKLINE_REDIS_URL, else an
                                   embedded redis-server)
              --dir DIR            where the mother, channel APKs and S3Proxy's files go
                                   (default: a temporary directory, removed after)

            Everything runs on loopback in this JVM: S3Proxy, the adapters (which buffer each request
            body whole before forwarding it), the SDK clients. Prints one JSON line per run: per store
            kind, MiB/s of the mother's multipart upload and of a plain PUT of the same file (medians of
            the rounds), and per channel the bytes sent and seconds with part copy and without.
            """;

    /** One run's settings; {@code redisUrl} null means an embedded redis-server. */
    record Params(int sizeMb, int channels, int rounds, List<Dialect> stores, int partMb, int concurrency, int downloadChecks,
                  String redisUrl) {
        Params {
            if (sizeMb < 6) {
                throw new IllegalArgumentException("--size-mb must be at least 6: part copy needs a mother prefix of 5 MiB or more");
            }
            if (partMb < 5 || partMb > 5 * 1024) {
                throw new IllegalArgumentException("--part-mb must be between 5 and 5120 (the providers' part rules), got " + partMb);
            }
            if (channels < 1 || rounds < 1 || concurrency < 1 || downloadChecks < 0 || stores.isEmpty()) {
                throw new IllegalArgumentException("--channels, --rounds and --concurrency must be positive and --stores not empty");
            }
        }
    }

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int sizeMb = 64;
        int channels = 4;
        int rounds = 3;
        List<Dialect> stores = List.of(Dialect.OSS, Dialect.KS3);
        int partMb = 16;
        int concurrency = 8;
        Integer downloadChecks = null;
        String redisUrl = System.getenv("PACKLINE_REDIS_URL");
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help" -> {
                    out.print(USAGE);
                    return;
                }
                case "--size-mb" -> sizeMb = number(args, ++i);
                case "--channels" -> channels = number(args, ++i);
                case "--rounds" -> rounds = number(args, ++i);
                case "--stores" -> stores = stores(value(args, ++i));
                case "--part-mb" -> partMb = number(args, ++i);
                case "--concurrency" -> concurrency = number(args, ++i);
                case "--download-checks" -> downloadChecks = number(args, ++i);
                case "--redis" -> redisUrl = value(args, ++i);
                case "--dir" -> dir = Path.of(value(args, ++i));
                default -> fail("unknown argument " + args[i]);
            }
        }
        Params params;
        try {
            params = new Params(sizeMb, channels, rounds, stores, partMb, concurrency, downloadChecks == null ? channels : downloadChecks, redisUrl);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("packline-bench-upload-") : Files.createDirectories(dir);
        try {
            out.println(new ObjectMapper().writeValueAsString(run(params, work)));
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    /** One run in {@code work} (left holding only the mother and S3Proxy's emptied buckets); the JSON the command prints. */
    static Map<String, Object> run(Params params, Path work) throws Exception {
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = system.getSystemLoadAverage();
        long buildStarted = System.nanoTime();
        Path mother = new SampleApkBuilder().payloadBytes((long) params.sizeMb() << 20).build(work.resolve("mother.apk"));
        double buildSeconds = (System.nanoTime() - buildStarted) / 1e9;
        long motherBytes = Files.size(mother);
        long partSize = params.partMb() * CloudStoreSettings.MIB;

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sizeMb", params.sizeMb());
        json.put("motherBytes", motherBytes);
        json.put("channels", params.channels());
        json.put("rounds", params.rounds());
        json.put("partBytes", partSize);
        json.put("concurrency", params.concurrency());
        json.put("buildSeconds", Figures.round(buildSeconds));
        EmbeddedRedis embedded = params.redisUrl() == null ? EmbeddedRedis.start() : null;
        try (UnifiedJedis redis = RedisConnector.open(embedded != null ? embedded.url() : params.redisUrl(), 4);
                LoopbackCloud cloud = new LoopbackCloud(Files.createDirectories(work.resolve("s3proxy")))) {
            RedisUploadJournal journal = new RedisUploadJournal(redis);
            for (Dialect dialect : params.stores()) {
                String kind = dialect.name().toLowerCase(Locale.ROOT);
                DialectAdapter adapter = cloud.adapter(dialect);
                try (ObjectStore multipart = cloud.open(dialect, kind + "-multipart", partSize, partSize, params.concurrency(), journal);
                        ObjectStore plain = cloud.open(dialect, kind + "-plain", partSize, Long.MAX_VALUE, params.concurrency(), null)) {
                    Map<String, Object> figures = new LinkedHashMap<>(MotherUploads.run(multipart, plain, adapter, mother, motherBytes, params.rounds()));
                    figures.putAll(ChannelUploads.run(multipart, adapter, mother, work, params.channels(), params.downloadChecks()));
                    multipart.delete(MotherUploads.STAGED_MOTHER);
                    json.put(kind, figures);
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        // the machine's load beside this process' own CPU use says how much outside work shared the cores
        json.put("loadAverageBefore", Figures.round(loadBefore));
        json.put("loadAverageAfter", Figures.round(system.getSystemLoadAverage()));
        json.put("wallSeconds", Figures.round((System.nanoTime() - buildStarted) / 1e9));
        if (system instanceof com.sun.management.OperatingSystemMXBean process) {
            json.put("processCpuSeconds", Figures.round(process.getProcessCpuTime() / 1e9));
        }
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("java", Runtime.version().toString());
        return json;
    }

    private static List<Dialect> stores(String list) {
        List<Dialect> stores = new ArrayList<>();
        for (String name : list.split(",")) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "oss" -> stores.add(Dialect.OSS);
                case "ks3" -> stores.add(Dialect.KS3);
                default -> fail("--stores takes oss and ks3, comma-separated; got '" + name.trim() + "'");
            }
        }
        return stores.stream().distinct().toList();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            fail(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static int number(String[] args, int index) {
        try {
            int value = Integer.parseInt(value(args, index));
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail(args[index - 1] + " needs a whole number");
        return 0;
    }

    private static void fail(String message) {
        System.err.println("packline: " + message + "\n" + USAGE);
        System.exit(2);
    }
}

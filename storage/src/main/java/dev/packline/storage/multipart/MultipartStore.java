package dev.packline.storage.multipart;

import dev.packline.storage.ObjectStore;
import dev.packline.storage.PrefixSource;
import dev.packline.storage.StoreErrorKind;
import dev.packline.storage.StoreException;
import dev.packline.storage.StoredObject;
import dev.packline.storage.UploadJournal;
import dev.packline.storage.UploadMode;
import dev.packline.storage.UploadObserver;
import dev.packline.storage.UploadReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * An object store on a provider's multipart API ({@link Dialect}): what OSS and KS3 share.
 *
 * <ul>
 *   <li>Below {@code multipartThreshold} an object goes in one request; above it, in parts read
 *       straight from disk, each on a virtual thread that first takes one of the store's
 *       {@code concurrency} slots. The store is shared by all jobs of a worker, so the slots bound
 *       the worker's concurrent part requests to this store, whatever the number of jobs.</li>
 *   <li>Every request retries throttling, 5xx, timeouts and dropped connections with capped,
 *       jittered backoff; bad credentials, access denied and missing buckets throw at once.</li>
 *   <li>With an {@link UploadJournal}, the upload id and every finished part are recorded, so the
 *       next attempt (any worker) sends only the missing parts.</li>
 *   <li>Each part is sent with its Content-MD5 and its returned ETag compared with the MD5; after
 *       completion the object's size, composite ETag and SHA-256 metadata are checked.</li>
 *   <li>{@link #uploadWithPrefix} copies the prefix of an object the store already holds into the
 *       leading parts and sends only the tail.</li>
 * </ul>
 */
public final class MultipartStore implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(MultipartStore.class);
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern COMPOSITE = Pattern.compile("[0-9a-f]{32}-\\d+");

    /**
     * @param partSize           bytes per sent part (at least the provider's minimum)
     * @param multipartThreshold objects of at least this size go in parts
     * @param copyPartSize       bytes per copied part (server-side, so larger parts mean fewer requests)
     * @param concurrency        part requests in flight at once for this store, all jobs together
     * @param maxAttempts        tries per request before the failure is thrown
     * @param backoffBase        first retry delay, doubled per try (jittered)
     * @param backoffMax         cap of the retry delay
     */
    public record Options(long partSize, long multipartThreshold, long copyPartSize, int concurrency, int maxAttempts,
                          Duration backoffBase, Duration backoffMax) {
        public Options {
            if (partSize <= 0 || multipartThreshold <= 0 || copyPartSize <= 0) {
                throw new IllegalArgumentException("part sizes and the multipart threshold must be positive");
            }
            if (concurrency < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("concurrency and maxAttempts must be at least 1");
            }
        }
    }

    private final String name;
    private final String prefix;
    private final Dialect dialect;
    private final Options options;
    private final UploadJournal journal;
    private static final LongConsumer NO_LISTENER = sentSoFar -> {
    };

    private final UploadObserver observer;
    private final Clock clock;
    private final Semaphore slots;
    private final Retries retries;
    private final PrefixDigests prefixDigests = new PrefixDigests();
    private final Map<String, ReentrantLock> uploadLocks = new ConcurrentHashMap<>();

    /** {@code journal} may be null: uploads then restart from scratch after a crash. */
    public MultipartStore(String name, String prefix, Dialect dialect, Options options, UploadJournal journal, UploadObserver observer, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.prefix = prefix == null || prefix.isEmpty() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
        if (!this.prefix.isEmpty()) {
            ObjectStore.requireValidKey(this.prefix + "x");
        }
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        if (options.partSize() < dialect.minPartSize()) {
            throw new IllegalArgumentException("store " + name + ": partSize " + options.partSize() + " is below the provider's minimum part size "
                    + dialect.minPartSize());
        }
        this.options = options;
        this.journal = journal;
        this.observer = observer == null ? UploadObserver.NONE : observer;
        this.clock = clock;
        this.slots = new Semaphore(options.concurrency(), true);
        this.retries = new Retries(name, dialect, options.maxAttempts(), options.backoffBase(), options.backoffMax(), this.observer);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UploadReport upload(String key, Path file) throws IOException {
        return upload(key, file, NO_LISTENER);
    }

    @Override
    public UploadReport upload(String key, Path file, LongConsumer sentBytes) throws IOException {
        ObjectStore.requireValidKey(key);
        Content content = Content.of(file);
        long started = System.nanoTime();
        UploadReport report = content.length() < options.multipartThreshold()
                ? plain(key, content, new SentBytes(sentBytes))
                : multipart(key, PartPlan.sent(content, options.partSize()), content, UploadMode.MULTIPART, new SentBytes(sentBytes));
        observer.uploaded(name, report.mode(), Duration.ofNanos(System.nanoTime() - started), report.stored().size());
        return report;
    }

    @Override
    public UploadReport uploadWithPrefix(String key, PrefixSource source, byte[] tail, String sha256) throws IOException {
        ObjectStore.requireValidKey(key);
        Content content = Content.prefixAndTail(source.localCopy(), source.prefixLength(), tail);
        long started = System.nanoTime();
        UploadReport report;
        Optional<Dialect.Head> held = source.prefixLength() < dialect.minPartSize() ? Optional.empty()
                : call("stat " + source.objectKey(), () -> dialect.head(objectKey(source.objectKey())));
        if (held.isEmpty() || held.get().size() < source.prefixLength()) {
            log.debug("store {}: {} uploaded whole ({} bytes of prefix, source held: {})", name, key, source.prefixLength(), held.isPresent());
            report = content.length() < options.multipartThreshold()
                    ? plain(key, content, new SentBytes(NO_LISTENER))
                    : multipart(key, PartPlan.sent(content, options.partSize()), content, UploadMode.MULTIPART, new SentBytes(NO_LISTENER));
        } else {
            long copyPart = Math.max(options.copyPartSize(), dialect.minPartSize());
            List<long[]> ranges = PartPlan.copyRanges(source.prefixLength(), copyPart);
            PrefixDigests.Digests digests = prefixDigests.of(source, ranges);
            String actual = digests.sha256With(tail);
            if (!actual.equals(sha256)) {
                throw new StoreException(StoreErrorKind.INTEGRITY, name, key + ": prefix plus tail hash to " + actual + ", the caller expected "
                        + sha256 + " (the local copy of " + source.objectKey() + " changed?)");
            }
            PartPlan plan = PartPlan.copied(content, objectKey(source.objectKey()), copyPart, digests.md5s(), ranges, sha256);
            report = multipart(key, plan, content, UploadMode.PART_COPY, new SentBytes(NO_LISTENER));
        }
        if (!report.stored().sha256().equals(sha256)) {
            throw new StoreException(StoreErrorKind.INTEGRITY, name, key + " was stored with SHA-256 " + report.stored().sha256()
                    + " but the caller expected " + sha256);
        }
        observer.uploaded(name, report.mode(), Duration.ofNanos(System.nanoTime() - started), report.stored().size());
        return report;
    }

    private UploadReport plain(String key, Content content, SentBytes sent) throws IOException {
        PartPlan plan = PartPlan.sent(content, Long.MAX_VALUE);
        Part whole = plan.parts().getFirst();
        String objectKey = objectKey(key);
        String etag = call("put " + key, () -> {
            try (InputStream in = counting(content.open(0, content.length()), sent)) {
                String returned = dialect.putObject(objectKey, in, content.length(), base64(whole.md5Hex()), plan.sha256());
                checkPartEtag(key, whole, returned);
                return returned;
            }
        });
        log.debug("store {}: put {} ({} bytes, ETag {})", name, key, content.length(), etag);
        return new UploadReport(verify(key, plan, false), UploadMode.PLAIN, sent.get(), 0);
    }

    private UploadReport multipart(String key, PartPlan plan, Content content, UploadMode mode, SentBytes sent) throws IOException {
        String objectKey = objectKey(key);
        // One upload of a key at a time in this process: two jobs writing the same key would otherwise share a journal entry.
        // A ReentrantLock, not synchronized: the holder blocks on network I/O, which must not pin a virtual thread's carrier.
        ReentrantLock lock = uploadLocks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            return multipartLocked(key, objectKey, plan, content, mode, sent);
        } finally {
            lock.unlock();
        }
    }

    private UploadReport multipartLocked(String key, String objectKey, PartPlan plan, Content content, UploadMode mode, SentBytes sent)
            throws IOException {
        Map<Integer, String> done = new ConcurrentHashMap<>();
        String uploadId = null;
        Optional<UploadJournal.Entry> entry = journal == null ? Optional.empty() : journal.find(name, key);
        if (entry.isPresent() && entry.get().planId().equals(plan.id())) {
            uploadId = entry.get().uploadId();
            for (Part part : plan.parts()) {
                String etag = entry.get().parts().get(part.number());
                if (etag != null && etagMatches(etag, part.md5Hex())) {
                    done.put(part.number(), etag);
                }
            }
            log.info("store {}: resuming the upload of {} ({} of {} parts already done)", name, key, done.size(), plan.parts().size());
        } else if (entry.isPresent()) {
            abortQuietly(key, entry.get().uploadId());
            journal.forget(name, key, entry.get().uploadId());
        }
        int reused = done.size();
        if (uploadId == null) {
            uploadId = call("start upload of " + key, () -> dialect.initiate(objectKey, plan.sha256()));
            if (journal != null) {
                journal.started(name, key, uploadId, plan.id(), clock.instant());
            }
        }
        sendParts(key, objectKey, uploadId, plan, content, done, sent);
        List<Dialect.CompletedPart> parts = plan.parts().stream().map(p -> new Dialect.CompletedPart(p.number(), done.get(p.number()))).toList();
        String finalUploadId = uploadId;
        try {
            call("complete upload of " + key, () -> dialect.complete(objectKey, finalUploadId, parts));
        } catch (StoreException e) {
            if (journal != null) {
                journal.forget(name, key, uploadId);
            }
            if (e.kind() == StoreErrorKind.NOT_FOUND) {
                // Another delivery of the same job may have completed it first: the object decides.
                try {
                    StoredObject stored = verify(key, plan, true);
                    return new UploadReport(stored, mode, sent.get(), reused);
                } catch (StoreException notThere) {
                    throw new StoreException(StoreErrorKind.INTEGRITY, name, "the store no longer knows upload " + uploadId + " of " + key
                            + "; the next attempt starts over", e);
                }
            }
            throw e;
        }
        if (journal != null) {
            journal.forget(name, key, uploadId);
        }
        return new UploadReport(verify(key, plan, true), mode, sent.get(), reused);
    }

    /** Sends (or copies) every part not yet done, each on its own virtual thread behind the store's slots; the first failure stops the rest. */
    private void sendParts(String key, String objectKey, String uploadId, PartPlan plan, Content content, Map<Integer, String> done,
                           SentBytes sent) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Part part : plan.parts()) {
            if (done.containsKey(part.number())) {
                continue;
            }
            threads.add(Thread.ofVirtual().name("upload-" + name + "-part-" + part.number()).start(() -> {
                try {
                    if (failure.get() != null) {
                        return;
                    }
                    slots.acquire();
                    try {
                        String etag = call((part.copied() ? "copy part " : "upload part ") + part.number() + " of " + key, () -> {
                            if (failure.get() != null) {
                                throw new InterruptedIOException("another part of " + key + " failed");
                            }
                            return sendPart(key, objectKey, uploadId, part, content, sent);
                        });
                        done.put(part.number(), etag);
                        if (journal != null) {
                            journal.partDone(name, key, uploadId, part.number(), etag, clock.instant());
                        }
                    } finally {
                        slots.release();
                    }
                } catch (Throwable t) {
                    if (failure.compareAndSet(null, t)) {
                        threads.forEach(other -> {
                            if (other != Thread.currentThread()) {
                                other.interrupt();
                            }
                        });
                    }
                }
            }));
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        }
        Throwable first = failure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        }
        if (first != null) {
            throw new IOException("uploading " + key + " failed", first);
        }
    }

    private String sendPart(String key, String objectKey, String uploadId, Part part, Content content, SentBytes sent) throws IOException {
        String etag;
        if (part.copied()) {
            etag = dialect.copyPart(objectKey, uploadId, part.number(), part.copySource(), part.offset(), part.length());
        } else {
            try (InputStream in = counting(content.open(part.offset(), part.length()), sent)) {
                etag = dialect.uploadPart(objectKey, uploadId, part.number(), in, part.length(), base64(part.md5Hex()));
            }
        }
        checkPartEtag(key, part, etag);
        return etag;
    }

    private void checkPartEtag(String key, Part part, String etag) throws StoreException {
        if (!etagMatches(etag, part.md5Hex())) {
            throw new StoreException(StoreErrorKind.INTEGRITY, name, "part " + part.number() + " of " + key + " was stored with ETag " + etag
                    + " but its MD5 is " + part.md5Hex());
        }
    }

    /** A 32-hex ETag must be the part's MD5; other forms (encrypted objects) say nothing about the bytes. */
    private static boolean etagMatches(String etag, String md5Hex) {
        String normal = normalEtag(etag);
        return !MD5_HEX.matcher(normal).matches() || normal.equals(md5Hex);
    }

    private static String normalEtag(String etag) {
        return etag == null ? "" : etag.replace("\"", "").trim().toLowerCase(Locale.ROOT);
    }

    /** Reads back what the store holds and compares it with the plan; a difference fails the attempt. */
    private StoredObject verify(String key, PartPlan plan, boolean multipart) throws IOException {
        Dialect.Head head = call("stat " + key, () -> dialect.head(objectKey(key)))
                .orElseThrow(() -> new StoreException(StoreErrorKind.INTEGRITY, name, key + " is missing right after its upload"));
        if (head.size() != plan.length()) {
            throw new StoreException(StoreErrorKind.INTEGRITY, name, key + " holds " + head.size() + " bytes, " + plan.length() + " were uploaded");
        }
        String etag = normalEtag(head.etag());
        String expected = multipart ? plan.compositeEtag() : plan.parts().getFirst().md5Hex();
        if ((multipart ? COMPOSITE : MD5_HEX).matcher(etag).matches() && !etag.equals(expected)) {
            throw new StoreException(StoreErrorKind.INTEGRITY, name, key + " has ETag " + etag + ", the uploaded parts make " + expected);
        }
        if (head.sha256() != null && !head.sha256().equals(plan.sha256())) {
            throw new StoreException(StoreErrorKind.INTEGRITY, name, key + " carries SHA-256 " + head.sha256() + ", uploaded " + plan.sha256());
        }
        return new StoredObject(key, head.size(), plan.sha256());
    }

    @Override
    public Optional<StoredObject> stat(String key) throws IOException {
        ObjectStore.requireValidKey(key);
        Optional<Dialect.Head> head = call("stat " + key, () -> dialect.head(objectKey(key)));
        if (head.isEmpty()) {
            return Optional.empty();
        }
        String sha256 = head.get().sha256();
        if (sha256 == null) {
            // written by something else: hash what a client would download
            MessageDigest sha = PartPlan.digest("SHA-256");
            try (InputStream in = new DigestInputStream(open(key), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            sha256 = HexFormat.of().formatHex(sha.digest());
        }
        return Optional.of(new StoredObject(key, head.get().size(), sha256));
    }

    @Override
    public InputStream open(String key) throws IOException {
        ObjectStore.requireValidKey(key);
        return call("download " + key, () -> dialect.get(objectKey(key)));
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectStore.requireValidKey(key);
        call("delete " + key, () -> {
            dialect.delete(objectKey(key));
            return null;
        });
    }

    @Override
    public void abortUpload(String key, String uploadId) throws IOException {
        ObjectStore.requireValidKey(key);
        call("abort upload " + uploadId + " of " + key, () -> {
            dialect.abort(objectKey(key), uploadId);
            return null;
        });
    }

    @Override
    public String url(String key) {
        ObjectStore.requireValidKey(key);
        return dialect.url(objectKey(key));
    }

    @Override
    public void close() {
        dialect.close();
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            abortUpload(key, uploadId);
        } catch (IOException e) {
            log.info("store {}: could not abort the stale upload {} of {} (the janitor will): {}", name, uploadId, key, e.getMessage());
        }
    }

    private String objectKey(String key) {
        return prefix + key;
    }

    private InputStream counting(InputStream in, SentBytes sent) {
        return new CountingStream(in, n -> {
            sent.add(n);
            observer.bytesSent(name, n);
        });
    }

    private <T> T call(String what, Retries.Request<T> request) throws IOException {
        return retries.call(what, request);
    }

    private static String base64(String md5Hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5Hex));
    }
}

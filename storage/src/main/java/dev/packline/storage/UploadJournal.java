package dev.packline.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a multipart upload's progress lives outside the process that runs it: the upload id and
 * the parts already finished. A worker that dies mid-upload leaves its entry behind; the job's next
 * delivery, on any worker, finds it and sends only the missing parts. Entries nobody touched for a
 * while are the janitor's ({@link UploadJanitor}): it aborts their uploads and forgets them.
 *
 * <p>{@code planId} names the content and how it was cut into parts: an entry is resumed only by
 * an upload of the same plan, never mixed with parts of other bytes.
 */
public interface UploadJournal {

    /** One unfinished multipart upload. {@code parts}: part number to the ETag the store gave it. */
    record Entry(String store, String key, String uploadId, String planId, Instant updatedAt, Map<Integer, String> parts) {
    }

    Optional<Entry> find(String store, String key);

    /** Records a new upload for the key, replacing any entry the key had. */
    void started(String store, String key, String uploadId, String planId, Instant now);

    /** Records a finished part; ignored when the key's entry is no longer this upload. */
    void partDone(String store, String key, String uploadId, int partNumber, String etag, Instant now);

    /** Drops the key's entry if it is still this upload. */
    void forget(String store, String key, String uploadId);

    /** Entries not updated since {@code cutoff}, oldest first, at most {@code limit}. */
    List<Entry> idleSince(Instant cutoff, int limit);
}

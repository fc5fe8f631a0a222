package dev.packline.queue.upgrade;

import dev.packline.queue.Job;

/**
 * The candidate side of a shadow run: runs a shadow job with every side effect redirected (no
 * request state, no next-stage jobs, no notification, nothing written over a real object) and says
 * what it produced, in the same facts the real handler reports for the job it copies.
 */
@FunctionalInterface
public interface ShadowHandler {
    /** Throws when the run failed; the shadow's retry budget decides whether it runs again. */
    ShadowResult run(Job shadowJob) throws Exception;
}

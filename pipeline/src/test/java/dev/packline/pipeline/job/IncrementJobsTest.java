package dev.packline.pipeline.job;

import dev.packline.pipeline.Stage;
import dev.packline.pipeline.artifact.ArtifactKind;
import dev.packline.pipeline.artifact.ArtifactSubmission;
import dev.packline.pipeline.artifact.PatchFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job kinds that share a queue with older ones: artifact jobs on the upload queue and increment
 * jobs (bundle, offline, zip-aware APK) on the diff queue, told apart by their {@code job} field,
 * while payloads without it still read as the kinds they always were.
 */
class IncrementJobsTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void eachNewKindRoundTripsThroughItsQueuesReader() throws Exception {
        ArtifactSubmission submission = new ArtifactSubmission("s1", "pub", "app", ArtifactKind.BUNDLE, "index.bundle", "2.4.7",
                "file:///b.js", "local", "rn/", 5);
        List<StageJob> jobs = List.of(ArtifactJob.of(submission),
                IncrementJob.of("s1", PatchFormat.CHUNK, "store://local/rn/a.js", "store://local/rn/b.js", A, B, "local", "k1"),
                IncrementJob.of("s1", PatchFormat.OFFLINE_PATCH, "store://local/o/a.zip", "store://local/o/b.zip", A, B, "local", "k2"),
                IncrementJob.of("on-demand", PatchFormat.ZIP_AWARE, "store://local/x-1.apk", "store://local/x-2.apk", A, B, "local", "k3"));
        for (StageJob job : jobs) {
            String json = StageJobs.write(job);
            assertEquals(job, StageJobs.read(job.stage(), json), json);
        }
        String artifact = StageJobs.write(jobs.get(0));
        assertTrue(artifact.contains("\"job\":\"artifact\"") && artifact.contains("\"kind\":\"bundle\""), artifact);
        assertTrue(StageJobs.write(jobs.get(3)).contains("\"job\":\"increment\",\"requestId\":\"on-demand\",\"format\":\"zip-aware\""));
        assertEquals("rn/index.bundle-2.4.7-aaaaaaaaaaaaaaaa.js", ((ArtifactJob) jobs.get(0)).submission().objectKey(A));
        assertEquals("inc:zip-aware:" + A + ":" + B, ((IncrementJob) jobs.get(3)).jobId());
    }

    @Test
    void olderKindsOnTheSameQueuesStillReadAsBefore() throws Exception {
        String diff = StageJobs.write(DiffJob.of("r1", "file:///o.apk", "file:///n.apk", A, B, "local", "p.bsdiff"));
        assertInstanceOf(DiffJob.class, StageJobs.read(Stage.DIFF, diff));
        String upload = "{\"requestId\":\"r1\",\"index\":2,\"channel\":\"c\",\"mother\":\"file:///m.apk\",\"format\":\"walle\","
                + "\"nameTemplate\":\"{channel}.apk\",\"outputStore\":\"local\",\"motherSha256\":\"aa\",\"objectKey\":\"c.apk\",\"bytes\":1,\"sha256\":\"bb\"}";
        assertInstanceOf(UploadJob.class, StageJobs.read(Stage.UPLOAD, upload));
    }

    @Test
    void badIncrementPayloadsAreMalformedByName() {
        String good = StageJobs.write(IncrementJob.of("s1", PatchFormat.CHUNK, "store://l/a", "store://l/b", A, B, "local", "k"));
        record Case(String payload, String message) {
        }
        for (Case c : List.of(new Case(good.replace("\"format\":\"chunk\"", "\"format\":\"xdelta\""), "unknown format 'xdelta'"),
                new Case(good.replace(",\"to\":\"store://l/b\"", ""), "lacks 'to'"),
                new Case(good.replace("\"toSha256\":\"" + B + "\"", "\"toSha256\":null"), "lacks 'toSha256'"))) {
            JobFormatException e = assertThrows(JobFormatException.class, () -> StageJobs.read(Stage.DIFF, c.payload()), c.payload());
            assertEquals(JobFormatException.Problem.MALFORMED, e.problem());
            assertTrue(e.getMessage().contains(c.message()), e.getMessage());
        }
    }

    @Test
    void aFailedIncrementNamesNoMotherPair() {
        String json = StageJobs.write(IncrementJob.of("s1", PatchFormat.BSDIFF, "store://l/a", "store://l/b", A, B, "local", "k"));
        JobIdentity identity = StageJobs.identify(json).orElseThrow();
        assertEquals(Optional.empty(), identity.motherPair(), "its dead letter must not end a request's mother patch");
        assertEquals(IncrementJob.JOB, StageJobs.jobField(json));
    }
}

package dev.packline.pipeline.job;

import dev.packline.pipeline.ChannelSpec;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stage jobs' JSON form: today's payloads still read, each kind round-trips, and bad payloads are named outcomes. */
class StageJobsTest {
    /** Payloads exactly as workers before payloadVersion wrote them (no version field). */
    private static final String PACKAGE_BEFORE_VERSIONS = "{\"requestId\":\"r1\",\"index\":2,\"channel\":\"华为\",\"extra\":{\"k\":\"v\"},"
            + "\"mother\":\"file:///m.apk\",\"format\":\"walle\",\"nameTemplate\":\"{channel}.apk\",\"outputStore\":\"local\",\"outputPrefix\":\"out/\"}";
    private static final String UPLOAD_BEFORE_VERSIONS = "{\"requestId\":\"r1\",\"index\":2,\"channel\":\"华为\",\"extra\":{\"k\":\"v\"},"
            + "\"mother\":\"file:///m.apk\",\"format\":\"walle\",\"nameTemplate\":\"{channel}.apk\",\"outputStore\":\"local\",\"outputPrefix\":\"out/\","
            + "\"motherSha256\":\"aa\",\"objectKey\":\"out/华为.apk\",\"bytes\":1234,\"sha256\":\"bb\"}";
    private static final String DIFF_BEFORE_VERSIONS = "{\"requestId\":\"r1\",\"old\":\"file:///old.apk\",\"new\":\"file:///m.apk\","
            + "\"oldSha256\":\"cc\",\"newSha256\":\"aa\",\"outputStore\":\"local\",\"objectKey\":\"out/patches/cc-aa.bsdiff\"}";
    private static final String NOTIFY_BEFORE_VERSIONS = "{\"requestId\":\"r1\"}";

    @Test
    void payloadsOfTodaysFormatAreReadAsFormatOne() throws Exception {
        PackageJob pkg = StageJobs.read(PACKAGE_BEFORE_VERSIONS, PackageJob.class);
        assertEquals(new PackageJob(1, "r1", 2, "华为", Map.of("k", "v"), "file:///m.apk", "walle", "{channel}.apk", "local", "out/"), pkg);
        assertEquals(new ChannelSpec("华为", Map.of("k", "v")), pkg.channel());

        UploadJob upload = StageJobs.read(UPLOAD_BEFORE_VERSIONS, UploadJob.class);
        assertEquals(pkg.upload("aa", "out/华为.apk", 1234, "bb"), upload);

        DiffJob diff = assertInstanceOf(DiffJob.class, StageJobs.read(Stage.DIFF, DIFF_BEFORE_VERSIONS));
        assertEquals(DiffJob.of("r1", "file:///old.apk", "file:///m.apk", "cc", "aa", "local", "out/patches/cc-aa.bsdiff"), diff);

        assertEquals(NotifyJob.of("r1"), StageJobs.read(Stage.NOTIFY, NOTIFY_BEFORE_VERSIONS));
    }

    @Test
    void everyKindRoundTripsWithItsVersionAndTheFieldNamesOfBefore() throws Exception {
        PackagingRequest request = new PackagingRequest("r2", "pub", "app", "file:///m.apk", List.of(new ChannelSpec("a", Map.of())),
                null, "local", null, null, null, null, null);
        PackageJob pkg = PackageJob.of(request, 0);
        List<StageJob> jobs = List.of(pkg, pkg.upload("aa", "a.apk", 10, "bb"),
                DiffJob.of("r2", "file:///o.apk", "file:///m.apk", "cc", "aa", "local", "p.bsdiff"), NotifyJob.of("r2"));
        for (StageJob job : jobs) {
            String json = StageJobs.write(job);
            assertTrue(json.startsWith("{\"payloadVersion\":1,\"requestId\":\"r2\""), json);
            assertEquals(job, StageJobs.read(job.stage(), json));
        }
        assertTrue(StageJobs.write(pkg).contains("\"channel\":\"a\",\"extra\":{}"), "the channel stays flat, as readers of before expect");
        assertTrue(StageJobs.write(jobs.get(2)).contains("\"old\":\"file:///o.apk\",\"new\":\"file:///m.apk\""));
    }

    @Test
    void badPayloadsAreMalformedAndNameTheProblem() {
        record Case(String payload, Class<? extends StageJob> kind, String message) {
        }
        List<Case> cases = List.of(
                new Case("not json", PackageJob.class, "is not JSON"),
                new Case("[1,2]", NotifyJob.class, "is not a JSON object"),
                new Case(UPLOAD_BEFORE_VERSIONS.replace(",\"sha256\":\"bb\"", ""), UploadJob.class, "lacks 'sha256'"),
                new Case(PACKAGE_BEFORE_VERSIONS.replace("\"index\":2,", ""), PackageJob.class, "lacks 'index'"),
                new Case(PACKAGE_BEFORE_VERSIONS.replace("\"mother\":\"file:///m.apk\"", "\"mother\":null"), PackageJob.class, "lacks 'mother'"),
                new Case(UPLOAD_BEFORE_VERSIONS.replace("\"bytes\":1234", "\"bytes\":\"many\""), UploadJob.class, "has a bad 'bytes'"),
                new Case(DIFF_BEFORE_VERSIONS.replace("\"new\":\"file:///m.apk\",", ""), DiffJob.class, "lacks 'new'"));
        for (Case c : cases) {
            JobFormatException e = assertThrows(JobFormatException.class, () -> StageJobs.read(c.payload(), c.kind()), c.payload());
            assertEquals(JobFormatException.Problem.MALFORMED, e.problem(), c.payload());
            assertTrue(e.getMessage().startsWith(c.message()), c.payload() + " -> " + e.getMessage());
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndANewerFormatIsNotTheJobsFault() throws Exception {
        assertEquals(NotifyJob.of("r1"), StageJobs.read("{\"requestId\":\"r1\",\"addedLater\":true}", NotifyJob.class));
        JobFormatException newer = assertThrows(JobFormatException.class,
                () -> StageJobs.read("{\"payloadVersion\":2,\"requestId\":\"r1\"}", NotifyJob.class));
        assertEquals(JobFormatException.Problem.NEWER_FORMAT, newer.problem());
    }

    @Test
    void identityIsReadFromPayloadsTheStagesReject() {
        JobIdentity noMother = StageJobs.identify(PACKAGE_BEFORE_VERSIONS.replace("\"mother\":\"file:///m.apk\",", "")).orElseThrow();
        assertEquals(Optional.of("r1"), noMother.requestId());
        assertEquals(Optional.of(2), noMother.index());
        assertEquals(Optional.of("华为"), noMother.channel());
        assertEquals(Optional.empty(), noMother.motherPair());
        assertEquals(Optional.of(new JobIdentity.MotherPair("cc", "aa")), StageJobs.identify(DIFF_BEFORE_VERSIONS).orElseThrow().motherPair());
        assertEquals(Optional.empty(), StageJobs.identify("not json"));
    }
}

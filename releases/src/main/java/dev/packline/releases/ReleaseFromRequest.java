package dev.packline.releases;

import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of an APK release, taken from a finished packaging request: one artifact per channel
 * that was uploaded (a client installed from channel {@code huawei} gets the {@code huawei} APK),
 * and the request's finished patches. Packline's patches are made between mothers, so a patch is
 * offered to a client whose installed file is the older mother itself.
 */
public final class ReleaseFromRequest {
    private ReleaseFromRequest() {
    }

    /** What to publish besides the request's files. */
    public record Spec(String deployment, String platform, String version, String clientVersions, boolean mandatory, String notes,
                       List<NewRelease.NewLabel> labels) {
    }

    /** The release to create, or a {@link ReleaseException} (INVALID) when the request cannot make one. */
    public static NewRelease of(RequestStatus status, Spec spec) {
        PackagingRequest request = status.request();
        if (!status.finished() || !status.requestState().producedOutputs()) {
            throw new ReleaseException(Refusal.INVALID, "request " + request.id() + " is " + status.state()
                    + "; a release is made from a request that is done (or partly failed)");
        }
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        for (Map<String, Object> channel : status.channels()) {
            Object url = channel.get("url");
            Object sha256 = channel.get("sha256");
            Object bytes = channel.get("bytes");
            int index = ((Number) channel.get("index")).intValue();
            if (url == null || sha256 == null || !(bytes instanceof Number size) || index >= request.channels().size()) {
                continue; // a channel that failed: its clients keep being offered what they were offered before
            }
            String object = channel.get("objectKey") == null ? null : "store://" + channel.get("store") + "/" + channel.get("objectKey");
            artifacts.put(request.channels().get(index).name(), new Artifact(object, url.toString(), size.longValue(), sha256.toString(), null));
        }
        if (artifacts.isEmpty()) {
            throw new ReleaseException(Refusal.INVALID, "request " + request.id() + " has no uploaded channel to release");
        }
        List<Patch> patches = new ArrayList<>();
        for (Map<String, Object> diff : status.diffs()) {
            if ("done".equals(diff.get("state")) && diff.get("url") != null && diff.get("bytes") instanceof Number size) {
                patches.add(new Patch(diff.get("oldSha256").toString(), null,
                        new Artifact(diff.get("objectKey") == null ? null : diff.get("objectKey").toString(), diff.get("url").toString(),
                                size.longValue(), diff.get("sha256").toString(), diff.get("md5") == null ? null : diff.get("md5").toString())));
            }
        }
        return new NewRelease(request.appId(), spec.deployment(), spec.platform(), ReleaseKind.APK, spec.version(), spec.clientVersions(),
                artifacts, patches, spec.mandatory(), spec.notes(), spec.labels(), "request:" + request.id());
    }
}

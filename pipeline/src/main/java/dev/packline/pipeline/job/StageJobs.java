package dev.packline.pipeline.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.packline.pipeline.Stage;

import java.lang.reflect.RecordComponent;
import java.util.Optional;

/**
 * The JSON form of every stage job, in one place. Field names are those the jobs have always had,
 * so a job written before {@code payloadVersion} existed (format 1, no such field) is read as is.
 *
 * <ul>
 *   <li>Missing field: a required one (each record marks them) makes the job malformed, named in the
 *       message; the stage dead-letters it at once, since redelivery cannot mend it. Optional fields
 *       ({@code extra}, {@code outputPrefix}) take their empty default.</li>
 *   <li>Unknown field: ignored, so a worker still reads a job to which a later worker of the same
 *       format added an optional field. A change an older reader must not ignore raises
 *       {@link #PAYLOAD_VERSION}.</li>
 *   <li>A format newer than this code reads is not the job's fault: it is reported as such, and
 *       the job is retried (by a newer worker, in a rollout). Incompatible formats go to a new queue
 *       version (ARCHITECTURE.md, "Rolling out a new job format").</li>
 * </ul>
 */
public final class StageJobs {
    /** The payload format this code writes and the newest it reads. */
    public static final int PAYLOAD_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private StageJobs() {
    }

    public static String write(StageJob job) {
        try {
            return JSON.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a " + job.stage().queueName() + " job is not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    /** The job of {@code stage} in {@code payload}. */
    public static StageJob read(Stage stage, String payload) throws JobFormatException {
        return switch (stage) {
            case PACKAGE -> read(payload, PackageJob.class);
            case UPLOAD -> ArtifactJob.JOB.equals(jobField(payload)) ? read(payload, ArtifactJob.class) : read(payload, UploadJob.class);
            case DIFF -> IncrementJob.JOB.equals(jobField(payload)) ? read(payload, IncrementJob.class) : read(payload, DiffJob.class);
            case NOTIFY -> read(payload, NotifyJob.class);
        };
    }

    /**
     * The {@code job} field that tells the kinds sharing a queue apart (the upload queue's artifact
     * jobs, the diff queue's increment jobs); null for the kinds written before it existed, and for
     * a payload that is not a JSON object (reading it then names that problem).
     */
    public static String jobField(String payload) {
        try {
            JsonNode node = payload == null ? null : JSON.readTree(payload);
            JsonNode job = node == null || !node.isObject() ? null : node.get("job");
            return job != null && job.isTextual() ? job.textValue() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public static <T extends StageJob> T read(String payload, Class<T> kind) throws JobFormatException {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new JobFormatException(JobFormatException.Problem.MALFORMED, "is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new JobFormatException(JobFormatException.Problem.MALFORMED, "is not a JSON object", null);
        }
        JsonNode version = node.get("payloadVersion");
        if (version == null) {
            ((ObjectNode) node).put("payloadVersion", 1); // written before the field existed: format 1
        } else if (version.canConvertToInt() && version.asInt() > PAYLOAD_VERSION) {
            throw new JobFormatException(JobFormatException.Problem.NEWER_FORMAT, "is in payload format " + version.asInt()
                    + ", newer than the " + PAYLOAD_VERSION + " this worker reads", null);
        }
        try {
            T job = JSON.treeToValue(node, kind);
            requireFields(job);
            return job;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new JobFormatException(JobFormatException.Problem.MALFORMED, cause.getMessage(), e);
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "?" : e.getPath().getLast().getFieldName();
            String problem = e.getOriginalMessage().startsWith("Missing required creator property")
                    ? "lacks '" + field + "'" : "has a bad '" + field + "': " + e.getOriginalMessage();
            throw new JobFormatException(JobFormatException.Problem.MALFORMED, problem, e);
        } catch (JsonProcessingException e) {
            throw new JobFormatException(JobFormatException.Problem.MALFORMED, "is not a " + kind.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The request, channel and mother pair a payload names, whatever else is wrong with it; empty
     * when it is not a JSON object at all.
     */
    public static Optional<JobIdentity> identify(String payload) {
        JsonNode node;
        try {
            node = payload == null ? null : JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        JsonNode index = node.get("index");
        return Optional.of(new JobIdentity(text(node, "requestId"),
                index != null && index.canConvertToInt() ? Optional.of(index.asInt()) : Optional.empty(),
                text(node, "channel"), text(node, "oldSha256"), text(node, "newSha256")));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? Optional.empty() : Optional.of(value.asText());
    }

    /**
     * A required field given as JSON {@code null} decodes to null (only a missing one is refused by
     * Jackson): every component marked required must hold a value.
     */
    private static void requireFields(StageJob job) throws JobFormatException {
        for (RecordComponent component : job.getClass().getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            if (property == null || !property.required()) {
                continue;
            }
            try {
                if (component.getAccessor().invoke(job) == null) {
                    String field = property.value().isEmpty() ? component.getName() : property.value();
                    throw new JobFormatException(JobFormatException.Problem.MALFORMED, "lacks '" + field + "'", null);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component + " of a " + job.getClass().getSimpleName(), e);
            }
        }
    }
}

package dev.packline.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packline.queue.NewJob;
import dev.packline.queue.Priority;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a publisher submits: one mother APK, the channels to build from it, where the outputs go,
 * what to diff against, whom to tell, and its priority ({@code urgent}, {@code normal} (the default) or
 * {@code bulk}: the level of its jobs on the queues, see queue-core's {@link Priority}). Validated as a whole: {@link #problems()} lists every
 * problem, so the API answers 400 with all of them and a worker dead-letters a bad request with
 * the same reasons.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackagingRequest(String id, String publisher, String appId, String mother, List<ChannelSpec> channels,
                               String format, String outputStore, String outputPrefix, String nameTemplate,
                               List<String> diffAgainst, List<String> notifyChannels, String notifyLevel, String priority) {

    public static final int MAX_CHANNEL_NAME = 100;
    public static final String DEFAULT_TEMPLATE = "{package}-{versionName}-{channel}.apk";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public PackagingRequest {
        channels = channels == null ? List.of() : List.copyOf(channels);
        diffAgainst = diffAgainst == null ? List.of() : List.copyOf(diffAgainst);
        notifyChannels = notifyChannels == null ? List.of() : List.copyOf(notifyChannels);
        format = format == null ? "walle" : format;
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
        nameTemplate = nameTemplate == null ? DEFAULT_TEMPLATE : nameTemplate;
        notifyLevel = notifyLevel == null ? "all" : notifyLevel;
        priority = priority == null ? Priority.NORMAL.wireName() : priority;
    }

    /** A request at normal priority (requests recorded before priorities existed read so too). */
    public PackagingRequest(String id, String publisher, String appId, String mother, List<ChannelSpec> channels, String format,
                            String outputStore, String outputPrefix, String nameTemplate, List<String> diffAgainst,
                            List<String> notifyChannels, String notifyLevel) {
        this(id, publisher, appId, mother, channels, format, outputStore, outputPrefix, nameTemplate, diffAgainst, notifyChannels,
                notifyLevel, null);
    }

    /** The level of the request's jobs; call on a valid request ({@link #problems()} names a bad priority). */
    public Priority queuePriority() {
        return Priority.parse(priority);
    }

    /** Every problem with this request, empty when it is valid. */
    public List<RequestProblem> problems() {
        List<RequestProblem> problems = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add(new RequestProblem("id", "1 to 64 letters, digits, '-' or '_', got '" + id + "'"));
        }
        if (appId == null || appId.isBlank()) {
            problems.add(new RequestProblem("appId", "required"));
        }
        try {
            NewJob.requireGroupName(publisher); // the publisher is its package jobs' fair-share group
        } catch (IllegalArgumentException e) {
            problems.add(new RequestProblem("publisher", e.getMessage().replace("group", "publisher name")));
        }
        if (mother == null || !(mother.startsWith("file://") || mother.startsWith("https://") || mother.startsWith("store://"))) {
            problems.add(new RequestProblem("mother", "a file://, https:// or store://NAME/KEY location of the signed mother APK, got '" + mother + "'"));
        }
        if (channels.isEmpty()) {
            problems.add(new RequestProblem("channels", "at least one channel"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < channels.size(); i++) {
            String name = channels.get(i).name();
            String problem = channelNameProblem(name);
            if (problem != null) {
                problems.add(new RequestProblem("channels[" + i + "]", problem));
            } else if (!seen.add(name)) {
                problems.add(new RequestProblem("channels[" + i + "]", "'" + name + "' appears twice"));
            }
        }
        if (!List.of("walle", "vasdolly", "both").contains(format)) {
            problems.add(new RequestProblem("format", "walle, vasdolly or both, got '" + format + "'"));
        }
        if (!nameTemplate.contains("{channel}")) {
            problems.add(new RequestProblem("nameTemplate", "must contain {channel}, or every channel would get the same file name"));
        }
        if (outputPrefix.contains("..") || outputPrefix.startsWith("/")) {
            problems.add(new RequestProblem("outputPrefix", "must be relative and must not contain '..'"));
        }
        if (!List.of("all", "failures", "none").contains(notifyLevel)) {
            problems.add(new RequestProblem("notifyLevel", "all, failures or none, got '" + notifyLevel + "'"));
        }
        if (Arrays.stream(Priority.values()).noneMatch(p -> p.wireName().equals(priority))) {
            problems.add(new RequestProblem("priority", "urgent, normal or bulk, got '" + priority + "'"));
        }
        for (int i = 0; i < diffAgainst.size(); i++) {
            String old = diffAgainst.get(i);
            if (old == null || !(old.startsWith("file://") || old.startsWith("https://") || old.startsWith("store://"))) {
                problems.add(new RequestProblem("diffAgainst[" + i + "]", "a file://, https:// or store:// location, got '" + old + "'"));
            }
        }
        return problems;
    }

    /** Why a channel name cannot be used, or null: it becomes part of file and object names. */
    public static String channelNameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "channel name is empty";
        }
        if (name.codePointCount(0, name.length()) > MAX_CHANNEL_NAME) {
            return "channel name longer than " + MAX_CHANNEL_NAME + " characters";
        }
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            return "channel name '" + name + "' contains a path separator or '..'";
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            return "channel name contains control characters";
        }
        return null;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request " + id + " as JSON", e);
        }
    }

    public static PackagingRequest fromJson(String json) {
        try {
            return JSON.readValue(json, PackagingRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid packaging request: " + e.getOriginalMessage(), e);
        }
    }
}

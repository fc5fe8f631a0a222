package dev.packline.api.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packline.api.auth.Authenticator;
import dev.packline.api.auth.Publishers.Caller;
import dev.packline.api.http.ApiError;
import dev.packline.api.http.Json;
import dev.packline.api.http.Reason;
import dev.packline.api.jobs.SubmitBody;
import dev.packline.api.limits.PriorityRule;
import dev.packline.http.input.InputProblem;
import dev.packline.http.input.JsonBody;
import dev.packline.http.input.JsonFields;
import dev.packline.http.input.RequestBody;
import dev.packline.pipeline.PackagingRequest;
import dev.packline.pipeline.RequestRules;
import dev.packline.queue.QueueBroker;
import dev.packline.queue.schedule.Schedule;
import dev.packline.queue.schedule.ScheduleStore;
import dev.packline.settings.Settings;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A publisher's recurring packaging requests: {@code POST /v1/schedules} (create or replace one),
 * {@code GET /v1/schedules} (the caller's), {@code DELETE /v1/schedules/{name}}. Each is a schedule
 * on the {@code housekeeping} queue whose tick submits the request ({@code submit-request}); the
 * request is checked as {@code POST /v1/jobs} checks it (fields, deployment rules, priority grant,
 * channels in flight cap) when the schedule is made, and its ticks are at least
 * {@link #MIN_PERIOD} apart, since scheduled submits do not pass the submit rate limit.
 */
public final class SchedulesApi {
    static final Duration MIN_PERIOD = Duration.ofHours(1);
    static final int MAX_PER_PUBLISHER = 20;
    static final String QUEUE = "housekeeping";
    private static final Set<String> FIELDS = Set.of("name", "cron", "every", "zone", "request");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param maxBodyBytes the largest body read */
    public record Params(ScheduleStore schedules, QueueBroker queues, Authenticator auth, RequestRules rules, Clock clock, long maxBodyBytes) {
    }

    private final Params p;
    private final JsonBody json;
    private final SubmitBody submitBody;

    public SchedulesApi(Params params) {
        this.p = params;
        this.json = new JsonBody(JsonBody.Limits.defaults().withMaxBytes(params.maxBodyBytes()));
        this.submitBody = new SubmitBody(json);
    }

    /** {@code POST /v1/schedules}: 201 when created, 200 when it replaced the caller's schedule of that name. */
    public void put(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        ObjectNode root = json.object(RequestBody.read(req, p.maxBodyBytes()));
        List<InputProblem> found = new ArrayList<>();
        JsonFields fields = new JsonFields(root, found).only(FIELDS).required(List.of("name", "request"));
        String name = fields.text("name");
        String cron = fields.text("cron");
        String everyText = fields.text("every");
        String zone = fields.text("zone");
        JsonNode spec = fields.raw("request");
        if (!found.isEmpty()) {
            List<ApiError.Problem> problems = found.stream().map(ApiError::problem).toList();
            throw new ApiError(400, problems.getFirst().reason(), problems.size() == 1 ? problems.getFirst().field() + ": "
                    + problems.getFirst().message() : problems.size() + " problems with the schedule", problems, null);
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "name", "1 to 40 letters, digits, '-' or '_', got '" + name + "'");
        }
        if (spec == null || !spec.isObject()) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, "request", "the packaging request, as POST /v1/jobs takes it");
        }
        Duration every = null;
        if (everyText != null) {
            try {
                every = Settings.parseDuration(everyText);
            } catch (IllegalArgumentException e) {
                throw ApiError.field(400, Reason.INVALID_REQUEST, "every", e.getMessage());
            }
        }
        PackagingRequest request = submitBody.parse(spec.toString().getBytes(StandardCharsets.UTF_8), "scheduled", caller.name(), p.rules());
        if (!caller.mayUse(request.appId())) {
            throw ApiError.field(403, Reason.FORBIDDEN, "request.appId", "this token may not submit for app '" + request.appId() + "'");
        }
        PriorityRule.check(caller.name(), caller.publisher().limits(), request);
        int maxInFlight = caller.publisher().limits().maxChannelsInFlight();
        if (maxInFlight > 0 && request.channels().size() > maxInFlight) {
            throw ApiError.field(400, Reason.TOO_MANY_CHANNELS, "request.channels", request.channels().size()
                    + " channels, more than the publisher's cap of " + maxInFlight + " channels in flight");
        }
        Schedule schedule = new Schedule(globalName(caller.name(), name), QUEUE, payload(request), cron, every, zone,
                request.priority(), caller.name(), false);
        List<String> problems = schedule.problems();
        if (!problems.isEmpty()) {
            throw ApiError.of(400, Reason.INVALID_REQUEST, String.join("; ", problems));
        }
        Instant first = schedule.nextTick(p.clock().instant());
        if (Duration.between(first, schedule.nextTick(first)).compareTo(MIN_PERIOD) < 0) {
            throw ApiError.field(400, Reason.INVALID_REQUEST, cron != null ? "cron" : "every", "ticks must be at least "
                    + MIN_PERIOD.toMinutes() + " minutes apart for a publisher's schedule");
        }
        if (p.queues().currentVersion(QUEUE).isEmpty()) {
            throw ApiError.of(409, Reason.CONFLICT, "this deployment runs no '" + QUEUE + "' queue, so it cannot run schedules; ask its operators");
        }
        List<Schedule> mine = owned(caller);
        boolean replacing = mine.stream().anyMatch(s -> s.name().equals(schedule.name()));
        if (!replacing && p.schedules().get(schedule.name()).isPresent()) {
            throw ApiError.field(409, Reason.CONFLICT, "name", "another publisher's schedule has the same name here; choose another name");
        }
        if (!replacing && mine.size() >= MAX_PER_PUBLISHER) {
            throw ApiError.of(409, Reason.CONFLICT, "publisher '" + caller.name() + "' has " + mine.size() + " schedules, the most it may have");
        }
        p.schedules().put(schedule);
        Json.send(res, replacing ? 200 : 201, view(caller, schedule, first));
    }

    /** {@code GET /v1/schedules}: the caller's schedules with their next ticks. */
    public void list(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScheduleStore.Entry e : p.schedules().list()) {
            if (ownedBy(caller, e.schedule())) {
                out.add(view(caller, e.schedule(), e.nextTick().orElse(null)));
            }
        }
        Json.send(res, 200, Map.of("schedules", out));
    }

    /** {@code DELETE /v1/schedules/{name}}: 204; 404 for a name the caller has no schedule of. */
    public void delete(ServerRequest req, ServerResponse res) {
        Caller caller = p.auth().caller(req);
        String name = req.path().pathParameters().get("name");
        String global = globalName(caller.name(), name == null ? "" : name);
        boolean mine = p.schedules().get(global).filter(s -> ownedBy(caller, s)).isPresent();
        if (!mine || !p.schedules().remove(global)) {
            throw ApiError.notFound("no schedule '" + name + "'");
        }
        res.status(204).send();
    }

    private List<Schedule> owned(Caller caller) {
        return p.schedules().list().stream().map(ScheduleStore.Entry::schedule).filter(s -> ownedBy(caller, s)).toList();
    }

    /** A publisher's schedule: on the housekeeping queue in its group, submitting a request of its own and of apps its token may use. */
    private static boolean ownedBy(Caller caller, Schedule s) {
        return QUEUE.equals(s.queue()) && caller.name().equals(s.group()) && s.name().startsWith("pub." + caller.name() + ".")
                && caller.mayUse(request(s).path("appId").asText());
    }

    private static String globalName(String publisher, String name) {
        return "pub." + publisher + "." + name;
    }

    private static String payload(PackagingRequest request) {
        ObjectNode spec;
        try {
            spec = (ObjectNode) JSON.readTree(request.toJson());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a packaging request did not read back as JSON", e);
        }
        spec.remove("id"); // each tick's request gets its own, from the tick's job id
        ObjectNode payload = JSON.createObjectNode().put("task", "submit-request");
        payload.set("request", spec);
        return payload.toString();
    }

    private static JsonNode request(Schedule s) {
        try {
            return JSON.readTree(s.payload()).path("request");
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static Map<String, Object> view(Caller caller, Schedule s, Instant next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", s.name().substring(("pub." + caller.name() + ".").length()));
        out.put("cron", s.cron());
        out.put("every", s.every() == null ? null : s.every().toString());
        out.put("zone", s.zone());
        out.put("priority", s.priority());
        out.put("paused", s.paused());
        out.put("nextTick", next == null ? null : next.toString());
        out.put("request", JSON.convertValue(request(s), Map.class));
        return out;
    }
}

package vn.lienthong.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.tracking.MessageQuery;
import vn.lienthong.gateway.tracking.OperatorTracking;

/**
 * The operator API ({@code /api/v1/admin/**}, JSON): message search and view, refused inputs and
 * their original bytes, and an operator's acts — resend, abandon, pause and resume — each with a
 * reason, audited with the person. Who may call what is {@link PeopleSecurity}'s: GET for auditors
 * and operators, POST for operators.
 */
public final class AdminApi {

    private static final String BASE = "/api/v1/admin";
    private static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "ACKNOWLEDGED", "FAILED", "ABANDONED");
    private static final Set<String> CHANNELS = Set.of("rest", "jms", "kafka", "sftp");
    private static final int DEFAULT_LIMIT = 50;

    private final OperatorTracking tracking;
    private final Supplier<Registry> registry;

    /** The API over {@code tracking}; recipients to pause must be agencies of {@code registry}. */
    public AdminApi(OperatorTracking tracking, Registry registry) {
        this(tracking, () -> registry);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public AdminApi(OperatorTracking tracking, Supplier<Registry> registry) {
        this.tracking = tracking;
        this.registry = registry;
    }

    /** The routes, for Spring MVC. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(BASE + "/me", this::me)
                .GET(BASE + "/messages", this::search)
                .GET(BASE + "/messages/{messageId}", this::message)
                .GET(BASE + "/messages/{messageId}/body", this::messageBody)
                .GET(BASE + "/quarantine", this::quarantine)
                .GET(BASE + "/quarantine/{id}", this::refused)
                .GET(BASE + "/quarantine/{id}/original", this::original)
                .POST(BASE + "/deliveries/resend", this::resendAll)
                .POST(BASE + "/deliveries/{id}/resend", this::resend)
                .POST(BASE + "/deliveries/{id}/abandon", this::abandon)
                .GET(BASE + "/recipients/paused", r -> ServerResponse.ok().body(tracking.paused()))
                .POST(BASE + "/recipients/{code}/pause", this::pause)
                .POST(BASE + "/recipients/{code}/resume", this::resume)
                .onError(BadRequest.class, (e, r) -> problem(HttpStatus.BAD_REQUEST, "BAD_REQUEST", e.getMessage()))
                .build();
    }

    /** A request the API cannot take as it is: the message says what and where. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- reads

    private ServerResponse me(ServerRequest request) {
        Person person = person(request);
        return ServerResponse.ok().body(Map.of("id", person.id(), "name", person.name(), "roles", person.roles()));
    }

    private ServerResponse search(ServerRequest request) {
        return ServerResponse.ok().body(tracking.search(query(request)));
    }

    /** A message query from request parameters. */
    static MessageQuery query(ServerRequest request) {
        return query(name -> request.param(name).filter(v -> !v.isBlank()));
    }

    private static MessageQuery query(java.util.function.Function<String, Optional<String>> param) {
        String status = param.apply("status").map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
        if (status != null && !STATUSES.contains(status)) {
            throw new BadRequest("status " + status + " is not one of " + STATUSES);
        }
        String channel = param.apply("channel").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        if (channel != null && !CHANNELS.contains(channel)) {
            throw new BadRequest("channel " + channel + " is not one of " + CHANNELS);
        }
        int limit = param.apply("limit").map(v -> integer("limit", v)).orElse(DEFAULT_LIMIT);
        if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
            throw new BadRequest("limit must be between 1 and " + MessageQuery.MAX_LIMIT + ", not " + limit);
        }
        return new MessageQuery(param.apply("messageId").map(v -> uuid("messageId", v)).orElse(null),
                param.apply("correlationId").orElse(null), param.apply("sender").orElse(null),
                param.apply("recipient").orElse(null), param.apply("type").orElse(null), status, channel,
                param.apply("classification").orElse(null), param.apply("from").map(v -> time("from", v)).orElse(null),
                param.apply("to").map(v -> time("to", v)).orElse(null),
                param.apply("after").map(AdminApi::cursor).orElse(null), limit);
    }

    private ServerResponse message(ServerRequest request) {
        UUID id = uuid("messageId", request.pathVariable("messageId"));
        return tracking.message(id, request.param("sender").orElse(null))
                .map(m -> ServerResponse.ok().body(m))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no message " + id));
    }

    /** A message's canonical body; a restricted one only with {@code ?reason=}, audited. */
    private ServerResponse messageBody(ServerRequest request) {
        UUID id = uuid("messageId", request.pathVariable("messageId"));
        OperatorTracking.Act act = request.param("reason").filter(r -> !r.isBlank()).map(r -> act(request, r))
                .orElse(null);
        return tracking.body(id, request.param("sender").orElse(null), act).map(b -> {
            if (b instanceof OperatorTracking.Body.Shown shown) {
                return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .header("Lienthong-Classification", shown.classification()).body(shown.canonical());
            }
            return problem(HttpStatus.FORBIDDEN, "REASON_REQUIRED", "message " + id + " is "
                    + ((OperatorTracking.Body.ReasonRequired) b).classification() + " (personal data): read it with"
                    + " ?reason=..., which is audited with your name");
        }).orElseGet(() -> problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no message " + id));
    }

    private ServerResponse quarantine(ServerRequest request) {
        int limit = request.param("limit").map(v -> integer("limit", v)).orElse(DEFAULT_LIMIT);
        if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
            throw new BadRequest("limit must be between 1 and " + MessageQuery.MAX_LIMIT + ", not " + limit);
        }
        Long after = request.param("after").map(AdminApi::cursor).orElse(null);
        return ServerResponse.ok().body(tracking.quarantine(request.param("sender").orElse(null), after, limit));
    }

    private ServerResponse refused(ServerRequest request) {
        UUID id = uuid("id", request.pathVariable("id"));
        return tracking.refused(id).map(q -> ServerResponse.ok().body(q))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no refused input " + id));
    }

    /** The bytes as received: they may hold personal identifiers, so the reading is audited with a reason. */
    private ServerResponse original(ServerRequest request) {
        UUID id = uuid("id", request.pathVariable("id"));
        String reason = request.param("reason").filter(r -> !r.isBlank()).orElseThrow(() -> new BadRequest(
                "reading the original bytes of a refused input needs a reason (?reason=...): it is audited"));
        OperatorTracking.Act act = act(request, reason);
        return tracking.original(id, act)
                .map(bytes -> ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".bin\"")
                        .body(bytes))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no refused input " + id));
    }

    // ---------------------------------------------------------------- acts

    private ServerResponse resend(ServerRequest request) throws Exception {
        UUID id = uuid("id", request.pathVariable("id"));
        OperatorTracking.Act act = act(request, reason(request));
        return tracking.resend(id, act) ? ServerResponse.ok().body(Map.of("deliveryId", id, "status", "PENDING"))
                : problem(HttpStatus.CONFLICT, "NOT_FAILED", "delivery " + id + " does not exist or is not FAILED");
    }

    private ServerResponse resendAll(ServerRequest request) throws Exception {
        JsonNode body = body(request);
        OperatorTracking.Act act = act(request, text(body, "reason"));
        JsonNode filter = body.path("filter");
        if (!filter.isObject() || filter.isEmpty()) {
            throw new BadRequest("resend by filter needs a non-empty \"filter\" object (e.g. {\"recipient\": \"SBV\"}):"
                    + " resending every FAILED delivery at once must be asked for by name");
        }
        MessageQuery query = query(name -> Optional.ofNullable(filter.get(name)).filter(JsonNode::isValueNode)
                .map(JsonNode::asText).filter(v -> !v.isBlank()));
        return ServerResponse.ok().body(Map.of("resent", tracking.resendAll(query, act)));
    }

    private ServerResponse abandon(ServerRequest request) throws Exception {
        UUID id = uuid("id", request.pathVariable("id"));
        OperatorTracking.Act act = act(request, reason(request));
        return tracking.abandon(id, act) ? ServerResponse.ok().body(Map.of("deliveryId", id, "status", "ABANDONED"))
                : problem(HttpStatus.CONFLICT, "NOT_FAILED", "delivery " + id + " does not exist or is not FAILED");
    }

    private ServerResponse pause(ServerRequest request) throws Exception {
        String code = recipient(request);
        OperatorTracking.Act act = act(request, reason(request));
        boolean changed = tracking.pause(code, act);
        return ServerResponse.ok().body(Map.of("recipient", code, "paused", true, "changed", changed));
    }

    private ServerResponse resume(ServerRequest request) throws Exception {
        String code = recipient(request);
        OperatorTracking.Act act = act(request, reason(request));
        boolean changed = tracking.resume(code, act);
        return ServerResponse.ok().body(Map.of("recipient", code, "paused", false, "changed", changed));
    }

    private String recipient(ServerRequest request) {
        String code = request.pathVariable("code");
        if (registry.get().agency(code).isEmpty()) {
            throw new BadRequest(code + " is not an agency of the registry");
        }
        return code;
    }

    // ---------------------------------------------------------------- helpers

    private static String reason(ServerRequest request) throws Exception {
        return text(body(request), "reason");
    }

    private static JsonNode body(ServerRequest request) throws Exception {
        JsonNode body;
        try {
            body = request.body(JsonNode.class);
        } catch (org.springframework.http.converter.HttpMessageNotReadableException e) {
            throw new BadRequest("the body is not JSON: send {\"reason\": \"...\"}");
        }
        if (body == null || !body.isObject()) {
            throw new BadRequest("the body must be a JSON object with a \"reason\"");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new BadRequest("\"" + field + "\" is required: every operator act is audited with its reason");
        }
        return value.asText();
    }

    private static Person person(ServerRequest request) {
        Principal principal = request.principal().orElseThrow(() -> new IllegalStateException("no person"));
        return PeopleSecurity.person((Authentication) principal);
    }

    private static OperatorTracking.Act act(ServerRequest request, String reason) {
        Person person = person(request);
        if (reason.length() > 1_000) {
            throw new BadRequest("the reason is longer than 1000 characters");
        }
        return new OperatorTracking.Act(person.actor(), person.id(), reason);
    }

    private static UUID uuid(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(name + " is not a UUID: " + value);
        }
    }

    private static long cursor(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRequest("after is not a cursor this API gave (its \"next\"): " + value);
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " is not a number: " + value);
        }
    }

    private static Instant time(String name, String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest(name + " is not an RFC 3339 time with offset (e.g. 2026-12-07T09:00:00+07:00): " + value);
        }
    }

    private static ServerResponse problem(HttpStatus status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

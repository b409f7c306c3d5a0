package vn.lienthong.gateway.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.tracking.OperatorViews;
import vn.lienthong.gateway.workflows.CaseView;
import vn.lienthong.gateway.workflows.JdbcCases;

/**
 * The operator API's views for the console (JSON, reads only, so auditors and operators alike:
 * {@link PeopleSecurity}): the agencies of the registry, the backlog of each recipient, messages
 * per hour by sender and outcome, and the workflow cases of every agency.
 *
 * <ul>
 *   <li>{@code GET /api/v1/admin/agencies}: code, names (vi, en), channel kinds;</li>
 *   <li>{@code GET /api/v1/admin/backlog}: per recipient PENDING count, oldest PENDING age,
 *       FAILED count, paused;</li>
 *   <li>{@code GET /api/v1/admin/traffic?hours=24} (1 to 168): per hour and sender, accepted,
 *       refused, and the deliveries of those messages delivered, FAILED, PENDING;</li>
 *   <li>{@code GET /api/v1/admin/cases?filter=open|due|overdue|all&dueWithinHours=24&agency=&kind=&limit=}
 *       and {@code GET /api/v1/admin/cases/{id}} with its listings, transitions and messages.</li>
 * </ul>
 */
public final class ConsoleApi {

    private static final String BASE = "/api/v1/admin";
    private static final Set<String> KINDS = Set.of("freeze", "takedown", "info");
    /** A week: the chart's widest window (the traffic query's cost follows it). */
    static final int MAX_HOURS = 168;
    private static final int MAX_DUE_HOURS = 24 * 366;

    private final OperatorViews views;
    private final JdbcCases cases;
    private final java.util.function.Supplier<Registry> registry;
    private final Clock clock;

    /** The views over {@code views} and {@code cases}; agencies are those of {@code registry}. */
    public ConsoleApi(OperatorViews views, JdbcCases cases, Registry registry, Clock clock) {
        this(views, cases, () -> registry, clock);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public ConsoleApi(OperatorViews views, JdbcCases cases, java.util.function.Supplier<Registry> registry, Clock clock) {
        this.views = views;
        this.cases = cases;
        this.registry = registry;
        this.clock = clock;
    }

    /** The routes, for Spring MVC. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET(BASE + "/agencies", this::agencies)
                .GET(BASE + "/backlog", this::backlog)
                .GET(BASE + "/traffic", this::traffic)
                .GET(BASE + "/cases", this::cases)
                .GET(BASE + "/cases/{id}", this::oneCase)
                .onError(AdminApi.BadRequest.class, (e, r) -> problem(HttpStatus.BAD_REQUEST, "BAD_REQUEST",
                        e.getMessage()))
                .build();
    }

    private ServerResponse agencies(ServerRequest request) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Agency a : registry.get().agencies()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", a.code());
            item.put("name", Map.of("vi", a.name().vi(), "en", a.name().en()));
            item.put("channels", a.channels().stream().map(Channel::kind).map(k -> k.yamlName()).distinct().toList());
            items.add(item);
        }
        return ServerResponse.ok().body(Map.of("items", items));
    }

    /** Every agency of the registry (zeros where nothing waits), and any other recipient with a backlog. */
    private ServerResponse backlog(ServerRequest request) {
        Instant now = clock.instant();
        Map<String, OperatorViews.Backlog> rows = new TreeMap<>();
        registry.get().agencies().forEach(a -> rows.put(a.code(), new OperatorViews.Backlog(a.code(), 0, null, 0, false)));
        views.backlog().forEach(b -> rows.put(b.recipient(), b));
        List<Map<String, Object>> items = new ArrayList<>();
        for (OperatorViews.Backlog b : rows.values()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("recipient", b.recipient());
            item.put("pending", b.pending());
            item.put("oldestPendingSince", b.oldestPendingSince());
            item.put("oldestPendingAgeSeconds", b.oldestPendingSince() == null ? null
                    : Math.max(0, Duration.between(b.oldestPendingSince(), now).toSeconds()));
            item.put("failed", b.failed());
            item.put("paused", b.paused());
            items.add(item);
        }
        return ServerResponse.ok().body(Map.of("at", now, "items", items));
    }

    private ServerResponse traffic(ServerRequest request) {
        int hours = request.param("hours").filter(v -> !v.isBlank()).map(v -> integer("hours", v)).orElse(24);
        if (hours < 1 || hours > MAX_HOURS) {
            throw new AdminApi.BadRequest("hours must be between 1 and " + MAX_HOURS + ", not " + hours);
        }
        Instant to = clock.instant();
        // Whole hours: the current one and the hours - 1 before it.
        Instant from = to.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours - 1L));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("hours", hours);
        body.put("items", views.traffic(from));
        return ServerResponse.ok().body(body);
    }

    private ServerResponse cases(ServerRequest request) {
        String filterText = request.param("filter").filter(v -> !v.isBlank()).orElse("open");
        JdbcCases.Filter filter;
        try {
            filter = JdbcCases.Filter.valueOf(filterText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AdminApi.BadRequest("filter must be open, due, overdue or all, not " + filterText);
        }
        String kind = request.param("kind").filter(v -> !v.isBlank()).orElse(null);
        if (kind != null && !KINDS.contains(kind)) {
            throw new AdminApi.BadRequest("kind must be freeze, takedown or info, not " + kind);
        }
        String agency = request.param("agency").filter(v -> !v.isBlank()).orElse(null);
        if (agency != null && registry.get().agency(agency).isEmpty()) {
            throw new AdminApi.BadRequest("agency " + agency + " is not an agency of the registry");
        }
        int within = request.param("dueWithinHours").filter(v -> !v.isBlank())
                .map(v -> integer("dueWithinHours", v)).orElse(24);
        if (within < 1 || within > MAX_DUE_HOURS) {
            throw new AdminApi.BadRequest("dueWithinHours must be between 1 and " + MAX_DUE_HOURS + ", not " + within);
        }
        int limit = request.param("limit").filter(v -> !v.isBlank()).map(v -> integer("limit", v)).orElse(100);
        if (limit < 1 || limit > 500) {
            throw new AdminApi.BadRequest("limit must be between 1 and 500, not " + limit);
        }
        List<CaseView> found = cases.casesForOperators(agency, filter, kind, Duration.ofHours(within), limit);
        return ServerResponse.ok().body(Map.of("items", found));
    }

    private ServerResponse oneCase(ServerRequest request) {
        String text = request.pathVariable("id");
        UUID id;
        try {
            id = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new AdminApi.BadRequest("id is not a UUID: " + text);
        }
        Optional<CaseView> found = cases.one(id);
        return found.map(c -> ServerResponse.ok().body(c))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no case " + id));
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new AdminApi.BadRequest(name + " is not a whole number: " + value);
        }
    }

    private static ServerResponse problem(HttpStatus status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

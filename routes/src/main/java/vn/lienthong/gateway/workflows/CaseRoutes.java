package vn.lienthong.gateway.workflows;

import static vn.lienthong.gateway.channels.RestCalls.json;
import static vn.lienthong.gateway.channels.RestCalls.problem;
import static vn.lienthong.gateway.channels.RestCalls.respond;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.registry.Agency;

/**
 * The cases over REST, for the agencies that asked or must answer (and coordinators): {@code GET
 * /api/v1/cases?filter=open|overdue|due|all&dueWithinHours=N&kind=freeze|takedown|info&limit=L}
 * and {@code GET /api/v1/cases/{id}} with its listings, transitions and messages.
 */
public final class CaseRoutes extends RouteBuilder {

    private static final Set<String> KINDS = Set.of("freeze", "takedown", "info");

    private final RestCalls calls;
    private final JdbcCases cases;

    /** The case routes over {@code cases}. */
    public CaseRoutes(RestCalls calls, JdbcCases cases) {
        this.calls = calls;
        this.cases = cases;
    }

    @Override
    public void configure() {
        rest("/api/v1")
                .get("/cases").routeId("api-cases").to("direct:api-cases")
                .get("/cases/{id}").routeId("api-case").to("direct:api-case");

        from("direct:api-cases").routeId("api-cases-process").process(this::list).id("api-cases-list");
        from("direct:api-case").routeId("api-case-process").process(this::one).id("api-case-one");
    }

    private void list(Exchange exchange) {
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        String filterText = exchange.getMessage().getHeader("filter", "open", String.class);
        JdbcCases.Filter filter;
        try {
            filter = JdbcCases.Filter.valueOf(filterText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem(exchange, 400, "BAD_REQUEST", "filter must be open, overdue, due or all");
            return;
        }
        String kind = exchange.getMessage().getHeader("kind", String.class);
        if (kind != null && !KINDS.contains(kind)) {
            problem(exchange, 400, "BAD_REQUEST", "kind must be freeze, takedown or info");
            return;
        }
        Integer hours = integer(exchange, "dueWithinHours", 24);
        Integer limit = integer(exchange, "limit", 100);
        if (hours == null || limit == null || hours < 0 || limit < 1) {
            problem(exchange, 400, "BAD_REQUEST", "dueWithinHours and limit are positive whole numbers");
            return;
        }
        List<CaseView> found = cases.cases(agency.get().code(), filter, kind, Duration.ofHours(hours), limit);
        respond(exchange, 200, json(Map.of("items", found)));
    }

    private void one(Exchange exchange) {
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        Optional<UUID> id = RestCalls.uuid(exchange.getMessage().getHeader("id", String.class));
        Optional<CaseView> view = id.flatMap(i -> cases.one(i, agency.get().code()));
        if (view.isEmpty()) {
            problem(exchange, 404, "NOT_FOUND", "no case with this id that " + agency.get().code() + " asked or answers");
            return;
        }
        respond(exchange, 200, json(view.get()));
    }

    private static Integer integer(Exchange exchange, String name, int absent) {
        String text = exchange.getMessage().getHeader(name, String.class);
        if (text == null) {
            return absent;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package vn.lienthong.gateway.reports;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.IdentityUnavailableException;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.v1.PeriodKind;

/**
 * The reports over HTTP, twice: in the operator API ({@code /api/v1/admin/reports/**}, read by
 * auditors and operators as PeopleSecurity guards every GET there) and for the agencies that
 * receive them ({@code /api/v1/reports/**}, the agency's own bearer token, as every agency call):
 * the consolidation of a reporting month ({@code ?month=2026-10}) or of a quarter, half-year or year
 * ({@code ?period=quarter:2026-Q3}, {@code half-year:2026-H1}, {@code year:2026}) as JSON, CSV (one table: {@code parties}, {@code categories}
 * or {@code goods}) and XLSX, to the consolidating parties ({@code lienthong.reports.consolidators});
 * the early warning of a week as JSON, CSV ({@code cells}, {@code hotspots}, {@code sites}) and XLSX,
 * to its recipients ({@code lienthong.reports.warning.recipients}). An agency must also receive
 * {@code report.periodic} in the registry, as the digests and the reports it is sent do. Any other
 * agency: 403 saying who may. The aggregates hold codes, figures, URLs and shop ids, no person.
 */
public final class ReportsApi {

    /** The operator API's reports. */
    public static final String OPERATOR_BASE = "/api/v1/admin/reports";
    /** The agencies' reports (Spring MVC on the agency path; PeopleSecurity lets it pass to this check). */
    public static final String AGENCY_BASE = "/api/v1/reports";

    private static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);
    private static final MediaType XLSX = MediaType.parseMediaType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final Consolidator consolidator;
    private final EarlyWarning warning;

    /** The API over this consolidator and early warning. */
    public ReportsApi(Consolidator consolidator, EarlyWarning warning) {
        this.consolidator = consolidator;
        this.warning = warning;
    }

    /** The operator API's routes, for Spring MVC (PeopleSecurity guards them). */
    public RouterFunction<ServerResponse> routes() {
        return routes(OPERATOR_BASE).build();
    }

    /**
     * The agencies' routes, for Spring MVC: each call authenticated by {@code authenticator} (401
     * without a valid token of a registry agency, 503 when Keycloak cannot be asked) and allowed to
     * the parties of its report only (403 otherwise), by the settings and the registry in force.
     */
    public RouterFunction<ServerResponse> agencyRoutes(AgencyAuthenticator authenticator, Supplier<Registry> registry) {
        return routes(AGENCY_BASE).filter(agencyGuard(authenticator, registry)).build();
    }

    private RouterFunctions.Builder routes(String base) {
        return RouterFunctions.route()
                .GET(base + "/consolidation", r -> ServerResponse.ok().body(consolidation(r)))
                .GET(base + "/consolidation.csv", this::consolidationCsv)
                .GET(base + "/consolidation.xlsx", this::consolidationXlsx)
                .GET(base + "/warning", r -> ServerResponse.ok().body(warning(r)))
                .GET(base + "/warning.csv", this::warningCsv)
                .GET(base + "/warning.xlsx", this::warningXlsx)
                .onError(IllegalArgumentException.class, (e, r) -> problem(HttpStatus.BAD_REQUEST, "BAD_REQUEST",
                        e.getMessage()));
    }

    /** Who may read what, on the agency path: the report's parties, by configuration and registry. */
    private HandlerFilterFunction<ServerResponse, ServerResponse> agencyGuard(AgencyAuthenticator authenticator,
            Supplier<Registry> registry) {
        return (request, next) -> {
            Authentication identity;
            try {
                identity = authenticator.bearer(request.headers().firstHeader(AgencyAuthenticator.AUTHORIZATION));
            } catch (IdentityUnavailableException e) {
                return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "30")
                        .contentType(MediaType.APPLICATION_JSON).body(body("IDENTITY_UNAVAILABLE",
                                "the gateway cannot reach Keycloak to check the caller; retry later"));
            }
            if (!(identity instanceof Authentication.Authenticated authenticated)) {
                return ServerResponse.status(HttpStatus.UNAUTHORIZED)
                        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(body("NOT_AUTHENTICATED", ((Authentication.Refused) identity).reason()));
            }
            String agency = authenticated.caller().agency();
            boolean consolidation = request.path().startsWith(AGENCY_BASE + "/consolidation");
            List<String> parties = consolidation ? consolidator.settings().consolidators()
                    : warning.settings().recipients();
            String what = consolidation ? "the consolidation of the periodic reports"
                    : "the early warning";
            String setting = consolidation ? "lienthong.reports.consolidators"
                    : "lienthong.reports.warning.recipients";
            if (!parties.contains(agency)) {
                return problem(HttpStatus.FORBIDDEN, "FORBIDDEN", agency + " may not read " + what + ": it goes to "
                        + String.join(", ", parties) + " only (" + setting + ")");
            }
            if (!registry.get().mayReceive(agency, MessageType.REPORT_PERIODIC)) {
                return problem(HttpStatus.FORBIDDEN, "FORBIDDEN", agency + " may not read " + what
                        + ": the registry does not let it receive report.periodic");
            }
            return next.handle(request);
        };
    }

    private static final java.util.regex.Pattern PERIOD = java.util.regex.Pattern.compile(
            "(month):([0-9]{4}-[0-9]{2})|(quarter):([0-9]{4})-Q([1-4])|(half-year):([0-9]{4})-H([12])|(year):([0-9]{4})");

    /** The consolidation of {@code ?month=2026-10}, or of {@code ?period=} a period key (quarter:2026-Q3 ...). */
    private Consolidation consolidation(ServerRequest request) {
        java.util.Optional<String> period = request.param("period").filter(p -> !p.isBlank());
        if (period.isPresent()) {
            java.util.regex.Matcher m = PERIOD.matcher(period.get());
            if (!m.matches()) {
                throw new IllegalArgumentException("period must be month:YYYY-MM, quarter:YYYY-Qn, half-year:YYYY-Hn"
                        + " or year:YYYY, not " + period.get());
            }
            if (m.group(1) != null) {
                return consolidator.month(month(m.group(2)));
            }
            if (m.group(3) != null) {
                return consolidator.period(PeriodKind.QUARTER, YearMonth.of(Integer.parseInt(m.group(4)),
                        3 * Integer.parseInt(m.group(5))));
            }
            if (m.group(6) != null) {
                return consolidator.period(PeriodKind.HALF_YEAR, YearMonth.of(Integer.parseInt(m.group(7)),
                        6 * Integer.parseInt(m.group(8))));
            }
            return consolidator.period(PeriodKind.YEAR, YearMonth.of(Integer.parseInt(m.group(10)), 12));
        }
        String month = request.param("month").filter(m -> !m.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("month is required, e.g. ?month=2026-10 (or ?period="
                        + "quarter:2026-Q3, half-year:2026-H1, year:2026)"));
        return consolidator.month(month(month));
    }

    private static YearMonth month(String month) {
        try {
            return YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month must be YYYY-MM, not " + month);
        }
    }

    /** A download's name: the month ({@code 2026-10}) or the period key ({@code quarter-2026-Q3}). */
    private static String name(Consolidation c) {
        return c.kind().equals(PeriodKind.MONTH.wireName()) ? c.month().toString() : c.period().replace(':', '-');
    }

    private ServerResponse consolidationCsv(ServerRequest request) {
        Consolidation c = consolidation(request);
        String table = request.param("table").orElse("parties");
        if (!ReportExports.TABLES.contains(table)) {
            throw new IllegalArgumentException("table must be one of " + ReportExports.TABLES + ", not " + table);
        }
        return download(ReportExports.csv(c, table), CSV, "consolidation-" + name(c) + "-" + table + ".csv");
    }

    private ServerResponse consolidationXlsx(ServerRequest request) {
        Consolidation c = consolidation(request);
        return download(ReportExports.xlsx(c), XLSX, "consolidation-" + name(c) + ".xlsx");
    }

    /** The early warning of {@code ?week=2026-W49} (default: the current week). */
    private EarlyWarning.View warning(ServerRequest request) {
        return request.param("week").filter(w -> !w.isBlank()).map(w -> warning.view(monday(w)))
                .orElseGet(warning::view);
    }

    private static java.time.LocalDate monday(String week) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{4})-W([0-9]{2})").matcher(week);
        if (!m.matches()) {
            throw new IllegalArgumentException("week must be an ISO week such as 2026-W49, not " + week);
        }
        int year = Integer.parseInt(m.group(1));
        int number = Integer.parseInt(m.group(2));
        java.time.LocalDate jan4 = java.time.LocalDate.of(year, 1, 4);
        long weeks = java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR.rangeRefinedBy(jan4).getMaximum();
        if (number < 1 || number > weeks) {
            throw new IllegalArgumentException(year + " has no week " + number + " (it has " + weeks + ")");
        }
        return jan4.with(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR, number)
                .with(java.time.DayOfWeek.MONDAY);
    }

    private ServerResponse warningCsv(ServerRequest request) {
        String table = request.param("table").orElse("hotspots");
        if (!EarlyWarning.TABLES.contains(table)) {
            throw new IllegalArgumentException("table must be one of " + EarlyWarning.TABLES + ", not " + table);
        }
        EarlyWarning.View view = warning(request);
        return download(ReportExports.csv(EarlyWarning.table(view, table)), CSV,
                "warning-" + view.week() + "-" + table + ".csv");
    }

    private ServerResponse warningXlsx(ServerRequest request) {
        EarlyWarning.View view = warning(request);
        Map<String, List<List<Object>>> sheets = new LinkedHashMap<>();
        for (String table : EarlyWarning.TABLES) {
            sheets.put(table, EarlyWarning.table(view, table));
        }
        return download(ReportExports.xlsx(sheets), XLSX, "warning-" + view.week() + ".xlsx");
    }

    private static ServerResponse download(byte[] body, MediaType type, String name) {
        return ServerResponse.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(body);
    }

    private static ServerResponse problem(HttpStatus status, String code, String message) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body(code, message));
    }

    private static Map<String, String> body(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }
}

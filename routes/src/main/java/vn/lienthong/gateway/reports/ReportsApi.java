package vn.lienthong.gateway.reports;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The reports in the operator API ({@code /api/v1/admin/reports/**}, read by auditors and operators
 * as PeopleSecurity guards every GET there): the consolidation of a reporting month as JSON, CSV
 * (one table: {@code parties}, {@code categories} or {@code goods}) and XLSX; the early warning of a
 * week as JSON and CSV ({@code cells}, {@code hotspots}, {@code sites}).
 */
public final class ReportsApi {

    private static final String BASE = "/api/v1/admin/reports";
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

    /** The routes, for Spring MVC. */
    public RouterFunction<ServerResponse> routes() {
        RouterFunctions.Builder routes = RouterFunctions.route()
                .GET(BASE + "/consolidation", r -> ServerResponse.ok().body(consolidation(r)))
                .GET(BASE + "/consolidation.csv", this::consolidationCsv)
                .GET(BASE + "/consolidation.xlsx", this::consolidationXlsx)
                .GET(BASE + "/warning", r -> ServerResponse.ok().body(warning(r)))
                .GET(BASE + "/warning.csv", this::warningCsv);
        return routes.onError(IllegalArgumentException.class, (e, r) -> problem(e.getMessage())).build();
    }

    private Consolidation consolidation(ServerRequest request) {
        String month = request.param("month").filter(m -> !m.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("month is required, e.g. ?month=2026-10"));
        try {
            return consolidator.month(YearMonth.parse(month));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month must be YYYY-MM, not " + month);
        }
    }

    private ServerResponse consolidationCsv(ServerRequest request) {
        Consolidation c = consolidation(request);
        String table = request.param("table").orElse("parties");
        if (!ReportExports.TABLES.contains(table)) {
            throw new IllegalArgumentException("table must be one of " + ReportExports.TABLES + ", not " + table);
        }
        return download(ReportExports.csv(c, table), CSV, "consolidation-" + c.month() + "-" + table + ".csv");
    }

    private ServerResponse consolidationXlsx(ServerRequest request) {
        Consolidation c = consolidation(request);
        return download(ReportExports.xlsx(c), XLSX, "consolidation-" + c.month() + ".xlsx");
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

    private static ServerResponse download(byte[] body, MediaType type, String name) {
        return ServerResponse.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(body);
    }

    private static ServerResponse problem(String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", "BAD_REQUEST");
        body.put("message", message);
        return ServerResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}

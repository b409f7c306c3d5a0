package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * A periodic report covers one month that has begun: a calendar month, or the reporting month of
 * Decree 09/2019/NĐ-CP art. 12 (the 15th of the previous month to the 14th), which many
 * government reports use.
 */
final class PeriodicReportRules {

    private PeriodicReportRules() {
    }

    static void check(JsonNode payload, RuleContext ctx) {
        JsonNode period = payload.get("period");
        Optional<LocalDate> from = Json.date(period, "from");
        Optional<LocalDate> to = Json.date(period, "to");
        if (from.isEmpty() || to.isEmpty()) {
            return;
        }
        YearMonth month = YearMonth.from(from.get());
        boolean calendarMonth = from.get().getDayOfMonth() == 1 && to.get().equals(month.atEndOfMonth());
        boolean decreeMonth = from.get().getDayOfMonth() == 15 && to.get().equals(month.plusMonths(1).atDay(14));
        if (!calendarMonth && !decreeMonth) {
            ctx.error(ErrorCode.REPORT_PERIOD_NOT_ONE_MONTH, "/payload/period", "the period must be one month: a calendar "
                    + "month (e.g. " + month.atDay(1) + " to " + month.atEndOfMonth() + ") or the 15th to the 14th of the "
                    + "next month (Decree 09/2019/NĐ-CP art. 12, e.g. " + month.atDay(15) + " to "
                    + month.plusMonths(1).atDay(14) + ")");
        }
        if (from.get().isAfter(ctx.latestAllowedDate())) {
            ctx.error(ErrorCode.DATE_IN_FUTURE, "/payload/period/from", "the reported month has not begun");
        }
    }
}

package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import vn.lienthong.schemas.ReportingConvention;
import vn.lienthong.schemas.ReportingConvention.Span;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.v1.PeriodKind;

/**
 * A periodic report covers a span that has begun and matches its {@code periodKind}: a month (the
 * default), quarter, half-year or year under the configured {@link ReportingConvention} (calendar,
 * or Decree 09/2019/NĐ-CP art. 12: from the 15th before it begins to the 14th of its last month),
 * or an ad-hoc span of at most one year.
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
        JsonNode kindNode = payload.get("periodKind");
        PeriodKind kind = kindNode == null || !kindNode.isTextual() ? PeriodKind.MONTH
                : PeriodKind.ofWire(kindNode.asText()).orElse(null);
        if (kind == null) {
            return; // the schema reports the unknown kind
        }
        ReportingConvention convention = ctx.settings().reportingConvention();
        YearMonth last = ReportingConvention.reportingMonthOf(to.get());
        switch (kind) {
            case MONTH -> {
                List<Span> allowed = convention.monthSpans(last);
                if (!matches(allowed, from.get(), to.get())) {
                    ctx.error(ErrorCode.REPORT_PERIOD_NOT_ONE_MONTH, "/payload/period", "the period must be one "
                            + "reporting month (" + describe(convention) + "), e.g. " + allowedText(allowed));
                }
            }
            case QUARTER, HALF_YEAR, YEAR -> {
                int months = kind == PeriodKind.QUARTER ? 3 : kind == PeriodKind.HALF_YEAR ? 6 : 12;
                // Quarters, halves and years end in the last month of a calendar quarter, half or year.
                YearMonth end = YearMonth.of(last.getYear(), ((last.getMonthValue() - 1) / months + 1) * months);
                List<Span> allowed = convention.spans(end.minusMonths(months - 1L), end);
                if (last.getMonthValue() % months != 0 || !matches(allowed, from.get(), to.get())) {
                    ctx.error(ErrorCode.REPORT_PERIOD_MISMATCH, "/payload/period", "a " + kind.wireName()
                            + " report covers " + months + " reporting months (" + describe(convention) + "), e.g. "
                            + allowedText(allowed));
                }
            }
            case AD_HOC -> {
                if (!to.get().isBefore(from.get()) && to.get().isAfter(from.get().plusYears(1).minusDays(1))) {
                    ctx.error(ErrorCode.REPORT_PERIOD_MISMATCH, "/payload/period",
                            "an ad-hoc report covers at most one year");
                }
            }
            default -> throw new IllegalStateException("unhandled period kind " + kind);
        }
        if (from.get().isAfter(ctx.latestAllowedDate())) {
            ctx.error(ErrorCode.DATE_IN_FUTURE, "/payload/period/from", "the reported period has not begun");
        }
    }

    private static boolean matches(List<Span> allowed, LocalDate from, LocalDate to) {
        return allowed.stream().anyMatch(s -> s.from().equals(from) && s.to().equals(to));
    }

    private static String allowedText(List<Span> allowed) {
        return allowed.stream().map(Span::toString).collect(Collectors.joining(" or "));
    }

    private static String describe(ReportingConvention convention) {
        return switch (convention) {
            case CALENDAR -> "calendar months";
            case DECREE_09 -> "the 15th to the 14th, Decree 09/2019/NĐ-CP art. 12";
            case EITHER -> "calendar months, or the 15th to the 14th of Decree 09/2019/NĐ-CP art. 12";
        };
    }
}

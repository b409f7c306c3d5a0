package vn.lienthong.gateway.reports;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import vn.lienthong.schemas.ReportingConvention;

/**
 * The reports' settings ({@code lienthong.reports.*}).
 *
 * @param convention which spans a reporting month may cover (validation and consolidation): CALENDAR,
 *     DECREE_09 (15th to 14th, Decree 09/2019/NĐ-CP art. 12) or EITHER
 * @param dueDay the day of the month a monthly report is due by (end of that day, Việt Nam time)
 * @param dueMonthsAfter how many months after the reporting month that day falls (1: the October report
 *     is due on the {@code dueDay} of November)
 * @param expected who must report: agency codes, or prefixes ending in {@code .*} (e.g. {@code PROV.*})
 * @param consolidators who consolidates: a report counts when addressed to one of them; reminders name
 *     the first as requester
 * @param remind whether this instance sends reminders (any number may: each goes once)
 * @param remindFrom the first reporting month reminders are sent for ({@code 2026-03}); empty: every month
 *     (a gateway that starts carrying reports sets it, so that nobody is reminded of months before)
 * @param sweepInterval how often the gateway looks for missing reports past their due day
 * @param catchUp how many periods that were already past due when the gateway first swept for missing
 *     reports it still reminds for, the latest first (1: the last period due; 0: only periods falling due
 *     while it is in service): a fresh gateway does not remind every party of every month before it
 * @param warning the early warning's settings
 */
@ConfigurationProperties(prefix = "lienthong.reports")
public record ReportSettings(
        @DefaultValue("EITHER") ReportingConvention convention,
        @DefaultValue("5") int dueDay,
        @DefaultValue("1") int dueMonthsAfter,
        @DefaultValue("PROV.*") List<String> expected,
        @DefaultValue({"BCD389", "MOIT.DMS"}) List<String> consolidators,
        @DefaultValue("true") boolean remind,
        String remindFrom,
        @DefaultValue("1h") Duration sweepInterval,
        Warning warning,
        @DefaultValue("1") int catchUp) {

    public ReportSettings {
        convention = convention == null ? ReportingConvention.EITHER : convention;
        if (dueDay < 1 || dueDay > 28) {
            throw new IllegalArgumentException("lienthong.reports.due-day must be 1 to 28, not " + dueDay);
        }
        if (dueMonthsAfter < 0 || dueMonthsAfter > 3) {
            throw new IllegalArgumentException("lienthong.reports.due-months-after must be 0 to 3, not " + dueMonthsAfter);
        }
        expected = expected == null ? List.of("PROV.*") : List.copyOf(expected);
        consolidators = consolidators == null || consolidators.isEmpty() ? List.of("BCD389", "MOIT.DMS")
                : List.copyOf(consolidators);
        sweepInterval = sweepInterval == null ? Duration.ofHours(1) : sweepInterval;
        warning = warning == null ? Warning.defaults() : warning;
        if (catchUp < 0 || catchUp > 24) {
            throw new IllegalArgumentException("lienthong.reports.catch-up must be 0 to 24, not " + catchUp);
        }
        remindFrom = remindFrom == null || remindFrom.isBlank() ? null : remindFrom.strip();
        if (remindFrom != null) {
            try {
                YearMonth.parse(remindFrom);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("lienthong.reports.remind-from must be a month such as 2026-03, not "
                        + remindFrom);
            }
        }
    }

    /** Whether reminders are sent for reporting month {@code month}. */
    public boolean remindsFor(YearMonth month) {
        return remindFrom == null || !month.isBefore(YearMonth.parse(remindFrom));
    }

    /** The defaults (as application.yaml gives them). */
    public static ReportSettings defaults() {
        return new ReportSettings(ReportingConvention.EITHER, 5, 1, List.of("PROV.*"), List.of("BCD389", "MOIT.DMS"),
                true, null, Duration.ofHours(1), Warning.defaults(), 1);
    }

    /** A copy with another due day. */
    public ReportSettings withDue(int day, int monthsAfter) {
        return new ReportSettings(convention, day, monthsAfter, expected, consolidators, remind, remindFrom,
                sweepInterval, warning, catchUp);
    }

    /** A copy expecting reports from {@code codes} only. */
    public ReportSettings withExpected(List<String> codes) {
        return new ReportSettings(convention, dueDay, dueMonthsAfter, codes, consolidators, remind, remindFrom,
                sweepInterval, warning, catchUp);
    }

    /** A copy with other early-warning settings. */
    public ReportSettings withWarning(Warning other) {
        return new ReportSettings(convention, dueDay, dueMonthsAfter, expected, consolidators, remind, remindFrom,
                sweepInterval, other, catchUp);
    }

    /** A copy reminding from {@code month} (null: every month) with this catch-up on a first start. */
    public ReportSettings withReminders(String month, int periods) {
        return new ReportSettings(convention, dueDay, dueMonthsAfter, expected, consolidators, remind, month,
                sweepInterval, warning, periods);
    }

    /** The last day a monthly report of {@code month} is on time. */
    public LocalDate dueDate(YearMonth month) {
        return month.plusMonths(dueMonthsAfter).atDay(dueDay);
    }

    /** Whether {@code code} is expected to report. */
    public boolean expects(String code) {
        return expected.stream().anyMatch(p -> p.endsWith(".*") ? code.startsWith(p.substring(0, p.length() - 1))
                : p.equals(code));
    }

    /**
     * The early warning's settings ({@code lienthong.reports.warning.*}).
     *
     * @param weeks how many ISO weeks the aggregates and hotspots look back over (the current one included)
     * @param minCount a cell (province × goods × platform) is a hotspot when its count this week is at least this
     * @param riseFactor ... and at least this times its count of the week before (a new cell: any count counts as rising)
     * @param recipients who receives the weekly digest (agency codes; each must receive info.response)
     * @param send whether this instance sends digests (each goes once per week and recipient)
     * @param sweepInterval how often the gateway looks whether a week's digest is due
     */
    public record Warning(
            @DefaultValue("8") int weeks,
            @DefaultValue("5") int minCount,
            @DefaultValue("2.0") double riseFactor,
            @DefaultValue("MOIT.ECDE") List<String> recipients,
            @DefaultValue("true") boolean send,
            @DefaultValue("1h") Duration sweepInterval) {

        public Warning {
            if (weeks < 2 || weeks > 104) {
                throw new IllegalArgumentException("lienthong.reports.warning.weeks must be 2 to 104, not " + weeks);
            }
            if (minCount < 1) {
                throw new IllegalArgumentException("lienthong.reports.warning.min-count must be at least 1");
            }
            if (riseFactor < 1.0) {
                throw new IllegalArgumentException("lienthong.reports.warning.rise-factor must be at least 1.0");
            }
            recipients = recipients == null ? List.of("MOIT.ECDE") : List.copyOf(recipients);
            sweepInterval = sweepInterval == null ? Duration.ofHours(1) : sweepInterval;
        }

        /** The defaults. */
        public static Warning defaults() {
            return new Warning(8, 5, 2.0, List.of("MOIT.ECDE"), true, Duration.ofHours(1));
        }
    }
}

package vn.lienthong.schemas;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * Which spans a reporting month (and the quarters, half-years and years built on it) may cover:
 * the calendar month, the reporting month of Decree 09/2019/NĐ-CP art. 12 (the 15th of the
 * previous month to the 14th, which the regime "chế độ báo cáo định kỳ" of BCĐ 389 uses), or
 * either. Configuration, since the standing office's own instruction decides.
 */
public enum ReportingConvention {
    /** The 1st to the last day of the month. */
    CALENDAR,
    /** The 15th of the previous month to the 14th of the month (Decree 09/2019/NĐ-CP art. 12). */
    DECREE_09,
    /** Either of the two (the default, so reports of both kinds already sent stay valid). */
    EITHER;

    /** The spans of reporting month {@code month} under this convention, calendar first. */
    public List<Span> monthSpans(YearMonth month) {
        return spans(month, month);
    }

    /**
     * The spans from reporting month {@code first} to reporting month {@code last}, both included:
     * a calendar span starts on the 1st of {@code first}, a Decree 09 span on the 15th before it.
     */
    public List<Span> spans(YearMonth first, YearMonth last) {
        Span calendar = new Span(first.atDay(1), last.atEndOfMonth());
        Span decree = new Span(first.minusMonths(1).atDay(15), last.atDay(14));
        return switch (this) {
            case CALENDAR -> List.of(calendar);
            case DECREE_09 -> List.of(decree);
            case EITHER -> List.of(calendar, decree);
        };
    }

    /**
     * The reporting month a span ending on {@code to} belongs to: the month of its last day (a
     * Decree 09 month 15 September to 14 October is the October report).
     */
    public static YearMonth reportingMonthOf(LocalDate to) {
        return YearMonth.from(to);
    }

    /** A span of days, both ends included. */
    public record Span(LocalDate from, LocalDate to) {
        @Override
        public String toString() {
            return from + " to " + to;
        }
    }
}

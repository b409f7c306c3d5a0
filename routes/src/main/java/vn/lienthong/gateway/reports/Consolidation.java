package vn.lienthong.gateway.reports;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The consolidation of one reporting period (a month, quarter, half-year or year): who has reported
 * (the latest report of each party counts) and who has not, the totals, by violation category, by
 * goods and by party (province), and the change from the previous period of the same kind.
 *
 * @param period the period's key, e.g. {@code month:2026-10}, {@code quarter:2026-Q3}
 * @param kind the period's kind as reports name it ({@code month}, {@code quarter}, {@code half-year},
 *     {@code year})
 * @param month the period's last reporting month
 * @param spans the spans a report of this period may cover under the reporting convention
 * @param dueDate the last day a report is on time
 * @param pastDue whether that day is over (Việt Nam time)
 * @param previousPeriod the key of the period compared with
 */
public record Consolidation(
        String period,
        String kind,
        YearMonth month,
        List<Span> spans,
        LocalDate dueDate,
        boolean pastDue,
        List<Reported> reported,
        List<Party> missing,
        Figures totals,
        Map<String, Figures> byCategory,
        Map<String, Figures> byGoods,
        String previousPeriod,
        Figures previousTotals,
        Map<String, Figures.Change> change) {

    /** A span of days, both ends included. */
    public record Span(LocalDate from, LocalDate to) {
    }

    /** A party expected to report. */
    public record Party(String code, String name, String province) {
    }

    /**
     * A party's report: the latest it sent for the month.
     *
     * @param onTime whether it was received by the end of the due day
     * @param reports how many reports it sent for the month (the latest counts)
     */
    public record Reported(String code, String name, String province, UUID messageId, OffsetDateTime receivedAt,
            boolean onTime, int reports, Figures totals) {
    }
}

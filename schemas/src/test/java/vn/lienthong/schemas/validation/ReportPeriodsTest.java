package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.ReportingConvention;
import vn.lienthong.schemas.ValidatorSettings;
import vn.lienthong.schemas.v1.PeriodKind;
import vn.lienthong.schemas.v1.PeriodicReport;

/** report.periodic for a month, quarter, six months, year and ad hoc, under each reporting convention. */
class ReportPeriodsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MessageValidator validator(ReportingConvention convention) {
        return new MessageValidator(ValidatorSettings.defaults().withClock(Examples.CLOCK)
                .withReportingConvention(convention));
    }

    private static ObjectNode report(String kind, String from, String to) throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(
                Examples.ROOT.resolve("report.periodic/valid-province-october.json")));
        ObjectNode payload = (ObjectNode) doc.get("payload");
        if (kind != null) {
            payload.put("periodKind", kind);
        }
        ((ObjectNode) payload.get("period")).put("from", from).put("to", to);
        return doc;
    }

    private static List<String> errors(ReportingConvention convention, ObjectNode doc) {
        return validator(convention).validate(doc).errors().stream()
                .map(e -> e.code() + " " + e.pointer()).toList();
    }

    @Test
    void aMonthWithoutAKindIsStillAMonthUnderEitherConvention() throws Exception {
        assertThat(errors(ReportingConvention.EITHER, report(null, "2026-10-01", "2026-10-31"))).isEmpty();
        assertThat(errors(ReportingConvention.EITHER, report(null, "2026-09-15", "2026-10-14"))).isEmpty();
        assertThat(errors(ReportingConvention.EITHER, report("month", "2026-09-15", "2026-10-14"))).isEmpty();
    }

    @Test
    void theConfiguredConventionDecidesWhichMonthIsOne() throws Exception {
        assertThat(errors(ReportingConvention.DECREE_09, report(null, "2026-09-15", "2026-10-14"))).isEmpty();
        assertThat(errors(ReportingConvention.DECREE_09, report(null, "2026-10-01", "2026-10-31")))
                .containsExactly("REPORT_PERIOD_NOT_ONE_MONTH /payload/period");
        assertThat(errors(ReportingConvention.CALENDAR, report(null, "2026-09-15", "2026-10-14")))
                .containsExactly("REPORT_PERIOD_NOT_ONE_MONTH /payload/period");
    }

    @Test
    void quartersHalvesAndYearsFollowTheConvention() throws Exception {
        assertThat(errors(ReportingConvention.CALENDAR, report("quarter", "2026-07-01", "2026-09-30"))).isEmpty();
        assertThat(errors(ReportingConvention.DECREE_09, report("quarter", "2026-06-15", "2026-09-14"))).isEmpty();
        assertThat(errors(ReportingConvention.CALENDAR, report("quarter", "2026-08-01", "2026-10-31")))
                .containsExactly("REPORT_PERIOD_MISMATCH /payload/period");
        assertThat(errors(ReportingConvention.EITHER, report("half-year", "2026-01-01", "2026-06-30"))).isEmpty();
        assertThat(errors(ReportingConvention.EITHER, report("half-year", "2025-12-15", "2026-06-14"))).isEmpty();
        assertThat(errors(ReportingConvention.EITHER, report("half-year", "2026-01-01", "2026-05-31")))
                .containsExactly("REPORT_PERIOD_MISMATCH /payload/period");
        assertThat(errors(ReportingConvention.CALENDAR, report("year", "2025-01-01", "2025-12-31"))).isEmpty();
        assertThat(errors(ReportingConvention.DECREE_09, report("year", "2024-12-15", "2025-12-14"))).isEmpty();
        assertThat(errors(ReportingConvention.DECREE_09, report("year", "2025-01-01", "2025-12-31")))
                .containsExactly("REPORT_PERIOD_MISMATCH /payload/period");
    }

    @Test
    void anAdHocReportCoversAnySpanUpToAYear() throws Exception {
        assertThat(errors(ReportingConvention.CALENDAR, report("ad-hoc", "2026-09-20", "2026-10-04"))).isEmpty();
        assertThat(errors(ReportingConvention.CALENDAR, report("ad-hoc", "2025-01-01", "2026-01-01")))
                .containsExactly("REPORT_PERIOD_MISMATCH /payload/period");
        assertThat(errors(ReportingConvention.CALENDAR, report("weekly", "2026-09-20", "2026-10-04")))
                .singleElement().asString().endsWith("/payload/periodKind");
    }

    @Test
    void theKindAndTheGoodsFiguresReachTheModel() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(
                Examples.ROOT.resolve("report.periodic/valid-quarter-by-goods.json")));
        ValidationResult.Valid valid = (ValidationResult.Valid) validator(ReportingConvention.EITHER)
                .validate(doc);
        PeriodicReport report = (PeriodicReport) valid.message().payload();
        assertThat(report.kind()).isEqualTo(PeriodKind.QUARTER);
        assertThat(report.byGoods()).hasSize(2);
        ValidationResult.Valid month = (ValidationResult.Valid) validator(ReportingConvention.EITHER)
                .validate(report(null, "2026-10-01", "2026-10-31"));
        assertThat(((PeriodicReport) month.message().payload()).kind()).isEqualTo(PeriodKind.MONTH);
    }
}

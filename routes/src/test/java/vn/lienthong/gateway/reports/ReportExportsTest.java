package vn.lienthong.gateway.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The downloads' CSV, the period keys and the early warning's URL comparison, without servers. */
class ReportExportsTest {

    @Test
    void csvQuotesWhatNeedsItAndKeepsFormulasText() {
        byte[] csv = ReportExports.csv(List.of(List.of("name", "n"), List.of("Sở Công Thương, tỉnh \"A\"", 5),
                List.of("=HYPERLINK(\"x\")", -3)));
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFFname,n\r\n");
        assertThat(text).contains("\"Sở Công Thương, tỉnh \"\"A\"\"\",5\r\n");
        assertThat(text).contains("\"'=HYPERLINK(\"\"x\"\")\",-3\r\n");
    }

    @Test
    void urlsAreComparedWithoutCaseOfHostFragmentOrTrailingSlash() {
        assertThat(EarlyWarning.url("https://SHOP.Example.vn/p/1/#x")).contains("https://shop.example.vn/p/1");
        assertThat(EarlyWarning.url("https://shop.example.vn/p/1?id=7")).contains("https://shop.example.vn/p/1?id=7");
        assertThat(EarlyWarning.url("HTTPS://shop.example.vn/P/1")).contains("https://shop.example.vn/P/1");
        assertThat(EarlyWarning.url("shop.example.vn/p/1")).isEmpty();
        assertThat(EarlyWarning.url(" ")).isEmpty();
    }

    @Test
    void periodsAreKeyedByKindAndLastMonthAndAdHocIsNotConsolidated() {
        java.time.YearMonth september = java.time.YearMonth.of(2026, 9);
        assertThat(Consolidator.key(vn.lienthong.schemas.v1.PeriodKind.MONTH, september)).isEqualTo("month:2026-09");
        assertThat(Consolidator.key(vn.lienthong.schemas.v1.PeriodKind.QUARTER, september))
                .isEqualTo("quarter:2026-Q3");
        assertThat(Consolidator.key(vn.lienthong.schemas.v1.PeriodKind.HALF_YEAR, september.plusMonths(3)))
                .isEqualTo("half-year:2026-H2");
        assertThat(Consolidator.key(vn.lienthong.schemas.v1.PeriodKind.YEAR, september.plusMonths(3)))
                .isEqualTo("year:2026");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Consolidator.months(
                vn.lienthong.schemas.v1.PeriodKind.AD_HOC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ad-hoc reports are not consolidated");
    }

    @Test
    void isoWeeksAreNamedAsTheStandardDoes() {
        assertThat(EarlyWarning.week(java.time.LocalDate.of(2026, 12, 7))).isEqualTo("2026-W50");
        assertThat(EarlyWarning.week(java.time.LocalDate.of(2027, 1, 1))).isEqualTo("2026-W53");
    }
}

package vn.lienthong.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.reports.ReportSamples;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * The console's Reports view in a real headless Chromium: in a month two provinces report and one
 * does not (months after the due day: the two are late, the third missing); an auditor picks the
 * month and sees who has reported and who has not (with the due day), the totals by category, goods and province drawn as ECharts bars (read back from the chart's
 * option) with the same numbers in the tables beside them, the change from the month before, and
 * download links that answer 200 with CSV and XLSX; in Vietnamese and in English. Then a burst of
 * notices is a hotspot in the early warning: its line drawn bold, its row marked, its listing named.
 * No script or style is refused by the page's Content-Security-Policy (the library is served by the
 * gateway). Screenshots: target/screenshots/reports-*.png.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReportsConsoleBrowserTest {

    /** Five months back: a month no other test reports for, long past its due day. */
    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.ofHours(7)).minusMonths(5);
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", () -> "src/test/resources/reports/agencies.yaml");
        registry.add("lienthong.reports.remind", () -> "false");
        registry.add("lienthong.reports.warning.send", () -> "false");
    }

    @LocalServerPort
    int port;

    /** When this test began: the deliveries it leaves in pull inboxes are acknowledged after it. */
    private final java.time.Instant started = java.time.Instant.now();

    @org.junit.jupiter.api.AfterEach
    void acknowledgeWhatThisTestDelivered() {
        // Reports to BCD389, notices to MOIT.ECDE: not left PENDING for the backlog tests that follow.
        OperatorSupport.acknowledgeSince(port, "BCD389", started);
        OperatorSupport.acknowledgeSince(port, "MOIT.ECDE", started);
    }

    @Test
    void anAuditorSeesWhoHasReportedTheTotalsAsChartsTheDownloadsAndAHotspot() {
        // Hà Nội and Ninh Bình report; Hồ Chí Minh City does not. Hà Nội reported the month before too.
        OperatorSupport.submit(port, "PROV.01", ReportSamples.report("PROV.01", MONTH.minusMonths(1), 40,
                100_000_000L, "COSMETICS", 10));
        OperatorSupport.submit(port, "PROV.01", ReportSamples.report("PROV.01", MONTH, 60, 150_000_000L,
                "COSMETICS", 25));
        OperatorSupport.submit(port, "PROV.37", ReportSamples.report("PROV.37", MONTH, 20, 50_000_000L,
                "TOBACCO", 8));
        // A burst of six notices of fireworks on one platform in Cà Mau this week, none the week before.
        String run = UUID.randomUUID().toString().substring(0, 8);
        String platform = "Sàn " + run;
        for (int i = 0; i < 6; i++) {
            ObjectNode notice = OperatorSupport.notice("PROV.37", "MOIT.ECDE");
            ObjectNode p = (ObjectNode) notice.get("payload");
            p.putObject("province").put("code", "96");
            p.putArray("goods").addObject().put("description", "Pháo hoa nổ").put("category", "FIREWORKS");
            p.putObject("platform").put("name", platform);
            p.putArray("listings").addObject().put("url", "https://cho.example.vn/phao/" + run);
            OperatorSupport.submit(port, "PROV.37", notice);
        }

        try (Browser b = Browser.start("reports")) {
            logIn(b);
            b.driver.executeScript("window.cspRefused = [];"
                    + "document.addEventListener('securitypolicyviolation', function (e) {"
                    + " window.cspRefused.push(e.violatedDirective + ' ' + e.blockedURI); });");
            b.driver.findElement(By.id("tab-reports")).click();
            assertThat(text(b, "tab-reports")).isEqualTo("Báo cáo");
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("r-period")));
            new Select(b.driver.findElement(By.id("r-period"))).selectByValue("month:" + MONTH);
            b.driver.findElement(By.id("reports-show")).click();
            By missing = By.cssSelector("#parties-table tr[data-party='PROV.79']");
            b.wait.until(ExpectedConditions.attributeToBe(By.id("consolidation-title"), "data-period", "month:" + MONTH));
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(missing));
            assertThat(text(b, "consolidation-title")).contains("Tháng " + MONTH.toString().substring(5) + "/"
                    + MONTH.getYear());

            // Who has reported, who has not, and by when.
            WebElement province79 = b.driver.findElement(missing);
            assertThat(province79.getDomAttribute("data-status")).isEqualTo("MISSING");
            assertThat(province79.getText()).contains("Chưa báo cáo (quá hạn)");
            String due = MONTH.plusMonths(1).atDay(5).toString().split("-")[2] + "/"
                    + MONTH.plusMonths(1).atDay(5).toString().split("-")[1] + "/" + MONTH.plusMonths(1).getYear();
            assertThat(province79.getText()).contains(due);
            // Reported now, months after the due day: late.
            WebElement province01 = b.driver.findElement(By.cssSelector("#parties-table tr[data-party='PROV.01']"));
            assertThat(province01.getDomAttribute("data-status")).isEqualTo("LATE");
            assertThat(province01.getText()).contains("Nộp muộn");
            assertThat(b.driver.findElement(By.cssSelector("#parties-table tr[data-party='PROV.37']"))
                    .getDomAttribute("data-status")).isEqualTo("LATE");
            assertThat(text(b, "consolidation-summary")).contains("2/3").contains(due);
            assertThat(text(b, "consolidation-due")).contains("Đã quá hạn");

            // The charts, as drawn: categories, labels and values from ECharts' own option.
            assertThat(axis(b, "chart-goods")).containsExactly("Mỹ phẩm", "Thuốc lá");
            assertThat(values(b, "chart-goods")).containsExactly(25L, 8L);
            assertThat(axis(b, "chart-category")).containsExactly("Hàng giả");
            assertThat(values(b, "chart-category")).containsExactly(80L);
            assertThat(values(b, "chart-province")).containsExactly(60L, 20L);
            assertThat(axis(b, "chart-province").get(0)).startsWith("01");
            assertThat(values(b, "chart-change")).containsExactly(40L, 80L);
            assertThat(b.driver.findElements(By.cssSelector("#chart-goods canvas"))).isNotEmpty();
            // ... and the same in the tables beside them.
            assertThat(cell(b, "#table-goods-grid tr[data-key='COSMETICS'] td.num")).isEqualTo("25");
            assertThat(cell(b, "#table-goods-grid tr[data-key='TOBACCO'] td.num")).isEqualTo("8");
            assertThat(cell(b, "#table-province-grid tr[data-key='37'] td.num")).isEqualTo("20");
            List<WebElement> change = b.driver.findElements(By.cssSelector(
                    "#change-table tr[data-figure='casesDetected'] td.num"));
            assertThat(change).extracting(e -> e.getDomAttribute("data-value")).containsExactly("80", "40", "40",
                    "100");

            // The downloads answer, with their media types.
            Map<String, String> answers = downloads(b, "#consolidation-downloads a.download");
            assertThat(answers).containsOnlyKeys("dl-consolidation-parties", "dl-consolidation-categories",
                    "dl-consolidation-goods", "dl-consolidation-xlsx");
            assertThat(answers.get("dl-consolidation-parties")).startsWith("200 text/csv");
            assertThat(answers.get("dl-consolidation-goods")).startsWith("200 text/csv");
            assertThat(answers.get("dl-consolidation-xlsx")).isEqualTo("200 " + XLSX);
            b.driver.manage().window().setSize(new Dimension(1440, 2000));
            b.screenshot("reports-01-consolidation-vi");

            // English at the switch: the same chart, English labels.
            b.driver.findElement(By.id("lang-en")).click();
            b.wait.until(d -> "Reports".equals(text(b, "tab-reports")));
            b.wait.until(d -> axis(b, "chart-goods").equals(List.of("Cosmetics", "Tobacco")));
            assertThat(b.driver.findElement(missing).getText()).contains("Missing (past due)");
            b.screenshot("reports-02-consolidation-en");

            // The early warning of this week: the burst is a hotspot.
            new Select(b.driver.findElement(By.id("r-kind"))).selectByValue("warning");
            By hotspot = By.cssSelector("#hotspots-table tr[data-key='96|FIREWORKS|" + platform + "']");
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(hotspot));
            List<WebElement> counts = b.driver.findElement(hotspot).findElements(By.cssSelector("td.num"));
            assertThat(counts).extracting(WebElement::getText).containsExactly("6", "0");
            assertThat(b.driver.findElement(By.cssSelector("#table-warning-grid tr.hotspot[data-key='96|FIREWORKS']"))
                    .getText()).contains("Hotspot");
            Map<?, ?> line = (Map<?, ?>) b.driver.executeScript("var o = echarts.getInstanceByDom("
                    + "document.getElementById('chart-warning')).getOption();"
                    + "var s = o.series.filter(function (x) { return x.id === '96|FIREWORKS'; })[0];"
                    + "return s ? { last: s.data[s.data.length - 1], width: s.lineStyle.width,"
                    + " week: o.xAxis[0].data[o.xAxis[0].data.length - 1] } : null;");
            assertThat(line).as("the hotspot's line in the chart").isNotNull();
            assertThat(((Number) line.get("last")).longValue()).isGreaterThanOrEqualTo(6L);
            assertThat(((Number) line.get("width")).intValue()).isEqualTo(4);
            assertThat(b.driver.findElement(By.cssSelector("#sites-table tr[data-site='https://cho.example.vn/phao/"
                    + run + "'] td.num")).getText()).isEqualTo("6");
            assertThat(text(b, "report-warning")).doesNotContain("001085012345").doesNotContain("0912 345 678")
                    .doesNotContain("Nguyễn Văn Khải");
            Map<String, String> warning = downloads(b, "#warning-downloads a.download");
            assertThat(warning.get("dl-warning-hotspots")).startsWith("200 text/csv");
            assertThat(warning.get("dl-warning-sites")).startsWith("200 text/csv");
            assertThat(warning.get("dl-warning-xlsx")).isEqualTo("200 " + XLSX);
            b.screenshot("reports-03-warning-hotspot-en");

            assertThat((List<?>) b.driver.executeScript("return window.cspRefused;")).isEmpty();
        }
    }

    private void logIn(Browser b) {
        b.driver.get(base() + "/console/");
        b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(b.driver.getCurrentUrl()).startsWith(Tokens.issuer());
        b.logInOnKeycloak(OperatorSupport.AUDITOR, "auditor-demo");
        b.wait.until(d -> d.getCurrentUrl().startsWith(base() + "/console/"));
        b.wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> axis(Browser b, String chart) {
        return (List<String>) b.driver.executeScript("var c = echarts.getInstanceByDom(document.getElementById("
                + "arguments[0])); return c ? c.getOption().xAxis[0].data : null;", chart);
    }

    /** The first series' values (a bar given as {value, itemStyle} counts its value). */
    @SuppressWarnings("unchecked")
    private static List<Long> values(Browser b, String chart) {
        return ((List<Object>) b.driver.executeScript("var c = echarts.getInstanceByDom(document.getElementById("
                + "arguments[0])); return c.getOption().series[0].data.map(function (d) {"
                + " return typeof d === 'object' ? d.value : d; });", chart)).stream()
                .map(v -> ((Number) v).longValue()).toList();
    }

    /** Each link's id and its answer ("status content-type"), fetched with the page's session. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> downloads(Browser b, String links) {
        return (Map<String, String>) b.driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "var links = Array.prototype.slice.call(document.querySelectorAll(arguments[0]));"
                + "Promise.all(links.map(function (a) { return fetch(a.href, { credentials: 'same-origin' })"
                + ".then(function (r) { return [a.id, r.status + ' ' + r.headers.get('Content-Type')]; }); }))"
                + ".then(function (all) { var m = {}; all.forEach(function (x) { m[x[0]] = x[1]; }); done(m); },"
                + " function (e) { done({ error: String(e) }); });", links);
    }

    private static String cell(Browser b, String css) {
        return b.driver.findElement(By.cssSelector(css)).getDomAttribute("data-value");
    }

    private static String text(Browser b, String id) {
        return b.driver.findElement(By.id(id)).getText();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    static {
        TestStack.get();
    }
}

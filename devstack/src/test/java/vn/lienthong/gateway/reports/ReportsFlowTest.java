package vn.lienthong.gateway.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.testsupport.MovableTime;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.admin.OperatorSupport;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;
import vn.lienthong.gateway.workflows.JdbcWorkflows;

/**
 * Consolidation and reminders through the whole gateway on the real servers: in a month two
 * provinces report (one of them twice: the later counts) and one does not; the operator API
 * consolidates them (who has and has not reported, totals by category, goods and province, the
 * change from the previous month) as JSON, CSV and XLSX; after the due day the gateway reminds the
 * missing province once — a second sweep and a "restarted" instance send nothing more — and the
 * province finds the reminder in its inbox. The due day is two months out (configuration), so the
 * reports sent now are on time; the reminders' time is moved by the test (bean workflowTime). And a
 * burst of notices makes a hotspot, their listing and shop are one site each, nobody's identifiers
 * leave, and the week's digest goes once to the e-commerce agency.
 */
@SpringBootTest(classes = {GatewayApplication.class, ReportsFlowTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReportsFlowTest {

    /** When this class began: older inbox items are other tests' deliveries. */
    private static final java.time.Instant STARTED = java.time.Instant.now();

    static final String REGISTRY = "src/test/resources/reports/agencies.yaml";
    private static final ZoneOffset VN = ZoneOffset.ofHours(7);
    /** Last month: it has begun, so its reports are valid at the real time. */
    private static final YearMonth MONTH = YearMonth.now(VN).minusMonths(1);

    /** The reminders' time, moved by the test. */
    /** Replaces the workflows' (and reports') time only. */
    @TestConfiguration
    static class Time {
        @Bean
        MovableTime workflowTime() {
            return new MovableTime();
        }
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", () -> REGISTRY);
        registry.add("lienthong.reports.remind", () -> "false");
        registry.add("lienthong.reports.due-day", () -> "5");
        registry.add("lienthong.reports.due-months-after", () -> "2");
        // Reminders from this month on: the month before is past due as well, and not this test's.
        registry.add("lienthong.reports.remind-from", MONTH::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    DataSource dataSource;

    @Autowired
    MovableTime time;

    @Autowired
    ReportReminders reminders;

    @Autowired
    WarningDigests digests;

    @Autowired
    Consolidator consolidator;

    @Autowired
    JdbcWorkflows workflows;

    @Autowired
    Registry registry;

    @Autowired
    BodyCipher cipher;

    @Test
    void twoProvincesReportOneDoesNotTheConsolidationSaysSoAndTheMissingOneIsRemindedOnce() throws Exception {
        // Last month's report of Hà Nội, for the change; this month: Hà Nội (twice), Ninh Bình.
        submit(report("PROV.01", MONTH.minusMonths(1), 40, 100_000_000L, "COSMETICS", 10));
        submit(report("PROV.01", MONTH, 5, 1L, "COSMETICS", 1)); // corrected by the next one
        submit(report("PROV.01", MONTH, 60, 150_000_000L, "COSMETICS", 25));
        submit(report("PROV.37", MONTH, 20, 50_000_000L, "TOBACCO", 8));

        JsonNode c = OperatorSupport.get(port, "/api/v1/admin/reports/consolidation?month=" + MONTH,
                OperatorSupport.auditor()).json();
        assertThat(c.at("/period").asText()).isEqualTo("month:" + MONTH);
        assertThat(codes(c.at("/reported"))).containsExactly("PROV.01", "PROV.37");
        assertThat(codes(c.at("/missing"))).containsExactly("PROV.79");
        assertThat(c.at("/pastDue").asBoolean()).isFalse();
        assertThat(c.at("/reported/0/reports").asInt()).isEqualTo(2);
        assertThat(c.at("/reported/0/onTime").asBoolean()).isTrue();
        assertThat(c.at("/reported/0/province").asText()).isEqualTo("01");
        assertThat(c.at("/totals/casesDetected").asLong()).isEqualTo(80);
        assertThat(c.at("/totals/finesVnd").asLong()).isEqualTo(200_000_000L);
        assertThat(c.at("/byCategory/COUNTERFEIT/casesDetected").asLong()).isEqualTo(80);
        assertThat(c.at("/byGoods/COSMETICS/casesDetected").asLong()).isEqualTo(25);
        assertThat(c.at("/byGoods/TOBACCO/casesDetected").asLong()).isEqualTo(8);
        assertThat(c.at("/previousTotals/casesDetected").asLong()).isEqualTo(40);
        assertThat(c.at("/change/casesDetected/difference").asLong()).isEqualTo(40);
        assertThat(c.at("/change/casesDetected/percent").asDouble()).isEqualTo(100.0);

        // Downloads: CSV (one table) and XLSX (a sheet per table).
        HttpResponse<byte[]> csv = download("/api/v1/admin/reports/consolidation.csv?month=" + MONTH + "&table=parties");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("PROV.37,Tỉnh Ninh Bình,37,REPORTED,").contains("PROV.79,Thành phố Hồ Chí Minh,79,NOT_YET")
                .contains("TOTAL,month:" + MONTH + ",,2/3,,,,80,");
        HttpResponse<byte[]> xlsx = download("/api/v1/admin/reports/consolidation.xlsx?month=" + MONTH);
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (InputStream in = new ByteArrayInputStream(xlsx.body()); XSSFWorkbook book = new XSSFWorkbook(in)) {
            Sheet goods = book.getSheet("goods");
            List<String> names = new ArrayList<>();
            for (Row row : goods) {
                names.add(row.getCell(0).getStringCellValue());
            }
            assertThat(names).containsExactly("goods", "COSMETICS", "TOBACCO");
            assertThat(goods.getRow(1).getCell(1).getNumericCellValue()).isEqualTo(25.0);
        }
        assertThat(OperatorSupport.get(port, "/api/v1/admin/reports/consolidation?month=2026-13",
                OperatorSupport.auditor()).status()).isEqualTo(400);
        assertThat(OperatorSupport.get(port, "/api/v1/admin/reports/consolidation?month=" + MONTH, null).status())
                .isEqualTo(401);

        // Before the due day is over nobody is reminded; after it, PROV.79 once.
        OffsetDateTime dueEnd = consolidator.settings().dueDate(MONTH).plusDays(1).atStartOfDay().atOffset(VN);
        time.moveTo(dueEnd.minusMinutes(1).toInstant());
        assertThat(reminders.sweep()).isZero();
        time.moveTo(dueEnd.plusHours(1).toInstant());
        assertThat(reminders.sweep()).isEqualTo(1);
        assertThat(reminders.sweep()).isZero();
        // A restarted instance: its own reminders, the same database.
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        ReportReminders restarted = new ReportReminders(dataSource, transactions,
                new JdbcJournal(dataSource, transactions, workflows), () -> registry, consolidator,
                json -> json, time);
        assertThat(restarted.sweep()).isZero();
        assertThat(db.queryForObject("select count(*) from report_reminder where period = ?", Integer.class,
                "month:" + MONTH)).isEqualTo(1);
        JsonNode after = OperatorSupport.get(port, "/api/v1/admin/reports/consolidation?month=" + MONTH,
                OperatorSupport.operator()).json();
        assertThat(after.at("/pastDue").asBoolean()).isTrue();

        // The province pulls its inbox: the gateway's deadline.overdue of kind report.
        JsonNode reminder = await().atMost(Duration.ofSeconds(30)).until(() -> inboxItem("PROV.79"), n -> n != null);
        assertThat(reminder.at("/sender").asText()).isEqualTo("GATEWAY");
        assertThat(reminder.at("/type").asText()).isEqualTo("deadline.overdue");
        JsonNode payload = reminder.at("/message/payload");
        assertThat(payload.at("/kind").asText()).isEqualTo("report");
        assertThat(payload.at("/responder").asText()).isEqualTo("PROV.79");
        assertThat(payload.at("/requester").asText()).isEqualTo("BCD389");
        assertThat(payload.at("/state").asText()).isEqualTo("NOT_REPORTED");
        assertThat(payload.at("/period/from").asText()).isEqualTo(MONTH.atDay(1).toString());
        assertThat(payload.at("/period/to").asText()).isEqualTo(MONTH.atEndOfMonth().toString());
        assertThat(inboxItem("PROV.37")).isNull();
    }

    @Test
    void aBurstOfNoticesMakesAHotspotListsTheirSitesOnceAndGoesToTheEcommerceAgencyWeekly() throws Exception {
        time.moveTo(Instant.now());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shopId = "S-" + run;
        // Six notices of fireworks sold on TikTok Shop in Cà Mau this week: none the week before.
        for (int i = 0; i < 6; i++) {
            ObjectNode notice = OperatorSupport.notice("PROV.37", "MOIT.ECDE");
            ObjectNode p = (ObjectNode) notice.get("payload");
            p.putObject("province").put("code", "96");
            p.putArray("goods").addObject().put("description", "Pháo hoa nổ không rõ nguồn gốc").put("category", "FIREWORKS");
            p.putObject("platform").put("name", "TikTok Shop");
            p.putObject("shop").put("name", "Pháo Tết " + run).put("platformShopId", shopId);
            // The same listing written three ways: one site.
            String url = List.of("https://shop.example.vn/p/" + run, "https://SHOP.example.vn/p/" + run + "/",
                    "https://shop.example.vn/p/" + run + "#reviews").get(i % 3);
            p.putArray("listings").addObject().put("url", url);
            OperatorSupport.submit(port, "PROV.37", notice);
        }
        JsonNode view = OperatorSupport.get(port, "/api/v1/admin/reports/warning", OperatorSupport.auditor()).json();
        JsonNode hotspot = null;
        for (JsonNode h : view.path("hotspots")) {
            if (h.path("province").asText().equals("96") && h.path("goods").asText().equals("FIREWORKS")
                    && h.path("platform").asText().equals("TikTok Shop")) {
                hotspot = h;
            }
        }
        assertThat(hotspot).as("hotspot 96 × FIREWORKS × TikTok Shop in %s", view).isNotNull();
        assertThat(hotspot.path("count").asInt()).isEqualTo(6);
        assertThat(hotspot.path("previous").asInt()).isZero();
        JsonNode listing = site(view, "https://shop.example.vn/p/" + run);
        assertThat(listing.path("kind").asText()).isEqualTo("LISTING");
        assertThat(listing.path("mentions").asInt()).isEqualTo(6);
        assertThat(listing.path("by")).extracting(JsonNode::asText).containsExactly("PROV.37");
        assertThat(site(view, "tiktok shop/" + shopId).path("mentions").asInt()).isEqualTo(6);
        // No person leaves in the aggregates: the example's subjects have a CCCD, a phone, a name.
        String all = view.toString();
        assertThat(all).doesNotContain("001085012345").doesNotContain("0912 345 678").doesNotContain("Nguyễn Văn Khải")
                .doesNotContain("Pháo Tết");
        HttpResponse<byte[]> csv = download("/api/v1/admin/reports/warning.csv?table=hotspots");
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).contains(",96,FIREWORKS,TikTok Shop,6,0");
        assertThat(OperatorSupport.get(port, "/api/v1/admin/reports/warning?week=2026-W60", OperatorSupport.auditor())
                .status()).isEqualTo(400);

        // A week later the digest of this week goes to MOIT.ECDE, once.
        time.moveTo(Instant.now().plus(Duration.ofDays(7)));
        assertThat(digests.sweep()).isEqualTo(1);
        assertThat(digests.sweep()).isZero();
        JsonNode digest = await().atMost(Duration.ofSeconds(30)).until(() -> inboxItem("MOIT.ECDE", "report.periodic"),
                n -> n != null);
        assertThat(digest.at("/sender").asText()).isEqualTo("GATEWAY");
        assertThat(digest.at("/message/payload/periodKind").asText()).isEqualTo("ad-hoc");
        assertThat(digest.at("/message/payload/notes").asText()).contains("96 × FIREWORKS × TikTok Shop: 6 / 0");
        assertThat(digest.toString()).doesNotContain("001085012345").doesNotContain("0912 345 678");
        time.moveTo(Instant.now());
    }

    @Test
    void aFreshGatewayRemindsOnlyTheLastPeriodDueThenEachPeriodAsItFallsDue() {
        // This test's months are long past (2021) and its reminders recorded in memory: no inbox is touched.
        db.update("delete from report_reminder_start");
        db.update("delete from report_reminder where period like 'month:2021-%'");
        List<JournalEntry> recorded = new ArrayList<>();
        ReportSettings settings = consolidator.settings().withExpected(List.of("PROV.79")).withReminders("2021-01", 1);
        try {
            // 10 June 2021, the first sweep: January to April are past due (two months after, on the 5th);
            // catch-up 1 reminds of April only.
            ReportReminders fresh = reminders(settings, recorded);
            time.moveTo(vietnam(2021, 6, 10));
            assertThat(fresh.sweep()).isEqualTo(1);
            assertThat(fresh.sweep()).isZero();
            assertThat(remindedPeriods()).containsExactly("month:2021-04");
            // May falls due while the gateway is in service: reminded, once, by a restarted instance too.
            time.moveTo(vietnam(2021, 7, 6));
            assertThat(reminders(settings, recorded).sweep()).isEqualTo(1);
            assertThat(fresh.sweep()).isZero();
            assertThat(remindedPeriods()).containsExactly("month:2021-04", "month:2021-05");

            // Catch-up 0 on another first start: June and July, past due then, are not reminded; August is.
            db.update("delete from report_reminder_start");
            ReportReminders none = reminders(settings.withReminders("2021-01", 0), recorded);
            time.moveTo(vietnam(2021, 9, 10));
            assertThat(none.sweep()).isZero();
            time.moveTo(vietnam(2021, 10, 6));
            assertThat(none.sweep()).isEqualTo(1);
            assertThat(remindedPeriods()).containsExactly("month:2021-04", "month:2021-05", "month:2021-08");
            assertThat(recorded).hasSize(3);
        } finally {
            db.update("delete from report_reminder_start");
            time.moveTo(Instant.now());
        }
    }

    /** Reminders on these settings whose journal keeps what they record in {@code recorded}. */
    private ReportReminders reminders(ReportSettings settings, List<JournalEntry> recorded) {
        return new ReportReminders(dataSource, new DataSourceTransactionManager(dataSource), batch -> {
            recorded.addAll(batch);
            return List.of();
        }, () -> registry, new Consolidator(dataSource, () -> registry, settings, time).withCipher(cipher), json -> json, time);
    }

    private List<String> remindedPeriods() {
        return db.queryForList("select period from report_reminder where period like 'month:2021-%' order by period",
                String.class);
    }

    /** Noon of that day in Việt Nam. */
    private static Instant vietnam(int year, int month, int day) {
        return OffsetDateTime.of(year, month, day, 12, 0, 0, 0, VN).toInstant();
    }

    private static JsonNode site(JsonNode view, String key) {
        for (JsonNode s : view.path("sites")) {
            if (s.path("key").asText().equals(key)) {
                return s;
            }
        }
        throw new AssertionError("no site " + key + " in " + view.path("sites"));
    }

    private static List<String> codes(JsonNode array) {
        List<String> codes = new ArrayList<>();
        array.forEach(n -> codes.add(n.path("code").asText()));
        return codes;
    }

    /** The first deadline.overdue in an agency's inbox, or null. */
    private JsonNode inboxItem(String agency) {
        return inboxItem(agency, "deadline.overdue");
    }

    /** The first item of this type in an agency's inbox, or null. */
    private JsonNode inboxItem(String agency, String type) {
        JsonNode page = OperatorSupport.inboxHolding(port, agency, STARTED, item -> item.path("type").asText().equals(type));
        if (page == null) {
            return null;
        }
        JsonNode items = page.path("items");
        for (JsonNode item : items) {
            if (item.path("type").asText().equals(type)) {
                return item;
            }
        }
        return null;
    }

    private HttpResponse<byte[]> download(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", OperatorSupport.auditor()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void submit(ObjectNode report) {
        OperatorSupport.submit(port, report.get("sender").asText(), report);
    }

    /** A monthly report (calendar month) to BCD389 with one category and one kind of goods. */
    static ObjectNode report(String sender, YearMonth month, long cases, long fines, String goods, long goodsCases) {
        return ReportSamples.report(sender, month, cases, fines, goods, goodsCases);
    }

    static {
        TestStack.get();
    }
}

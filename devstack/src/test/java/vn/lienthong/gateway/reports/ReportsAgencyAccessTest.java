package vn.lienthong.gateway.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.admin.OperatorSupport;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * The reports on the agencies' own tokens (real Keycloak): the consolidating parties (BCD389,
 * MOIT.DMS) fetch the consolidation as JSON, CSV and XLSX, of a month and of a quarter, the early-warning
 * recipient (MOIT.ECDE)
 * the early warning; a province, a platform, or a party asking for the other report is refused with
 * 403 and a reason naming who may; no token, or a person's token, is 401; nobody's identifiers in
 * what goes out.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReportsAgencyAccessTest {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /** A month no other test reports for (ReportsFlowTest: the last two; the console test: five and six back). */
    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.ofHours(7)).minusMonths(8);

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", () -> ReportsFlowTest.REGISTRY);
        registry.add("lienthong.reports.remind", () -> "false");
        registry.add("lienthong.reports.warning.send", () -> "false");
    }

    @LocalServerPort
    int port;

    /** When this test began: the deliveries it leaves in pull inboxes are acknowledged after it. */
    private final java.time.Instant started = java.time.Instant.now();

    @org.junit.jupiter.api.AfterEach
    void acknowledgeWhatThisTestDelivered() {
        OperatorSupport.acknowledgeSince(port, "BCD389", started);
        OperatorSupport.acknowledgeSince(port, "MOIT.ECDE", started);
    }

    @Test
    void theConsolidatingPartiesAndTheEarlyWarningRecipientReadTheirReportsAndNobodyElse() throws Exception {
        OperatorSupport.submit(port, "PROV.01", ReportsFlowTest.report("PROV.01", MONTH, 12, 30_000_000L, "MILK", 4));
        OperatorSupport.submit(port, "PROV.37", ReportsFlowTest.report("PROV.37", MONTH, 7, 9_000_000L, "SUGAR", 7));
        OperatorSupport.submit(port, "PROV.37", OperatorSupport.notice("PROV.37", "MOIT.ECDE"));
        String month = "month=" + MONTH;

        for (String party : List.of("BCD389", "MOIT.DMS")) {
            OperatorSupport.Response json = get("/api/v1/reports/consolidation?" + month, Tokens.bearer(party));
            assertThat(json.status()).as(party + ": " + json.body()).isEqualTo(200);
            JsonNode c = json.json();
            assertThat(codes(c.path("reported"))).containsExactly("PROV.01", "PROV.37");
            assertThat(codes(c.path("missing"))).containsExactly("PROV.79");
            assertThat(c.at("/totals/casesDetected").asLong()).isEqualTo(19);
            assertThat(c.at("/byGoods/SUGAR/casesDetected").asLong()).isEqualTo(7);
        }
        HttpResponse<byte[]> csv = bytes("/api/v1/reports/consolidation.csv?" + month + "&table=goods",
                Tokens.bearer("BCD389"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).contains("MILK,4,").contains("SUGAR,7,");
        HttpResponse<byte[]> xlsx = bytes("/api/v1/reports/consolidation.xlsx?" + month, Tokens.bearer("MOIT.DMS"));
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(xlsx.headers().firstValue("Content-Type").orElse("")).isEqualTo(XLSX);
        assertThat(xlsx.headers().firstValue("Content-Disposition").orElse(""))
                .contains("consolidation-" + MONTH + ".xlsx");
        try (InputStream in = new ByteArrayInputStream(xlsx.body()); XSSFWorkbook book = new XSSFWorkbook(in)) {
            assertThat(book.getSheet("parties").getRow(1).getCell(0).getStringCellValue()).isEqualTo("PROV.01");
        }
        assertThat(get("/api/v1/reports/consolidation?month=2026-13", Tokens.bearer("BCD389")).status())
                .isEqualTo(400);

        // A quarter: its own reports only (the monthly ones of its months do not count), by ?period=.
        YearMonth quarterEnd = MONTH.withMonth((MONTH.getMonthValue() + 2) / 3 * 3);
        OperatorSupport.submit(port, "PROV.01", ReportSamples.report("PROV.01", "quarter", quarterEnd.minusMonths(2),
                quarterEnd, 30, 90_000_000L, "MILK", 11));
        String quarter = "quarter:" + quarterEnd.getYear() + "-Q" + quarterEnd.getMonthValue() / 3;
        OperatorSupport.Response q = get("/api/v1/reports/consolidation?period=" + quarter, Tokens.bearer("MOIT.DMS"));
        assertThat(q.status()).as(q.body()).isEqualTo(200);
        assertThat(q.json().path("period").asText()).isEqualTo(quarter);
        assertThat(q.json().path("kind").asText()).isEqualTo("quarter");
        assertThat(codes(q.json().path("reported"))).containsExactly("PROV.01");
        assertThat(codes(q.json().path("missing"))).containsExactly("PROV.37", "PROV.79");
        assertThat(q.json().at("/totals/casesDetected").asLong()).isEqualTo(30);
        assertThat(q.json().at("/byGoods/MILK/casesDetected").asLong()).isEqualTo(11);
        assertThat(q.json().path("previousPeriod").asText()).isEqualTo("quarter:" + quarterEnd.minusMonths(3).getYear()
                + "-Q" + quarterEnd.minusMonths(3).getMonthValue() / 3);
        HttpResponse<byte[]> quarterBook = bytes("/api/v1/reports/consolidation.xlsx?period=" + quarter,
                Tokens.bearer("BCD389"));
        assertThat(quarterBook.statusCode()).isEqualTo(200);
        assertThat(quarterBook.headers().firstValue("Content-Disposition").orElse(""))
                .contains("consolidation-" + quarter.replace(':', '-') + ".xlsx");
        OperatorSupport.Response badPeriod = get("/api/v1/reports/consolidation?period=quarter:2026-Q5",
                Tokens.bearer("BCD389"));
        assertThat(badPeriod.status()).isEqualTo(400);
        assertThat(badPeriod.json().path("message").asText()).contains("quarter:YYYY-Qn");

        // The early warning: its recipient, as JSON, CSV and XLSX; no person in it.
        OperatorSupport.Response warning = get("/api/v1/reports/warning", Tokens.bearer("MOIT.ECDE"));
        assertThat(warning.status()).as(warning.body()).isEqualTo(200);
        assertThat(warning.json().path("notices").asInt()).isPositive();
        assertThat(warning.body()).doesNotContain("001085012345").doesNotContain("0912 345 678")
                .doesNotContain("Nguyễn Văn Khải");
        HttpResponse<byte[]> sites = bytes("/api/v1/reports/warning.csv?table=sites", Tokens.bearer("MOIT.ECDE"));
        assertThat(sites.statusCode()).isEqualTo(200);
        assertThat(sites.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(new String(sites.body(), StandardCharsets.UTF_8)).startsWith("\uFEFFkind,key,platform,mentions");
        HttpResponse<byte[]> book = bytes("/api/v1/reports/warning.xlsx", Tokens.bearer("MOIT.ECDE"));
        assertThat(book.statusCode()).isEqualTo(200);
        assertThat(book.headers().firstValue("Content-Type").orElse("")).isEqualTo(XLSX);

        // Everyone else: 403, saying who may.
        OperatorSupport.Response province = get("/api/v1/reports/consolidation?" + month, Tokens.bearer("PROV.37"));
        assertThat(province.status()).isEqualTo(403);
        assertThat(province.json().path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(province.json().path("message").asText()).isEqualTo("PROV.37 may not read the consolidation of the"
                + " periodic reports: it goes to BCD389, MOIT.DMS only (lienthong.reports.consolidators)");
        assertThat(bytes("/api/v1/reports/consolidation.xlsx?" + month, Tokens.bearer("PROV.37")).statusCode())
                .isEqualTo(403);
        OperatorSupport.Response platform = get("/api/v1/reports/warning.csv", Tokens.bearer("PLATFORM.SHOPEE"));
        assertThat(platform.status()).isEqualTo(403);
        assertThat(platform.json().path("message").asText()).contains("PLATFORM.SHOPEE may not read the early warning")
                .contains("MOIT.ECDE only (lienthong.reports.warning.recipients)");
        assertThat(get("/api/v1/reports/consolidation?" + month, Tokens.bearer("MOIT.ECDE")).status()).isEqualTo(403);
        assertThat(get("/api/v1/reports/warning", Tokens.bearer("BCD389")).status()).isEqualTo(403);

        // Without an agency's token: 401 (a person's token has no agency; people use the operator API).
        OperatorSupport.Response anonymous = get("/api/v1/reports/consolidation?" + month, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("code").asText()).isEqualTo("NOT_AUTHENTICATED");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(get("/api/v1/reports/warning", OperatorSupport.operator()).status()).isEqualTo(401);
    }

    private OperatorSupport.Response get(String path, String authorization) {
        return OperatorSupport.get(port, path, authorization);
    }

    private HttpResponse<byte[]> bytes(String path, String authorization) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> codes(JsonNode array) {
        List<String> codes = new ArrayList<>();
        array.forEach(n -> codes.add(n.path("code").asText()));
        return codes;
    }

    static {
        TestStack.get();
    }
}

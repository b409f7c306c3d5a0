package vn.lienthong.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.admin.OperatorSupport.notice;
import static vn.lienthong.gateway.admin.OperatorSupport.submit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * The console page in a real headless Chromium: a person logs in on Keycloak's own page, finds a
 * FAILED delivery (its recipient's push endpoint answers 503), an auditor's resend is refused with
 * the API's 403 shown on the page, an operator resends once the endpoint is back and sees it
 * delivered, and abandons another with a reason; the page speaks Vietnamese by default and English
 * at the switch; quarantine (download of an original), backlog (pause and resume), traffic charts
 * and cases are shown. Screenshots: target/screenshots/console-*.png.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ConsoleBrowserTest {

    /** MOIT.ECDE's push endpoint: 503 until the test brings it back. */
    private static final HttpServer ECDE;
    private static final AtomicBoolean ECDE_UP = new AtomicBoolean(false);
    private static final List<String> ECDE_RECEIVED = new CopyOnWriteArrayList<>();
    private static final Path REGISTRY = Path.of("target", "console-browser-agencies.yaml");

    static {
        try {
            ECDE = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ECDE.createContext("/lienthong/in", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status = ECDE_UP.get() ? 200 : 503;
                if (status == 200) {
                    ECDE_RECEIVED.add(new String(body, StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            ECDE.start();
            String registry = Files.readString(Path.of(OperatorSupport.REGISTRY), StandardCharsets.UTF_8)
                    .replace("http://127.0.0.1:9/lienthong/in", "http://127.0.0.1:" + ECDE.getAddress().getPort()
                            + "/lienthong/in");
            Files.createDirectories(REGISTRY.getParent());
            Files.writeString(REGISTRY, registry, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    @AfterAll
    static void stopEndpoint() {
        ECDE.stop(0);
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", REGISTRY::toString);
        // One failed attempt makes a delivery FAILED.
        registry.add("lienthong.dispatch.max-attempts", () -> "1");
    }

    /** Letters only Vietnamese writes (with its tone and vowel marks, and đ). */
    private static final String VIETNAMESE_LETTERS = "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void anOperatorFindsAFailedDeliveryResendsItAndSeesItDeliveredWhereAnAuditorIsRefused() {
        String messageId = submitPatiently(notice("PROV.37", "MOIT.ECDE"));
        String toAbandon = submitPatiently(notice("PROV.37", "MOIT.ECDE"));
        await().atMost(Browser.WAIT).until(() -> "FAILED".equals(status(messageId))
                && "FAILED".equals(status(toAbandon)));
        byte[] broken = "{\"messageId\": \"not-a-uuid\", \"sender\": \"PROV.37\"".getBytes(StandardCharsets.UTF_8);
        OperatorSupport.Response refused = OperatorSupport.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base() + "/api/v1/messages")).header("Content-Type", "application/json")
                .header("Authorization", Tokens.bearer("PROV.37"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(broken)));
        assertThat(refused.status()).isBetween(400, 499);

        // An auditor: reads the FAILED delivery, and is told clearly that resending is not theirs.
        try (Browser auditor = Browser.start("auditor")) {
            logIn(auditor, OperatorSupport.AUDITOR, "auditor-demo", "console-01-keycloak-login");
            assertThat(text(auditor, "auditor-hint")).contains("kiểm soát viên");
            openFailed(auditor, messageId);
            clickAct(auditor, messageId, "act-resend", "auditor asks to resend");
            WebElement notice = auditor.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
            auditor.wait.until(d -> notice.getText().contains("403"));
            assertThat(notice.getText()).contains("Không được phép (403)");
            auditor.screenshot("console-04-auditor-refused-403");
        }
        assertThat(status(messageId)).isEqualTo("FAILED");

        try (Browser operator = Browser.start("operator")) {
            logIn(operator, OperatorSupport.OPERATOR, "operator-demo", null);
            operator.screenshot("console-02-messages-vi");
            // Vietnamese by default, English at the switch, and back.
            assertThat(text(operator, "tab-messages")).isEqualTo("Tin nhắn");
            assertThat(operator.driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("vi");
            operator.driver.findElement(By.id("lang-en")).click();
            operator.wait.until(d -> "Messages".equals(text(operator, "tab-messages")));
            assertThat(text(operator, "tab-backlog")).isEqualTo("Backlog");
            // Every label of the header follows the switch: none is left in Vietnamese (the roles' label was).
            String header = operator.driver.findElement(By.cssSelector("header.top")).getText();
            assertThat(header).contains("Roles: operator").doesNotContain("Vai trò");
            assertThat(header.toLowerCase(java.util.Locale.ROOT)).doesNotContainPattern(VIETNAMESE_LETTERS);
            assertThat(operator.driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
            operator.screenshot("console-03-messages-en");
            operator.driver.findElement(By.id("lang-vi")).click();
            operator.wait.until(d -> "Tin nhắn".equals(text(operator, "tab-messages")));

            openFailed(operator, messageId);
            assertThat(operator.driver.findElement(By.id("timeline")).getText()).contains("Lần thử 1 tới MOIT.ECDE: lỗi")
                    .contains("503");
            operator.screenshot("console-05-failed-delivery");

            // The recipient is back: resend, and the page follows the delivery until it is delivered.
            ECDE_UP.set(true);
            clickAct(operator, messageId, "act-resend", "MOIT.ECDE says its endpoint is back");
            operator.wait.until(d -> text(operator, "notice").contains("Đã gửi lại"));
            operator.wait.until(d -> !d.findElements(By.cssSelector("#deliveries td.delivery-status"
                    + " [data-status='DELIVERED']")).isEmpty());
            assertThat(operator.driver.findElement(By.id("timeline")).getText()).contains("Đã chuyển tới MOIT.ECDE");
            // The result list shows the delivery's new status, without another search.
            By resultRow = By.cssSelector("#search-results tr[data-message-id='" + messageId + "'] td.delivery-counts");
            operator.wait.until(d -> !d.findElement(resultRow).findElements(By.cssSelector("[data-status='DELIVERED']"))
                    .isEmpty());
            assertThat(operator.driver.findElement(resultRow).findElements(By.cssSelector("[data-status='FAILED']")))
                    .isEmpty();
            operator.screenshot("console-06-delivered");
            assertThat(ECDE_RECEIVED).anySatisfy(body -> assertThat(body).contains(messageId));
            assertThat(db.queryForList("select actor from audit where action = 'RESENT' and detail->>'messageId' = ?",
                    String.class, messageId)).containsExactly("person:operator");

            // The other one is given up: abandon asks for a reason, and says what it does.
            openFailed(operator, toAbandon);
            operator.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#deliveries"
                    + " button.act-abandon"))).click();
            assertThat(operator.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reason-warning")))
                    .getText()).contains("khóa thứ tự");
            operator.screenshot("console-06b-abandon-reason");
            giveReason(operator, "the case was closed by phone");
            operator.wait.until(d -> !d.findElements(By.cssSelector("#deliveries td.delivery-status"
                    + " [data-status='ABANDONED']")).isEmpty());
            assertThat(status(toAbandon)).isEqualTo("ABANDONED");

            quarantine(operator, broken);
            backlog(operator);
            traffic(operator);
            cases(operator);
        }
    }

    private void quarantine(Browser b, byte[] broken) {
        b.driver.findElement(By.id("tab-quarantine")).click();
        WebElement row = b.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(
                "#quarantine-results tbody tr[data-quarantine-id]")));
        row.click();
        WebElement errors = b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("refused-errors")));
        assertThat(errors.getText()).isNotBlank();
        b.screenshot("console-07-quarantine");
        b.driver.findElement(By.id("download-original")).click();
        giveReason(b, "PROV.37 asks why it was refused");
        await().atMost(Browser.WAIT).until(() -> {
            try (var files = Files.list(b.downloads)) {
                return files.anyMatch(f -> f.toString().endsWith(".bin"));
            }
        });
        assertThat(db.queryForObject("select count(*) from audit where action = 'ORIGINAL_READ' and actor ="
                + " 'person:operator' and detail->>'reason' = ?", Long.class, "PROV.37 asks why it was refused"))
                .isPositive();
    }

    private void backlog(Browser b) {
        b.driver.findElement(By.id("tab-backlog")).click();
        By customs = By.cssSelector("#backlog-table tr[data-recipient='MOF.CUSTOMS']");
        b.wait.until(ExpectedConditions.visibilityOfElementLocated(customs));
        b.driver.findElement(customs).findElement(By.cssSelector("button.act-pause")).click();
        giveReason(b, "customs asked for a quiet hour");
        b.wait.until(d -> d.findElement(customs).findElement(By.cssSelector("td.paused")).getText().contains("Tạm dừng"));
        assertThat(db.queryForList("select recipient from recipient_pause", String.class)).contains("MOF.CUSTOMS");
        b.screenshot("console-08-backlog-paused");
        b.driver.findElement(customs).findElement(By.cssSelector("button.act-resume")).click();
        giveReason(b, "quiet hour over");
        b.wait.until(d -> !d.findElement(customs).findElements(By.cssSelector("button.act-pause")).isEmpty());
        assertThat(db.queryForList("select recipient from recipient_pause", String.class)).doesNotContain("MOF.CUSTOMS");
    }

    private void traffic(Browser b) {
        b.driver.findElement(By.id("tab-traffic")).click();
        b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#traffic-agencies"
                + " tr[data-sender='PROV.37']")));
        assertThat(b.driver.findElements(By.cssSelector("#traffic-hours-svg rect"))).isNotEmpty();
        WebElement province = b.driver.findElement(By.cssSelector("#traffic-agencies tr[data-sender='PROV.37']"));
        assertThat(Long.parseLong(province.findElement(By.cssSelector("td.accepted")).getText())).isPositive();
        assertThat(Long.parseLong(province.findElement(By.cssSelector("td.refused")).getText())).isPositive();
        b.screenshot("console-09-traffic");
    }

    private void cases(Browser b) {
        b.driver.findElement(By.id("tab-cases")).click();
        new Select(b.driver.findElement(By.id("c-filter"))).selectByValue("all");
        b.driver.findElement(By.cssSelector("#cases-form button[type='submit']")).click();
        b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#cases-table tbody tr")));
        b.screenshot("console-10-cases");
    }

    private void logIn(Browser b, String user, String password, String loginShot) {
        b.driver.get(base() + "/console/");
        b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(b.driver.getCurrentUrl()).startsWith(Tokens.issuer());
        if (loginShot != null) {
            b.screenshot(loginShot);
        }
        b.logInOnKeycloak(user, password);
        b.wait.until(d -> d.getCurrentUrl().startsWith(base() + "/console/"));
        b.wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
        b.wait.until(d -> user.equals(text(b, "user-name")));
    }

    /** Searches FAILED messages by id and opens the one found. */
    private void openFailed(Browser b, String messageId) {
        b.driver.findElement(By.id("tab-messages")).click();
        WebElement id = b.driver.findElement(By.id("f-messageId"));
        id.clear();
        id.sendKeys(messageId);
        new Select(b.driver.findElement(By.id("f-status"))).selectByValue("FAILED");
        b.driver.findElement(By.id("search-button")).click();
        By row = By.cssSelector("#search-results tr[data-message-id='" + messageId + "']");
        b.wait.until(ExpectedConditions.elementToBeClickable(row)).click();
        b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#message-detail[data-message-id='"
                + messageId + "'] #deliveries [data-status='FAILED']")));
    }

    private void clickAct(Browser b, String messageId, String act, String reason) {
        b.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#deliveries button." + act))).click();
        giveReason(b, reason);
    }

    private static void giveReason(Browser b, String reason) {
        WebElement text = b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reason-text")));
        text.sendKeys(reason);
        b.driver.findElement(By.id("reason-confirm")).click();
        b.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("reason-dialog")));
    }

    private static String text(Browser b, String id) {
        return b.driver.findElement(By.id(id)).getText();
    }

    /**
     * Submits as PROV.37, again if an answer is slow to come (a machine shared by several builds): the
     * same message again is a duplicate, answered with the first receipt, never a second message.
     */
    private String submitPatiently(com.fasterxml.jackson.databind.node.ObjectNode message) {
        String[] id = new String[1];
        await().atMost(Browser.WAIT.multipliedBy(3)).ignoreExceptions().until(() -> {
            id[0] = submit(port, "PROV.37", message);
            return true;
        });
        return id[0];
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private String status(String messageId) {
        List<String> statuses = db.queryForList("select d.status from delivery d join message m on m.seq ="
                + " d.message_seq where m.message_id = ?::uuid", String.class, messageId);
        return statuses.isEmpty() ? null : statuses.get(0);
    }
}

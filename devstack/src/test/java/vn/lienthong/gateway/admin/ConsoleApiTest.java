package vn.lienthong.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.admin.OperatorSupport.auditor;
import static vn.lienthong.gateway.admin.OperatorSupport.get;
import static vn.lienthong.gateway.admin.OperatorSupport.infoRequest;
import static vn.lienthong.gateway.admin.OperatorSupport.notice;
import static vn.lienthong.gateway.admin.OperatorSupport.operator;
import static vn.lienthong.gateway.admin.OperatorSupport.post;
import static vn.lienthong.gateway.admin.OperatorSupport.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * The operator API's views for the console, on the real servers: the backlog of every recipient
 * (pending, oldest age, FAILED, paused), messages per hour by sender and outcome, and every
 * agency's workflow cases (open, due within hours, overdue, by agency and kind; one case with its
 * transitions and messages). Auditors read them; agencies' tokens do not.
 */
@SpringBootTest(classes = {GatewayApplication.class, ConsoleApiTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ConsoleApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    /** The workflows' time, moved by the test (deadlines pass without waiting). */
    static final class MovableTime implements InstantSource {
        private volatile Duration offset = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        void move(Duration by) {
            offset = offset.plus(by);
        }
    }

    /** Replaces the workflows' time only. */
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
        // One failed attempt makes a delivery FAILED: the recipient MOIT.ECDE never answers.
        registry.add("lienthong.dispatch.max-attempts", () -> "1");
        registry.add("lienthong.workflows.sweep", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    MovableTime time;

    @Test
    void theViewsAreForPeopleOnly() {
        String agency = Tokens.bearer("PROV.37");
        for (String path : new String[] {"/api/v1/admin/agencies", "/api/v1/admin/backlog", "/api/v1/admin/traffic",
                "/api/v1/admin/cases", "/api/v1/admin/cases/" + UUID.randomUUID()}) {
            assertThat(get(port, path, null).status()).as(path).isEqualTo(401);
            assertThat(get(port, path, agency).status()).as(path).isEqualTo(403);
        }
        OperatorSupport.Response agencies = get(port, "/api/v1/admin/agencies", auditor());
        assertThat(agencies.status()).isEqualTo(200);
        assertThat(agencies.json().path("items").findValuesAsText("code")).contains("PROV.37", "MOIT.ECDE",
                "MOF.CUSTOMS");
        JsonNode customs = item(agencies.json(), "code", "MOF.CUSTOMS");
        assertThat(customs.path("name").path("vi").asText()).isEqualTo("Cục Hải quan");
        assertThat(customs.path("name").path("en").asText()).isEqualTo("Customs");
        assertThat(customs.path("channels").toString()).contains("jms");
    }

    @Test
    void theConsolePageIsServedBehindTheLoginWithItsScriptsFromItsOwnOrigin() {
        OperatorSupport.Response anonymous = OperatorSupport.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/console/")).header("Accept", "text/html").GET());
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/oauth2/authorization/keycloak"));
        assertThat(get(port, "/console/", Tokens.bearer("PROV.37")).status()).isEqualTo(403);

        OperatorSupport.Response page = get(port, "/console/", auditor());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("<script src=\"console.js\"").contains("<script src=\"i18n.js\"")
                .doesNotContain("http://").doesNotContain("https://");
        for (String file : new String[] {"console.js", "i18n.js", "console.css"}) {
            assertThat(get(port, "/console/" + file, auditor()).status()).as(file).isEqualTo(200);
        }
        // The chart library from its WebJar, beside the page (nothing from a CDN).
        assertThat(page.body()).contains("<script src=\"lib/echarts.min.js\"");
        OperatorSupport.Response charts = get(port, "/console/lib/echarts.min.js", auditor());
        assertThat(charts.status()).isEqualTo(200);
        assertThat(charts.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/javascript"));
        assertThat(charts.body()).contains("echarts");
        assertThat(get(port, "/console", auditor()).status()).isEqualTo(308);
    }

    @Test
    void theBacklogShowsPendingOldestFailedAndPausedPerRecipient() {
        String failing = submit(port, "PROV.37", notice("PROV.37", "MOIT.ECDE"));
        await().atMost(WITHIN).until(() -> "FAILED".equals(status(failing)));
        String reason = "{\"reason\": \"customs asked for a quiet hour\"}";
        assertThat(post(port, "/api/v1/admin/recipients/MOF.CUSTOMS/pause", operator(), reason).status())
                .isEqualTo(200);
        try {
            String waiting = submit(port, "PROV.37", notice("PROV.37", "MOF.CUSTOMS"));
            await().atMost(WITHIN).until(() -> status(waiting) != null);

            OperatorSupport.Response backlog = get(port, "/api/v1/admin/backlog", auditor());
            assertThat(backlog.status()).as(backlog.body()).isEqualTo(200);
            // Every agency of the registry has a row, waiting or not.
            assertThat(backlog.json().path("items").findValuesAsText("recipient")).contains("PROV.37", "MOIT.ECDE",
                    "MOF.CUSTOMS");
            JsonNode customs = item(backlog.json(), "recipient", "MOF.CUSTOMS");
            assertThat(customs.path("paused").asBoolean()).isTrue();
            assertThat(customs.path("pending").asLong()).isPositive();
            assertThat(customs.path("oldestPendingAgeSeconds").isNumber()).isTrue();
            assertThat(customs.path("oldestPendingAgeSeconds").asLong()).isNotNegative();
            assertThat(Instant.parse(customs.path("oldestPendingSince").asText())).isBefore(Instant.now());
            JsonNode ecde = item(backlog.json(), "recipient", "MOIT.ECDE");
            assertThat(ecde.path("failed").asLong()).isPositive();
            assertThat(ecde.path("paused").asBoolean()).isFalse();
            // A recipient with nothing pending has no oldest age (the shared database holds other tests'
            // traffic, so which recipients are idle is read, not assumed; 40-odd agencies, most idle).
            List<JsonNode> idle = new java.util.ArrayList<>();
            backlog.json().path("items").forEach(i -> {
                if (i.path("pending").asLong() == 0) {
                    idle.add(i);
                }
            });
            assertThat(idle).isNotEmpty();
            assertThat(idle).allSatisfy(i -> assertThat(i.path("oldestPendingAgeSeconds").isNull()).as(i.toString()).isTrue());
        } finally {
            post(port, "/api/v1/admin/recipients/MOF.CUSTOMS/resume", operator(), reason);
        }
        await().atMost(WITHIN).until(() -> item(get(port, "/api/v1/admin/backlog", auditor()).json(), "recipient",
                "MOF.CUSTOMS").path("pending").asLong() == 0);
    }

    @Test
    void trafficCountsAcceptedRefusedDeliveredAndFailedPerSenderAndHour() {
        String auditor = auditor();
        long[] before = traffic(auditor, "PROV.37");
        String delivered = submit(port, "PROV.37", notice("PROV.37", "MOF.CUSTOMS"));
        String failed = submit(port, "PROV.37", notice("PROV.37", "MOIT.ECDE"));
        OperatorSupport.Response refused = OperatorSupport.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/messages")).header("Content-Type", "application/json")
                .header("Authorization", Tokens.bearer("PROV.37"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"messageId\": 42}", StandardCharsets.UTF_8)));
        assertThat(refused.status()).isBetween(400, 499);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(status(delivered)) && "FAILED".equals(status(failed)));

        long[] after = traffic(auditor, "PROV.37");
        assertThat(after[0] - before[0]).as("accepted").isGreaterThanOrEqualTo(2);
        assertThat(after[1] - before[1]).as("refused").isGreaterThanOrEqualTo(1);
        assertThat(after[2] - before[2]).as("delivered").isGreaterThanOrEqualTo(1);
        assertThat(after[3] - before[3]).as("failed").isGreaterThanOrEqualTo(1);

        OperatorSupport.Response page = get(port, "/api/v1/admin/traffic?hours=24", auditor);
        assertThat(page.json().path("hours").asInt()).isEqualTo(24);
        Instant from = Instant.parse(page.json().path("from").asText());
        for (JsonNode item : page.json().path("items")) {
            Instant hour = Instant.parse(item.path("hour").asText());
            assertThat(hour).isAfterOrEqualTo(from);
            assertThat(hour.getEpochSecond() % 3600).isZero();
        }
        for (String bad : new String[] {"0", "169", "many"}) {
            OperatorSupport.Response r = get(port, "/api/v1/admin/traffic?hours=" + bad, auditor);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("message").asText()).as(bad).contains("hours");
        }
    }

    @Test
    void operatorsSeeEveryAgencysCasesOpenDueAndOverdueAndOneCaseWithItsTransitions() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(7));
        String soon = submit(port, "PROV.37", infoRequest("PROV.37", "MOF.CUSTOMS", now.plusHours(10)));
        String later = submit(port, "PROV.37", infoRequest("PROV.37", "MOF.CUSTOMS", now.plusHours(72)));
        String auditor = auditor();
        await().atMost(WITHIN).until(() -> requests(get(port, "/api/v1/admin/cases?filter=open&kind=info&agency=PROV.37",
                auditor).json()).containsAll(List.of(soon, later)));

        List<String> due = requests(get(port, "/api/v1/admin/cases?filter=due&dueWithinHours=24&agency=MOF.CUSTOMS",
                auditor).json());
        assertThat(due).contains(soon).doesNotContain(later);
        assertThat(requests(get(port, "/api/v1/admin/cases?filter=open&agency=MOIT.ECDE", auditor).json()))
                .doesNotContain(soon, later);
        assertThat(requests(get(port, "/api/v1/admin/cases?filter=open&kind=takedown", auditor).json()))
                .doesNotContain(soon, later);
        assertThat(requests(get(port, "/api/v1/admin/cases?filter=overdue", auditor).json())).doesNotContain(soon);

        time.move(Duration.ofHours(30));
        JsonNode overdue = get(port, "/api/v1/admin/cases?filter=overdue&kind=info", auditor).json();
        assertThat(requests(overdue)).contains(soon).doesNotContain(later);
        JsonNode listed = item(overdue, "request", soon);
        assertThat(listed.path("overdue").asBoolean()).isTrue();
        assertThat(listed.path("requester").asText()).isEqualTo("PROV.37");
        assertThat(listed.path("responder").asText()).isEqualTo("MOF.CUSTOMS");

        // Delivered on Artemis: the case moved OPEN -> DELIVERED, and its request is among its messages.
        String caseId = listed.path("id").asText();
        await().atMost(WITHIN).until(() -> get(port, "/api/v1/admin/cases/" + caseId, auditor).json()
                .path("transitions").findValuesAsText("to").contains("DELIVERED"));
        JsonNode one = get(port, "/api/v1/admin/cases/" + caseId, auditor).json();
        assertThat(one.path("kind").asText()).isEqualTo("info");
        assertThat(one.path("messages").findValuesAsText("messageId")).contains(soon);

        assertThat(get(port, "/api/v1/admin/cases/" + UUID.randomUUID(), auditor).status()).isEqualTo(404);
        OperatorSupport.Response notUuid = get(port, "/api/v1/admin/cases/case-1", auditor);
        assertThat(notUuid.status()).isEqualTo(400);
        assertThat(notUuid.json().path("message").asText()).contains("id is not a UUID");
        assertThat(get(port, "/api/v1/admin/cases?filter=soon", auditor).json().path("message").asText())
                .contains("filter must be open, due, overdue or all");
        assertThat(get(port, "/api/v1/admin/cases?kind=parcel", auditor).status()).isEqualTo(400);
        assertThat(get(port, "/api/v1/admin/cases?agency=NOBODY", auditor).json().path("message").asText())
                .contains("NOBODY is not an agency");
        assertThat(get(port, "/api/v1/admin/cases?filter=due&dueWithinHours=0", auditor).status()).isEqualTo(400);
    }

    /** Sums of accepted, refused, delivered, failed over the last three hours for a sender. */
    private long[] traffic(String auditor, String sender) {
        OperatorSupport.Response r = get(port, "/api/v1/admin/traffic?hours=3", auditor);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        long[] sums = new long[4];
        for (JsonNode item : r.json().path("items")) {
            if (sender.equals(item.path("sender").asText())) {
                sums[0] += item.path("accepted").asLong();
                sums[1] += item.path("refused").asLong();
                sums[2] += item.path("delivered").asLong();
                sums[3] += item.path("failed").asLong();
            }
        }
        return sums;
    }

    private String status(String messageId) {
        List<String> statuses = db.queryForList("select d.status from delivery d join message m on m.seq ="
                + " d.message_seq where m.message_id = ?::uuid", String.class, messageId);
        return statuses.isEmpty() ? null : statuses.get(0);
    }

    private static List<String> requests(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(c -> ids.add(c.path("request").asText()));
        return ids;
    }

    private static JsonNode item(JsonNode page, String field, String value) {
        for (JsonNode item : page.path("items")) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + " " + value + " in " + page);
    }
}

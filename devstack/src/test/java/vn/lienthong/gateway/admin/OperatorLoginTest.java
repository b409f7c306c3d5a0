package vn.lienthong.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.admin.OperatorSupport.auditor;
import static vn.lienthong.gateway.admin.OperatorSupport.get;
import static vn.lienthong.gateway.admin.OperatorSupport.notice;
import static vn.lienthong.gateway.admin.OperatorSupport.operator;
import static vn.lienthong.gateway.admin.OperatorSupport.post;
import static vn.lienthong.gateway.admin.OperatorSupport.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.RealmAdmin;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * People log in with Keycloak (realm lienthong) to every surface for people, on the real Keycloak:
 * anonymous API calls get 401 and a bearer challenge, a browser is sent to Keycloak's login page
 * and comes back logged in; an agency's token opens nothing (403) and a person's token sends
 * nothing (the agency channel refuses it); an auditor reads but cannot resend, an operator can; a
 * person disabled in Keycloak is refused with the token they had.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests turn metrics export off unless asked: this one reads /actuator/prometheus.
@AutoConfigureObservability(tracing = false)
@DirtiesContext
class OperatorLoginTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        // One failed attempt makes a delivery FAILED: the recipient MOIT.ECDE never answers.
        registry.add("lienthong.dispatch.max-attempts", () -> "1");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void anonymousCallsGetABearerChallengeAndOnlyTheProbesAreOpen() {
        for (String path : new String[] {"/api/v1/admin/messages", "/actuator/health", "/actuator/prometheus",
                "/actuator/camelroutes", "/actuator/metrics"}) {
            OperatorSupport.Response r = get(port, path, null);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer"));
        }
        OperatorSupport.Response post = post(port, "/api/v1/admin/deliveries/" + java.util.UUID.randomUUID()
                + "/resend", null, "{\"reason\": \"x\"}");
        assertThat(post.status()).isEqualTo(401);
        assertThat(get(port, "/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(get(port, "/actuator/health/readiness", null).status()).isEqualTo(200);
        // The agencies' channel keeps its own answers (no token: its 401 problem, not Spring's).
        OperatorSupport.Response keys = get(port, "/api/v1/keys", null);
        assertThat(keys.status()).isEqualTo(200);
    }

    @Test
    void aBrowserIsSentToKeycloaksLoginPageAndComesBackLoggedIn() {
        BrowserLogin browser = new BrowserLogin();
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        HttpResponse<String> loginPage = browser.open(health);

        assertThat(browser.visited).extracting(URI::getPath).contains("/oauth2/authorization/keycloak");
        assertThat(loginPage.uri().toString()).startsWith(Tokens.issuer() + "/protocol/openid-connect/auth");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body()).contains("kc-form-login");

        HttpResponse<String> back = browser.logIn(loginPage, OperatorSupport.AUDITOR, "auditor-demo");
        assertThat(browser.visited).extracting(URI::getPath).contains("/login/oauth2/code/keycloak");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.uri().getPath()).isEqualTo(health.getPath());
        assertThat(back.body()).contains("\"status\"");
        // The session is the auditor's: the operator API answers them too.
        HttpResponse<String> me = browser.open(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"auditor\"").contains("auditor");
    }

    @Test
    void aBrowserWithAWrongPasswordStaysOnKeycloaksPage() {
        BrowserLogin browser = new BrowserLogin();
        HttpResponse<String> loginPage = browser.open(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/me")
                .resolve("/actuator/health"));
        HttpResponse<String> again = browser.logIn(loginPage, OperatorSupport.OPERATOR, "wrong");
        assertThat(again.uri().toString()).startsWith(Tokens.issuer());
        assertThat(again.body()).contains("kc-form-login");
        assertThat(browser.visited).extracting(URI::getPath).doesNotContain("/login/oauth2/code/keycloak");
    }

    @Test
    void anAgencysTokenOpensNothingOfTheOperatorsSeat() {
        String agency = Tokens.bearer("PROV.37");
        assertThat(get(port, "/api/v1/admin/messages", agency).status()).isEqualTo(403);
        assertThat(get(port, "/api/v1/admin/me", agency).status()).isEqualTo(403);
        assertThat(get(port, "/actuator/health", agency).status()).isEqualTo(403);
        assertThat(get(port, "/actuator/prometheus", agency).status()).isEqualTo(403);
        assertThat(post(port, "/api/v1/admin/recipients/MOIT.ECDE/pause", agency, "{\"reason\": \"x\"}").status())
                .isEqualTo(403);
    }

    @Test
    void aPersonsTokenSendsNoMessage() {
        OperatorSupport.Response submitted = post(port, "/api/v1/messages", operator(),
                notice("PROV.37", "MOIT.ECDE").toString());
        // Refused by the agency channel's own check (a person's token is not issued for the gateway and has no agency).
        assertThat(submitted.status()).isEqualTo(401);
        assertThat(submitted.json().path("code").asText()).isEqualTo("NOT_AUTHENTICATED");
        assertThat(get(port, "/api/v1/inbox", auditor()).status()).isEqualTo(401);
        assertThat(get(port, "/api/v1/messages/" + java.util.UUID.randomUUID(), operator()).status()).isEqualTo(401);
    }

    @Test
    void theAuditorReadsButCannotResendAndTheOperatorResends() {
        String messageId = submit(port, "PROV.37", notice("PROV.37", "MOIT.ECDE"));
        JsonNode delivery = awaitDelivery(messageId, "FAILED", 1);
        String deliveryId = delivery.path("deliveryId").asText();
        assertThat(delivery.path("attemptLog").get(0).path("outcome").asText()).isEqualTo("ERROR");

        OperatorSupport.Response refused = post(port, "/api/v1/admin/deliveries/" + deliveryId + "/resend", auditor(),
                "{\"reason\": \"auditors may not\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(awaitDelivery(messageId, "FAILED", 1).path("attempts").asInt()).isEqualTo(1);

        OperatorSupport.Response noReason = post(port, "/api/v1/admin/deliveries/" + deliveryId + "/resend",
                operator(), "{}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("message").asText()).contains("reason");

        OperatorSupport.Response resent = post(port, "/api/v1/admin/deliveries/" + deliveryId + "/resend", operator(),
                "{\"reason\": \"MOIT.ECDE says its endpoint is back\"}");
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        // Sent again (and, the endpoint being still dead, FAILED again after one more attempt).
        awaitDelivery(messageId, "FAILED", 2);
        assertThat(db.queryForList("select actor, detail->>'reason' as reason, detail->>'personId' as person"
                + " from audit where action = 'RESENT' and subject = ?", deliveryId))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("actor")).isEqualTo("person:operator");
                    assertThat(row.get("reason")).isEqualTo("MOIT.ECDE says its endpoint is back");
                    assertThat((String) row.get("person")).isNotBlank();
                });
    }

    @Test
    void aDisabledPersonIsRefusedWithTheTokenTheyHad() {
        RealmAdmin realm = new RealmAdmin(TestStack.get().keycloak());
        realm.ensurePerson("operator-to-disable", "to-disable-demo", Set.of("operator"));
        String token = Tokens.person("operator-to-disable", "to-disable-demo");
        OperatorSupport.Response me = get(port, "/api/v1/admin/me", token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().path("name").asText()).isEqualTo("operator-to-disable");
        assertThat(me.json().path("roles").toString()).contains("operator");

        realm.setPersonEnabled("operator-to-disable", false);
        assertThat(Tokens.personGrant("operator-to-disable", "to-disable-demo")).isEmpty();
        await().atMost(WITHIN).until(() -> get(port, "/api/v1/admin/me", token).status() == 401);
        assertThat(post(port, "/api/v1/admin/recipients/MOIT.ECDE/pause", token, "{\"reason\": \"x\"}").status())
                .isEqualTo(401);
    }

    @Test
    void theApiSearchesMessagesAndShowsRefusedInputsWithTheirBytesOnlyForAReason() {
        String auditor = auditor();
        String first = submit(port, "PROV.37", notice("PROV.37", "MOIT.ECDE"));
        String second = submit(port, "PROV.37", notice("PROV.37", "MOIT.ECDE"));
        try {
            await().atMost(WITHIN).until(() -> get(port, "/api/v1/admin/messages?sender=PROV.37&recipient=MOIT.ECDE"
                    + "&status=FAILED&limit=500", auditor).json().path("items").toString().contains(second));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not found FAILED: rows " + db.queryForList("select m.message_id::text, d.recipient,"
                    + " d.status, d.attempts from delivery d join message m on m.seq = d.message_seq"
                    + " where m.message_id::text in (?, ?)", first, second) + "; search answers "
                    + get(port, "/api/v1/admin/messages?sender=PROV.37&recipient=MOIT.ECDE&status=FAILED&limit=500",
                            auditor).body(), e);
        }
        OperatorSupport.Response page = get(port, "/api/v1/admin/messages?sender=PROV.37&recipient=MOIT.ECDE"
                + "&status=FAILED&limit=1", auditor);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("items").get(0).path("messageId").asText()).isEqualTo(second);
        assertThat(page.json().path("totalEstimate").asLong()).isPositive();
        String next = page.json().path("next").asText();
        OperatorSupport.Response after = get(port, "/api/v1/admin/messages?sender=PROV.37&recipient=MOIT.ECDE"
                + "&status=FAILED&limit=1&after=" + next, auditor);
        assertThat(after.json().path("items").get(0).path("messageId").asText()).isEqualTo(first);

        // The example notice is restricted (personal data): its body only with a reason, audited.
        OperatorSupport.Response withoutReason = get(port, "/api/v1/admin/messages/" + first + "/body", auditor);
        assertThat(withoutReason.status()).isEqualTo(403);
        assertThat(withoutReason.json().path("code").asText()).isEqualTo("REASON_REQUIRED");
        OperatorSupport.Response body = get(port, "/api/v1/admin/messages/" + first + "/body?reason=complaint%2042",
                auditor);
        assertThat(body.status()).isEqualTo(200);
        assertThat(body.json().path("messageId").asText()).isEqualTo(first);
        assertThat(db.queryForObject("select detail->>'reason' from audit where action = 'BODY_READ' and subject = ?",
                String.class, first)).isEqualTo("complaint 42");

        OperatorSupport.Response bad = get(port, "/api/v1/admin/messages?status=LOST", auditor);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("status LOST is not one of");
        assertThat(get(port, "/api/v1/admin/messages?from=yesterday", auditor).json().path("message").asText())
                .contains("from is not an RFC 3339 time");

        // A refused input: its errors for anyone at the seat, its bytes only with a reason, audited.
        byte[] broken = "{\"messageId\": \"not-a-uuid\", \"cccd\": \"001099012345\"".getBytes(
                java.nio.charset.StandardCharsets.UTF_8);
        OperatorSupport.Response refused = OperatorSupport.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/messages")).header("Content-Type", "application/json")
                .header("Authorization", Tokens.bearer("PROV.37"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(broken)));
        assertThat(refused.status()).isBetween(400, 499);
        String sha = java.util.HexFormat.of().formatHex(sha256(broken));
        JsonNode[] item = new JsonNode[1];
        await().atMost(WITHIN).until(() -> {
            for (JsonNode q : get(port, "/api/v1/admin/quarantine?sender=PROV.37&limit=500", auditor).json()
                    .path("items")) {
                if (q.path("inputSha256").asText().equals(sha)) {
                    item[0] = q;
                    return true;
                }
            }
            return false;
        });
        String id = item[0].path("quarantineId").asText();
        assertThat(item[0].path("errors").isArray()).isTrue();
        assertThat(item[0].path("bytes").asInt()).isEqualTo(broken.length);
        assertThat(get(port, "/api/v1/admin/quarantine/" + id, auditor).status()).isEqualTo(200);
        OperatorSupport.Response noReason = get(port, "/api/v1/admin/quarantine/" + id + "/original", auditor);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().path("message").asText()).contains("needs a reason");
        OperatorSupport.Response original = get(port, "/api/v1/admin/quarantine/" + id
                + "/original?reason=PROV.37%20asks%20why", auditor);
        assertThat(original.status()).isEqualTo(200);
        assertThat(original.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(broken);
        assertThat(db.queryForMap("select actor, detail->>'reason' as reason from audit where action = 'ORIGINAL_READ'"
                + " and subject = ?", id)).containsEntry("actor", "person:auditor")
                .containsEntry("reason", "PROV.37 asks why");
    }

    @Test
    void prometheusScrapesWithItsOwnClientAndSeesDeliveriesByAgencyNeverAnIdentifier() {
        String scraper = "Bearer " + TestStack.get().accessToken("lienthong-monitoring",
                "lienthong-monitoring-demo-secret");
        String id = submit(port, "PROV.37", notice("PROV.37", "MOF.CUSTOMS"));
        String delivered = "lienthong_deliveries_total{channel=\"jms\",outcome=\"delivered\",recipient=\"MOF.CUSTOMS\","
                + "sender=\"PROV.37\",type=\"violation.notice\"}";
        try {
            await().atMost(WITHIN).until(() -> get(port, "/actuator/prometheus", scraper).body().contains(delivered));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            OperatorSupport.Response r = get(port, "/actuator/prometheus", scraper);
            throw new AssertionError("no " + delivered + " in " + r.status() + ": " + r.body().lines()
                    .filter(l -> l.startsWith("lienthong_deliver")).toList() + "; rows " + db.queryForList(
                    "select d.status, d.attempts, d.last_error from delivery d join message m on m.seq = d.message_seq"
                    + " where m.message_id = ?::uuid", id), e);
        }
        String metrics = get(port, "/actuator/prometheus", scraper).body();
        assertThat(metrics.lines().filter(l -> l.startsWith("lienthong_delivery_latency_seconds_bucket{")
                && l.contains("recipient=\"MOF.CUSTOMS\""))).isNotEmpty();
        assertThat(metrics).contains("lienthong_backlog_pending{recipient=\"MOIT.ECDE\"}");
        assertThat(metrics).contains("lienthong_audit_chain_intact 1.0");
        assertThat(metrics).contains("lienthong_identity_available 1.0");
        assertThat(metrics).doesNotContain(id);
        // Label values are agency codes, types, channels, outcomes: no digit run that could be an identifier.
        // (The histogram's bucket bounds, le, are numbers by nature.)
        metrics.lines().filter(l -> l.startsWith("lienthong_")).forEach(l -> assertThat(l.replaceAll("\\} .*$", "}")
                .replaceAll(",?le=\"[^\"]*\"", "")).doesNotContainPattern("\\d{9,}"));
        // The same meters one by one (what the benchmark reads for the heap).
        OperatorSupport.Response heap = get(port, "/actuator/metrics/jvm.memory.used?tag=area:heap", scraper);
        assertThat(heap.status()).isEqualTo(200);
        assertThat(heap.body()).contains("\"statistic\":\"VALUE\"");
        // The scraper's role opens the metrics and nothing else; an agency's token not even those.
        assertThat(get(port, "/actuator/health", scraper).status()).isEqualTo(403);
        assertThat(get(port, "/api/v1/admin/messages", scraper).status()).isEqualTo(403);
        assertThat(get(port, "/actuator/prometheus", auditor()).status()).isEqualTo(200);
    }

    @Test
    void hawtioIsTheOperatorsRouteConsoleBehindTheSameLogin() {
        // A browser goes through Keycloak to Hawtio as an operator.
        BrowserLogin operator = new BrowserLogin();
        URI hawtio = URI.create("http://127.0.0.1:" + port + "/actuator/hawtio/");
        HttpResponse<String> login = operator.open(hawtio);
        assertThat(login.uri().toString()).startsWith(Tokens.issuer());
        HttpResponse<String> console = operator.logIn(login, OperatorSupport.OPERATOR, "operator-demo");
        assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
        assertThat(console.uri().getPath()).startsWith("/actuator/hawtio");
        assertThat(console.body().toLowerCase(java.util.Locale.ROOT)).contains("hawtio");

        // An auditor reads, but the route console (start, stop, suspend) is an operator's.
        BrowserLogin auditor = new BrowserLogin();
        HttpResponse<String> refused = auditor.logIn(auditor.open(hawtio), OperatorSupport.AUDITOR, "auditor-demo");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(get(port, "/actuator/jolokia/version", auditor()).status()).isEqualTo(403);
        assertThat(get(port, "/actuator/jolokia/version", null).status()).isEqualTo(401);

        // Hawtio's Camel plugin reads the routes over Jolokia: the named routes are there.
        OperatorSupport.Response routes = post(port, "/actuator/jolokia", operator(),
                "{\"type\": \"search\", \"mbean\": \"org.apache.camel:type=routes,*\"}");
        assertThat(routes.status()).as(routes.body()).isEqualTo(200);
        assertThat(routes.body()).contains("api-submit").contains("api-inbox");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message's only delivery, once it has this status after this many attempts (as the auditor sees it). */
    private JsonNode awaitDelivery(String messageId, String status, int attempts) {
        String auditor = auditor();
        JsonNode[] found = new JsonNode[1];
        await().atMost(WITHIN).until(() -> {
            OperatorSupport.Response r = get(port, "/api/v1/admin/messages/" + messageId, auditor);
            if (r.status() != 200) {
                return false;
            }
            JsonNode d = r.json().path("deliveries").path(0);
            found[0] = d;
            return status.equals(d.path("status").asText()) && d.path("attempts").asInt() == attempts;
        });
        return found[0];
    }
}

package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.json;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.identity.TokenVerifier;
import vn.lienthong.gateway.ingress.IngressPipeline;
import vn.lienthong.gateway.ingress.JmsIngressRoutes;
import vn.lienthong.gateway.channels.LogAppendTimeStamper;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.testsupport.RealmAdmin;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * Every channel authenticated against the real Keycloak of the test stack: good and bad tokens on
 * REST, JMS and Kafka, one agency's token on another's channel, a missing role, a client disabled
 * while its token is still valid, a rotated secret, SFTP logins, and expiry: an expired token
 * refused, a JMS/Kafka backlog the broker accepted while its token was valid accepted, broker
 * times a producer tries to set not believed.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IdentityFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** A disabled agency is refused within the directory's refresh (2s here); the bound is 60s. */
    private static final Duration REVOCATION = Duration.ofSeconds(60);
    /** The access-token lifespan of the expiry fixture's client. */
    private static final Duration EXPIRY_LIFESPAN = Duration.ofSeconds(5);
    /** The registry of this test: the demo agencies and the fixture agencies below. */
    private static final String REGISTRY = "src/test/resources/identity/agencies.yaml";
    private static final Registry FIXTURES = Registry.load(Path.of(REGISTRY));
    private static RealmAdmin admin;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        // The fixture clients exist before the gateway starts, as provisioned agencies do.
        admin = new RealmAdmin(TestStack.get().keycloak());
        admin.ensureAgencyClient(FIXTURES.agency("TEST.REVOKE").orElseThrow(), List.of("notice:send"));
        admin.ensureAgencyClient(FIXTURES.agency("TEST.ROTATE").orElseThrow(), List.of("notice:send"));
        admin.ensureAgencyClient(FIXTURES.agency("TEST.NOROLE").orElseThrow(), List.of());
        admin.ensureAgencyClient(FIXTURES.agency("TEST.EXPIRY").orElseThrow(), List.of("notice:send"));
        admin.setAccessTokenLifespan("test-expiry", EXPIRY_LIFESPAN);
        TestStack.get().ensureSftpAgency("test-revoke", "TEST.REVOKE", "test-revoke");
        TestStack.get().ensureSftpAgency("test-rotate", "TEST.ROTATE", "test-rotate");
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", () -> REGISTRY);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    /** Bodies are sealed at rest: read through the gateway's cipher. */
    @Autowired
    BodyCipher cipher;

    @Autowired
    CamelContext camel;

    // ---------------------------------------------------------------- REST

    @Test
    void aRealTokenIsAcceptedOnRest() {
        ObjectNode notice = notice("MOIT.DMS", "PROV.37");
        FlowSupport.Response r = FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().at("/payload/status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void badTokensGet401WithTheReasonAndNeverTheTokenBack() throws Exception {
        String real = Tokens.accessToken("moit-dms");
        record Case(String name, String authorization, String reason) {
        }
        List<Case> cases = List.of(
                new Case("no token", null, "no bearer token"),
                new Case("not a bearer token", "Basic " + Base64.getEncoder().encodeToString("moit-dms:x".getBytes()),
                        "not a bearer token"),
                new Case("garbage", "Bearer not.a.jwt", "not a well-formed JWT"),
                new Case("forged signature, the realm's kid", "Bearer " + forged(real),
                        "signature does not verify with the realm's keys"),
                new Case("alg none", "Bearer " + algNone(real), "algorithm none is not allowed"),
                new Case("another realm (issuer and keys)", "Bearer " + admin.masterRealmToken(), "which the realm does not publish"),
                new Case("a token not for the gateway", "Bearer " + TestStack.get().accessToken("lienthong-gateway",
                        "lienthong-gateway-demo-secret"), "audience does not include lienthong-gateway"));
        for (Case c : cases) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(notice("MOIT.DMS", "PROV.37"))));
            if (c.authorization() != null) {
                request.header("Authorization", c.authorization());
            }
            HttpResponse<String> r = FlowSupport.exchange(request);
            assertThat(r.statusCode()).as(c.name()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(c.name()).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer error=\"invalid_token\", error_description=\"").contains(c.reason()));
            assertThat(json(r.body()).at("/code").asText()).as(c.name()).isEqualTo("NOT_AUTHENTICATED");
            assertThat(json(r.body()).at("/message").asText()).as(c.name()).contains(c.reason());
            if (c.authorization() != null) {
                String token = c.authorization().substring(c.authorization().indexOf(' ') + 1);
                assertThat(r.body()).as(c.name()).doesNotContain(token);
                assertThat(r.headers().map().toString()).as(c.name()).doesNotContain(token);
            }
        }
        // The other endpoints too.
        assertThat(FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/inbox"))
                .GET()).statusCode()).isEqualTo(401);
        assertThat(FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/messages/" + java.util.UUID.randomUUID())).header("Authorization", "Bearer " + forged(real))
                .GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void anotherAgencysTokenForTheEnvelopesSenderIsASenderMismatch() {
        ObjectNode notice = notice("MOIT.DMS", "PROV.37");
        FlowSupport.Response r = FlowSupport.post(port, "/api/v1/messages", "PROV.37", bytes(notice));
        assertThat(r.status()).isEqualTo(422);
        assertThat(codes(r.json())).containsExactly("SENDER_MISMATCH");
        assertQuarantined(bytes(notice), "SENDER_MISMATCH");
    }

    @Test
    void aTokenWithoutTheCapabilityRoleIsNotAuthorizedThoughTheRegistryAllowsIt() {
        ObjectNode notice = notice("TEST.NOROLE", "PROV.37");
        FlowSupport.Response r = FlowSupport.postAuthorized(port, "/api/v1/messages",
                "Bearer " + Tokens.accessToken("test-norole"), bytes(notice));
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(codes(r.json())).containsExactly("NOT_AUTHORIZED");
        assertThat(r.json().at("/payload/errors/0/message").asText()).contains("lacks the role notice:send");
        assertQuarantined(bytes(notice), "NOT_AUTHORIZED");
        assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class,
                notice.get("messageId").asText())).isZero();
    }

    // ---------------------------------------------------------------- JMS and Kafka

    @Test
    void jmsAndKafkaInputsWithoutAGoodTokenAreRefusedQuarantinedAndReceipted() throws Exception {
        ObjectNode noToken = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSendAuthorized("flow.MOIT.DMS.in", null, bytes(noToken));
        assertRefusedOnJms("flow.MOIT.DMS.out", noToken, "NOT_AUTHENTICATED");

        ObjectNode forged = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSendAuthorized("flow.MOIT.DMS.in", "Bearer " + forged(Tokens.accessToken("moit-dms")), bytes(forged));
        assertRefusedOnJms("flow.MOIT.DMS.out", forged, "NOT_AUTHENTICATED");

        ObjectNode noKafkaToken = notice("MOIT.DMS", "PROV.37");
        FlowSupport.kafkaSendAuthorized("flow.MOIT.DMS.topic.in", null, bytes(noKafkaToken));
        assertRefusedOnKafka("flow.MOIT.DMS.topic.out", noKafkaToken, "NOT_AUTHENTICATED");

        ObjectNode algNone = notice("MOIT.DMS", "PROV.37");
        FlowSupport.kafkaSendAuthorized("flow.MOIT.DMS.topic.in", "Bearer " + algNone(Tokens.accessToken("moit-dms")),
                bytes(algNone));
        assertRefusedOnKafka("flow.MOIT.DMS.topic.out", algNone, "NOT_AUTHENTICATED");
    }

    @Test
    void oneAgencysTokenOnAnothersQueueOrTopicIsASenderMismatch() throws Exception {
        ObjectNode onJms = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "PROV.37", bytes(onJms));
        assertRefusedOnJms("flow.MOIT.DMS.out", onJms, "SENDER_MISMATCH");

        ObjectNode onKafka = notice("MOIT.DMS", "PROV.37");
        FlowSupport.kafkaSend("flow.MOIT.DMS.topic.in", "MOF.CUSTOMS", bytes(onKafka));
        assertRefusedOnKafka("flow.MOIT.DMS.topic.out", onKafka, "SENDER_MISMATCH");
    }

    // ---------------------------------------------------------------- revocation

    @Test
    void aDisabledAgencyIsRefusedOnEveryChannelEvenWithATokenIssuedBefore() throws Exception {
        String secret = "test-revoke" + Tokens.DEMO_SECRET_SUFFIX;
        String before = "Bearer " + Tokens.fresh("test-revoke", secret).orElseThrow().accessToken();
        ObjectNode first = notice("TEST.REVOKE", "PROV.37");
        await().atMost(WITHIN).until(() -> FlowSupport.postAuthorized(port, "/api/v1/messages", before, bytes(first))
                .status() == 202);

        admin.setEnabled("test-revoke", false);
        try {
            // REST: the token still verifies offline, the gateway refuses it once it has asked Keycloak.
            await().atMost(REVOCATION).until(() -> FlowSupport.postAuthorized(port, "/api/v1/messages", before,
                    bytes(notice("TEST.REVOKE", "PROV.37"))).status() == 401);
            ObjectNode overRest = notice("TEST.REVOKE", "PROV.37");
            FlowSupport.Response rest = FlowSupport.postAuthorized(port, "/api/v1/messages", before, bytes(overRest));
            assertThat(rest.json().at("/message").asText()).isEqualTo("TEST.REVOKE is disabled in Keycloak (client test-revoke)");

            ObjectNode overJms = notice("TEST.REVOKE", "PROV.37");
            FlowSupport.jmsSendAuthorized("identity.TEST.REVOKE.in", before, bytes(overJms));
            assertRefusedOnJms("identity.TEST.REVOKE.out", overJms, "NOT_AUTHENTICATED");

            ObjectNode overKafka = notice("TEST.REVOKE", "PROV.37");
            FlowSupport.kafkaSendAuthorized("identity.TEST.REVOKE.topic.in", before, bytes(overKafka));
            assertRefusedOnKafka("identity.TEST.REVOKE.topic.out", overKafka, "NOT_AUTHENTICATED");

            // SFTP: no login, and a file already in its inbox is refused.
            assertThatThrownBy(() -> TestStack.get().sftp("test-revoke", secret)).isInstanceOf(UncheckedIOException.class);
            ObjectNode dropped = notice("TEST.REVOKE", "PROV.37");
            String name = "dropped-" + dropped.get("messageId").asText() + ".json";
            try (TestStack.Sftp gateway = TestStack.get().sftp(TestStack.GATEWAY_USER)) {
                var done = FlowSupport.filesDone(camel, "ingress-sftp-TEST.REVOKE", name);
                gateway.upload("test-revoke/inbox/" + name, bytes(dropped));
                assertThat(FlowSupport.done(done, WITHIN)).as("the SFTP route is done with " + name).isTrue();
                assertThat(gateway.list("test-revoke/error")).contains(name, name + ".receipt.json");
                JsonNode receipt = json(gateway.read("test-revoke/error/" + name + ".receipt.json"));
                assertThat(codes(receipt)).containsExactly("NOT_AUTHENTICATED");
            }
            assertQuarantined(bytes(dropped), "NOT_AUTHENTICATED");

            assertThat(Tokens.fresh("test-revoke", secret)).as("a disabled client gets no new token").isEmpty();
        } finally {
            admin.setEnabled("test-revoke", true);
        }
    }

    @Test
    void aRotatedSecretNoLongerLogsInOrGetsATokenAndTheNewOneDoes() {
        String old = "test-rotate" + Tokens.DEMO_SECRET_SUFFIX;
        try (TestStack.Sftp sftp = TestStack.get().sftp("test-rotate", old)) {
            assertThat(sftp.list("/")).contains("inbox", "outbox");
        }
        String fresh = admin.rotateSecret("test-rotate");

        assertThat(Tokens.fresh("test-rotate", old)).isEmpty();
        assertThatThrownBy(() -> TestStack.get().sftp("test-rotate", old)).isInstanceOf(UncheckedIOException.class);
        assertThat(Tokens.fresh("test-rotate", fresh)).isPresent();
        ObjectNode notice = notice("TEST.ROTATE", "PROV.37");
        String name = "notice-" + notice.get("messageId").asText() + ".json";
        try (TestStack.Sftp sftp = TestStack.get().sftp("test-rotate", fresh)) {
            var done = FlowSupport.filesDone(camel, "ingress-sftp-TEST.ROTATE", name);
            sftp.upload("inbox/" + name, bytes(notice));
            assertThat(FlowSupport.done(done, WITHIN)).as("the SFTP route is done with " + name).isTrue();
            assertThat(sftp.list("done")).contains(name, name + ".receipt.json");
            assertThat(json(sftp.read("done/" + name + ".receipt.json")).at("/payload/status").asText()).isEqualTo("ACCEPTED");
        }
    }

    // ---------------------------------------------------------------- expiry and broker backlogs

    @Test
    void anExpiredTokenIsRefusedButABacklogTheBrokerAcceptedWhileItsTokenWasValidIsAccepted() throws Exception {
        String secret = "test-expiry" + Tokens.DEMO_SECRET_SUFFIX;
        String jmsRoute = "ingress-jms-TEST.EXPIRY";
        String kafkaRoute = "ingress-kafka-TEST.EXPIRY";
        TokenEndpoint.Grant grant = Tokens.fresh("test-expiry", secret).orElseThrow();
        JWTClaimsSet claims = SignedJWT.parse(grant.accessToken()).getJWTClaimsSet();
        Instant expiry = claims.getExpirationTime().toInstant();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), expiry)).as("the fixture client's lifespan")
                .isEqualTo(EXPIRY_LIFESPAN);
        String bearer = "Bearer " + grant.accessToken();

        // The gateway is "down" for this agency: its queue and topic fill while the token is valid.
        camel.getRouteController().stopRoute(jmsRoute);
        camel.getRouteController().stopRoute(kafkaRoute);
        try {
            ObjectNode backlogJms = notice("TEST.EXPIRY", "PROV.37");
            FlowSupport.jmsSendAuthorized("identity.TEST.EXPIRY.in", bearer, bytes(backlogJms));
            ObjectNode backlogKafka = notice("TEST.EXPIRY", "PROV.37");
            FlowSupport.kafkaSendAuthorized("identity.TEST.EXPIRY.topic.in", bearer, bytes(backlogKafka));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Instant.now().isAfter(expiry.plus(TokenVerifier.SKEW).plusSeconds(1)));

            // REST is synchronous: the token is expired now.
            FlowSupport.Response rest = FlowSupport.postAuthorized(port, "/api/v1/messages", bearer,
                    bytes(notice("TEST.EXPIRY", "PROV.37")));
            assertThat(rest.status()).as(rest.body()).isEqualTo(401);
            assertThat(rest.json().at("/message").asText()).isEqualTo("token expired at " + expiry);
            assertThat(rest.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .contains("token expired at " + expiry));

            // Sent now with the expired token: the broker accepts it after the expiry.
            ObjectNode lateJms = notice("TEST.EXPIRY", "PROV.37");
            FlowSupport.jmsSendAuthorized("identity.TEST.EXPIRY.in", bearer, bytes(lateJms));
            ObjectNode lateKafka = notice("TEST.EXPIRY", "PROV.37");
            FlowSupport.kafkaSendAuthorized("identity.TEST.EXPIRY.topic.in", bearer, bytes(lateKafka));
            // A producer claiming the broker took its message while the token was valid is not believed.
            long whileValid = expiry.minusSeconds(2).toEpochMilli();
            ObjectNode forgedJms = notice("TEST.EXPIRY", "PROV.37");
            FlowSupport.jmsSendAuthorized("identity.TEST.EXPIRY.in", bearer, bytes(forgedJms),
                    Map.of(JmsIngressRoutes.INGRESS_TIMESTAMP, whileValid));
            ObjectNode forgedKafka = notice("TEST.EXPIRY", "PROV.37");
            FlowSupport.kafkaSendAuthorized("identity.TEST.EXPIRY.topic.in", bearer, bytes(forgedKafka), whileValid,
                    Map.of(LogAppendTimeStamper.HEADER, Long.toString(whileValid)));

            camel.getRouteController().startRoute(jmsRoute);
            camel.getRouteController().startRoute(kafkaRoute);

            // One receive for the three: receiving drops receipts about other messages.
            Map<String, List<String>> jmsReceipts = FlowSupport.jmsReceiveAbout("identity.TEST.EXPIRY.out",
                    Set.of(id(backlogJms), id(lateJms), id(forgedJms)), WITHIN);
            assertThat(jmsReceipts.get(id(backlogJms))).hasSize(1);
            assertThat(FlowSupport.verifiedReceipt(port, jmsReceipts.get(id(backlogJms)).get(0)).at("/payload/status")
                    .asText()).as("accepted by the broker while its token was valid").isEqualTo("ACCEPTED");
            assertAcceptedOnKafka("identity.TEST.EXPIRY.topic.out", backlogKafka);
            String reason = "token expired at " + expiry + " (checked as of ";
            assertRefused(jmsReceipts.get(id(lateJms)), lateJms, "NOT_AUTHENTICATED", reason);
            assertRefused(jmsReceipts.get(id(forgedJms)), forgedJms, "NOT_AUTHENTICATED", reason);
            assertRefusedOnKafka("identity.TEST.EXPIRY.topic.out", lateKafka, "NOT_AUTHENTICATED", reason);
            assertRefusedOnKafka("identity.TEST.EXPIRY.topic.out", forgedKafka, "NOT_AUTHENTICATED", reason);
        } finally {
            startIfStopped(jmsRoute);
            startIfStopped(kafkaRoute);
        }
    }

    @Test
    void aProducerCannotSetTheBrokerTimeToEscapeTheMaximumQueueAge() throws Exception {
        // Eight days ago is beyond the 7-day bound: were it believed, a good token would be refused.
        long eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).toEpochMilli();
        ObjectNode onJms = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSendAuthorized("flow.MOIT.DMS.in", Tokens.bearer("MOIT.DMS"), bytes(onJms),
                Map.of(JmsIngressRoutes.INGRESS_TIMESTAMP, eightDaysAgo));
        assertAcceptedOnJms("flow.MOIT.DMS.out", onJms);

        ObjectNode onKafka = notice("MOIT.DMS", "PROV.37");
        FlowSupport.kafkaSendAuthorized("flow.MOIT.DMS.topic.in", Tokens.bearer("MOIT.DMS"), bytes(onKafka), eightDaysAgo,
                Map.of(LogAppendTimeStamper.HEADER, Long.toString(eightDaysAgo)));
        assertAcceptedOnKafka("flow.MOIT.DMS.topic.out", onKafka);
    }

    // ---------------------------------------------------------------- SFTP

    @Test
    void sftpRefusesAWrongPasswordAndKeepsAnAgencyInItsFolder() {
        assertThatThrownBy(() -> TestStack.get().sftp("prov-37", "wrong")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> TestStack.get().sftp("prov-37", TestStack.demoSecret("mof-tax")))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> TestStack.get().sftp("no-such-client", "no-such-client-demo-secret"))
                .isInstanceOf(UncheckedIOException.class);
        try (TestStack.Sftp province = TestStack.get().sftp("prov-37", TestStack.demoSecret("prov-37"))) {
            assertThat(province.list("/")).containsExactlyInAnyOrder("inbox", "outbox", "done", "error");
            assertThatThrownBy(() -> province.list("../mof-tax/inbox")).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> province.upload("../mof-tax/inbox/escape.json", "{}"))
                    .isInstanceOf(UncheckedIOException.class);
        }
        assertThat(TestStack.get().stack().sftpRoot().resolve("mof-tax/inbox/escape.json")).doesNotExist();
    }

    @Test
    void operatorsSeeWhenKeycloakLastAnsweredInTheHealth() {
        // The full health is for people (auditors, operators); the probes below stay open.
        HttpResponse<String> health = FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health")).header("Authorization", Tokens.person("auditor", "auditor-demo")).GET());
        JsonNode identity = json(health.body()).at("/components/identity");
        assertThat(identity.at("/status").asText()).isEqualTo("UP");
        assertThat(identity.at("/details/keycloakAnsweredAt").asText()).isNotEmpty();
        assertThat(identity.at("/details/answerStandsFor").asText()).isEqualTo("PT58S");
        // Identity counts for readiness only (IdentityHealthTest: Keycloak silent).
        HttpResponse<String> readiness = FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/actuator/health/readiness")).GET());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(json(readiness.body()).at("/components/identity/status").asText()).isEqualTo("UP");
        HttpResponse<String> liveness = FlowSupport.exchange(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + "/actuator/health/liveness")).GET());
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(json(liveness.body()).at("/components/identity").isMissingNode()).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private void assertRefusedOnJms(String outbound, ObjectNode sent, String code) throws Exception {
        assertRefusedOnJms(outbound, sent, code, "");
    }

    private void assertRefusedOnJms(String outbound, ObjectNode sent, String code, String reason) throws Exception {
        assertRefused(FlowSupport.jmsReceiveAbout(outbound, sent.get("messageId").asText(), WITHIN), sent, code, reason);
    }

    private void assertRefused(List<String> receipts, ObjectNode sent, String code, String reason) {
        assertThat(receipts).as("receipts about " + id(sent)).isNotNull().hasSize(1);
        JsonNode receipt = FlowSupport.verifiedReceipt(port, receipts.get(0));
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(codes(receipt)).containsExactly(code);
        assertThat(receipt.at("/payload/errors/0/message").asText()).contains(reason);
        assertQuarantined(bytes(sent), code);
    }

    private void assertRefusedOnKafka(String outbound, ObjectNode sent, String code) {
        assertRefusedOnKafka(outbound, sent, code, "");
    }

    private void assertRefusedOnKafka(String outbound, ObjectNode sent, String code, String reason) {
        var records = FlowSupport.kafkaRecordsAbout(outbound, sent.get("messageId").asText(), WITHIN);
        assertThat(records).hasSize(1);
        JsonNode receipt = FlowSupport.verifiedReceipt(port, new String(records.get(0).value(), StandardCharsets.UTF_8));
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(codes(receipt)).containsExactly(code);
        assertThat(receipt.at("/payload/errors/0/message").asText()).contains(reason);
        assertThat(records.get(0).headers().lastHeader("Authorization")).as("the token does not travel on").isNull();
        assertQuarantined(bytes(sent), code);
    }

    private void assertAcceptedOnJms(String outbound, ObjectNode sent) throws Exception {
        List<String> receipts = FlowSupport.jmsReceiveAbout(outbound, sent.get("messageId").asText(), WITHIN);
        assertThat(receipts).hasSize(1);
        JsonNode receipt = FlowSupport.verifiedReceipt(port, receipts.get(0));
        assertThat(receipt.at("/payload/status").asText()).as(receipt.toString()).isEqualTo("ACCEPTED");
    }

    private void assertAcceptedOnKafka(String outbound, ObjectNode sent) {
        var records = FlowSupport.kafkaRecordsAbout(outbound, sent.get("messageId").asText(), WITHIN);
        assertThat(records).hasSize(1);
        JsonNode receipt = FlowSupport.verifiedReceipt(port, new String(records.get(0).value(), StandardCharsets.UTF_8));
        assertThat(receipt.at("/payload/status").asText()).as(receipt.toString()).isEqualTo("ACCEPTED");
    }

    private static String id(ObjectNode message) {
        return message.get("messageId").asText();
    }

    private void startIfStopped(String routeId) throws Exception {
        if (camel.getRouteController().getRouteStatus(routeId) != ServiceStatus.Started) {
            camel.getRouteController().startRoute(routeId);
        }
    }

    /** The original bytes are in quarantine with the code, and nothing was recorded for delivery. */
    private void assertQuarantined(byte[] original, String code) {
        String sha = IngressPipeline.sha256(original);
        await().atMost(WITHIN).until(() -> db.queryForObject("select count(*) from quarantine where input_sha256 = ?",
                Integer.class, sha) == 1);
        assertThat(cipher.open(db.queryForObject("select original from quarantine where input_sha256 = ?", byte[].class, sha)))
                .isEqualTo(original);
        assertThat(db.queryForObject("select errors::text from quarantine where input_sha256 = ?", String.class, sha))
                .contains(code);
    }

    private static List<String> codes(JsonNode receipt) {
        List<String> codes = new ArrayList<>();
        receipt.at("/payload/errors").forEach(e -> codes.add(e.at("/code").asText()));
        return codes;
    }

    /** A real token's header and claims, signed with a key of our own under the realm's kid. */
    private static String forged(String real) throws Exception {
        SignedJWT token = SignedJWT.parse(real);
        RSAKey ours = new RSAKeyGenerator(2048).keyID(token.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ours.getKeyID()).build(),
                token.getJWTClaimsSet());
        forged.sign(new RSASSASigner(ours));
        return forged.serialize();
    }

    /** A real token's claims with {@code alg: none} and no signature. */
    private static String algNone(String real) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + real.split("\\.")[1] + ".";
    }
}

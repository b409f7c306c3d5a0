package vn.lienthong.gateway.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.admin.OperatorSupport;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Abandoning a FAILED delivery tells its sender, on the sender's own channel, with a
 * {@code delivery.abandoned} notice the gateway signs (typ {@code lienthong-notice+jws}, the key of
 * {@code GET /api/v1/keys}) over the bytes delivered: five senders, one per channel — REST inbox
 * (PROV.37), JMS (MOF.CUSTOMS), Kafka (MOIT.DMS), SFTP (MOF.TAX), REST push (PROV.79, to a server of
 * this test) — each send MOIT.ECDE (whose push URL never answers) a notice that FAILS after one
 * attempt; an operator abandons each with a reason; each sender gets its notice, verifiable.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AbandonNoticeTest {

    /** When this class began: older inbox items are other tests' deliveries. */
    private static final java.time.Instant STARTED = java.time.Instant.now();

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String REASON = "MOIT.ECDE took the case file by hand; no resend";
    private static final String JMS_OUT = "seat.MOF.CUSTOMS.out";
    private static final String KAFKA_OUT = "seat.MOIT.DMS.out";
    private static final Map<String, byte[]> PUSHED = new ConcurrentHashMap<>();
    private static final Map<String, String> PUSHED_SIGNATURES = new ConcurrentHashMap<>();
    private static HttpServer pushRecipient;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) throws IOException {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        // One failed attempt makes a delivery FAILED: MOIT.ECDE's push URL never answers.
        registry.add("lienthong.dispatch.max-attempts", () -> "1");
        TestStack.get().stack().createTopics("seat.MOIT.DMS.in", KAFKA_OUT);
        pushRecipient = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pushRecipient.createContext("/in", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("LienthongMessageId");
            PUSHED.put(id, body);
            PUSHED_SIGNATURES.put(id, exchange.getRequestHeaders().getFirst("Lienthong-Signature"));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        pushRecipient.start();
        Path file = Path.of("target", "abandon-notice-agencies.yaml").toAbsolutePath();
        Files.writeString(file, registry(pushRecipient.getAddress().getPort()));
        registry.add("lienthong.registry", file::toString);
    }

    private static String registry(int pushPort) {
        String canonical = "format: canonical-json";
        return """
                formats:
                  - name: canonical-json
                    mediaType: application/json
                    description: lienthong canonical envelope (schemas v1)

                agencies:
                  - code: PROV.37
                    name: {vi: Tỉnh Ninh Bình, en: Ninh Bình Province}
                    keycloakClient: prov-37
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: rest, %1$s, delivery: pull}
                  - code: MOIT.ECDE
                    name: {vi: Cục Thương mại điện tử và Kinh tế số, en: E-commerce and Digital Economy Agency}
                    keycloakClient: moit-ecde
                    sends: [info.request]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: rest, %1$s, delivery: push, url: "http://127.0.0.1:9/lienthong/in"}
                  - code: MOF.CUSTOMS
                    name: {vi: Cục Hải quan, en: Customs}
                    keycloakClient: mof-customs
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: jms, %1$s, inbound: seat.MOF.CUSTOMS.in, outbound: seat.MOF.CUSTOMS.out}
                      - {kind: rest, %1$s, delivery: pull}
                  - code: MOIT.DMS
                    name: {vi: Cục Quản lý và Phát triển thị trường trong nước, en: Domestic Market Surveillance}
                    keycloakClient: moit-dms
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: kafka, %1$s, inbound: seat.MOIT.DMS.in, outbound: seat.MOIT.DMS.out}
                      - {kind: rest, %1$s, delivery: pull}
                  - code: MOF.TAX
                    name: {vi: Cục Thuế, en: Tax Department}
                    keycloakClient: mof-tax
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: sftp, %1$s, folder: mof-tax}
                      - {kind: rest, %1$s, delivery: pull}
                  - code: PROV.79
                    name: {vi: Thành phố Hồ Chí Minh, en: Ho Chi Minh City}
                    keycloakClient: prov-79
                    sends: [violation.notice]
                    receives: [violation.notice, receipt]
                    channels:
                      - {kind: rest, %1$s, delivery: push, url: "http://127.0.0.1:%2$d/in"}
                """.formatted(canonical, pushPort);
    }

    @AfterAll
    static void stopPushRecipient() {
        if (pushRecipient != null) {
            pushRecipient.stop(0);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void everySenderGetsASignedNoticeOnItsOwnChannel() throws Exception {
        Map<String, String> sent = new LinkedHashMap<>();
        for (String sender : List.of("PROV.37", "MOF.CUSTOMS", "MOIT.DMS", "MOF.TAX", "PROV.79")) {
            ObjectNode notice = OperatorSupport.notice(sender, "MOIT.ECDE");
            sent.put(sender, OperatorSupport.submit(port, sender, notice));
        }
        Map<String, UUID> deliveries = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sent.entrySet()) {
            await().atMost(WITHIN).until(() -> "FAILED".equals(status(e.getValue())));
            deliveries.put(e.getKey(), db.queryForObject("select d.id from delivery d join message m on m.seq ="
                    + " d.message_seq where m.message_id = ?::uuid and d.recipient = 'MOIT.ECDE'", UUID.class,
                    e.getValue()));
        }
        for (UUID delivery : deliveries.values()) {
            OperatorSupport.Response r = OperatorSupport.post(port, "/api/v1/admin/deliveries/" + delivery + "/abandon",
                    OperatorSupport.operator(), CanonicalJson.mapper().createObjectNode().put("reason", REASON)
                            .toString());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        JWKSet keys = JWKSet.parse(OperatorSupport.get(port, "/api/v1/keys", null).body());

        // The audit names the notice of each abandon; the journal holds it, from GATEWAY to the sender.
        Map<String, String> notices = new LinkedHashMap<>();
        for (Map.Entry<String, UUID> e : deliveries.entrySet()) {
            String noticeId = db.queryForObject("select detail->>'noticeMessageId' from audit where action = 'ABANDONED'"
                    + " and subject = ?", String.class, e.getValue().toString());
            assertThat(noticeId).as(e.getKey()).isNotNull();
            notices.put(e.getKey(), noticeId);
            assertThat(db.queryForObject("select sender || ' ' || type || ' ' || recipients[1] || ' ' || in_reply_to"
                    + " from message where message_id = ?::uuid", String.class, noticeId))
                    .isEqualTo("GATEWAY delivery.abandoned " + e.getKey() + " " + sent.get(e.getKey()));
        }

        // REST inbox: the item's signature is the compact JWS of the notice.
        JsonNode inbox = await().atMost(WITHIN).until(() -> OperatorSupport.inboxHolding(port, "PROV.37", STARTED,
                item -> item.path("messageId").asText().equals(notices.get("PROV.37"))), java.util.Objects::nonNull);
        for (JsonNode item : inbox.path("items")) {
            if (item.path("messageId").asText().equals(notices.get("PROV.37"))) {
                byte[] payload = verify(keys, item.path("signature").asText(), null);
                assertNotice(payload, sent.get("PROV.37"), deliveries.get("PROV.37"));
                assertThat(json(payload)).isEqualTo(item.path("message"));
            }
        }

        // JMS: the body, and the detached JWS in a property.
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(JMS_OUT));
            TextMessage found = null;
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (found == null && System.nanoTime() < deadline) {
                Message m = consumer.receive(1_000);
                if (m instanceof TextMessage text && notices.get("MOF.CUSTOMS").equals(
                        text.getStringProperty("LienthongMessageId"))) {
                    found = text;
                }
            }
            assertThat(found).as("the notice on " + JMS_OUT).isNotNull();
            byte[] body = found.getText().getBytes(StandardCharsets.UTF_8);
            verify(keys, found.getStringProperty("LienthongSignature"), body);
            assertNotice(body, sent.get("MOF.CUSTOMS"), deliveries.get("MOF.CUSTOMS"));
        }

        // Kafka: the record's value, and the detached JWS in a header.
        ConsumerRecord<byte[], byte[]> record = kafkaRecord(notices.get("MOIT.DMS"));
        Header signature = record.headers().lastHeader("LienthongSignature");
        assertThat(signature).isNotNull();
        verify(keys, new String(signature.value(), StandardCharsets.US_ASCII), record.value());
        assertNotice(record.value(), sent.get("MOIT.DMS"), deliveries.get("MOIT.DMS"));

        // SFTP: the notice's file in the outbox, and its .jws sidecar.
        try (TestStack.Sftp sftp = TestStack.get().sftp("mof-tax")) {
            String name = await().atMost(WITHIN).until(() -> sftp.list("outbox").stream()
                    .filter(f -> f.contains(notices.get("MOF.TAX")) && !f.endsWith(".jws")).findFirst().orElse(null),
                    n -> n != null);
            byte[] body = sftp.read("outbox/" + name);
            String sidecar = new String(sftp.read("outbox/" + name + ".jws"), StandardCharsets.US_ASCII).trim();
            verify(keys, sidecar, body);
            assertNotice(body, sent.get("MOF.TAX"), deliveries.get("MOF.TAX"));
        }

        // REST push: the compact JWS in Lienthong-Signature, its payload the body.
        await().atMost(WITHIN).until(() -> PUSHED.containsKey(notices.get("PROV.79")));
        byte[] pushed = PUSHED.get(notices.get("PROV.79"));
        assertThat(verify(keys, PUSHED_SIGNATURES.get(notices.get("PROV.79")), null)).isEqualTo(pushed);
        assertNotice(pushed, sent.get("PROV.79"), deliveries.get("PROV.79"));
    }

    /** Verifies a notice's JWS with the published keys: typ, signature; returns the payload. */
    private static byte[] verify(JWKSet keys, String jws, byte[] detachedPayload) throws Exception {
        assertThat(jws).as("a signature").isNotBlank();
        JWSObject object = detachedPayload == null ? JWSObject.parse(jws) : JWSObject.parse(jws, new Payload(detachedPayload));
        assertThat(object.getHeader().getType().getType()).isEqualTo("lienthong-notice+jws");
        ECKey key = (ECKey) keys.getKeyByKeyId(object.getHeader().getKeyID());
        assertThat(key).as("a published key").isNotNull();
        assertThat(object.verify(new ECDSAVerifier(key))).as("the gateway's signature verifies").isTrue();
        return object.getPayload().toBytes();
    }

    private static void assertNotice(byte[] bytes, String inReplyTo, UUID delivery) {
        JsonNode notice = json(bytes);
        assertThat(notice.path("type").asText()).isEqualTo("delivery.abandoned");
        assertThat(notice.path("sender").asText()).isEqualTo("GATEWAY");
        assertThat(notice.path("inReplyTo").asText()).isEqualTo(inReplyTo);
        assertThat(notice.at("/payload/deliveryId").asText()).isEqualTo(delivery.toString());
        assertThat(notice.at("/payload/recipient").asText()).isEqualTo("MOIT.ECDE");
        assertThat(notice.at("/payload/reason").asText()).isEqualTo(REASON);
    }

    private ConsumerRecord<byte[], byte[]> kafkaRecord(String messageId) {
        try (KafkaConsumer<byte[], byte[]> consumer = TestStack.get().kafkaConsumer("abandon-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(KAFKA_OUT));
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader("LienthongMessageId");
                    if (h != null && new String(h.value(), StandardCharsets.UTF_8).equals(messageId)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record of " + messageId + " on " + KAFKA_OUT);
    }

    private String status(String messageId) {
        return db.queryForObject("select d.status from delivery d join message m on m.seq = d.message_seq"
                + " where m.message_id = ?::uuid and d.recipient = 'MOIT.ECDE'", String.class, messageId);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return CanonicalJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }
}

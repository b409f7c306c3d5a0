package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.dispatch.RetryPolicies;
import vn.lienthong.gateway.dispatch.RetryPolicy;
import vn.lienthong.gateway.identity.provisioning.KeycloakProvisioner;
import vn.lienthong.gateway.registry.LiveRegistry;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.testsupport.RealmAdmin;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * A running gateway follows its registry file without a restart, on the real servers: a broken
 * change is refused (the registry in force stays, the metric says so, the log names file and line);
 * then a new province (Cao Bằng, 04) is added to the file with a REST inbox and a Kafka channel,
 * provisioned in Keycloak as the {@code keycloak add} command does, and at once receives its first
 * notice and sends one over its new Kafka topic, whose ingress route the reload added.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RegistryReloadFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final Path FILE = Path.of("target", "reload-registry", "agencies.yaml");
    private static final String BASE = "src/test/resources/reports/agencies.yaml";
    private static final String CAO_BANG = """

              - code: PROV.04
                <<: *province
                name: {vi: Sở Công Thương tỉnh Cao Bằng, en: Cao Bằng Province Department of Industry and Trade}
                keycloakClient: prov-04
                channels:
                  - {kind: rest, format: canonical-json, delivery: pull}
                  - {kind: kafka, format: canonical-json, inbound: reload.PROV.04.in, outbound: reload.PROV.04.out}
            """;

    /** A province there from the start, pushed to where nothing listens: its deliveries fail at once. */
    private static final String LANG_SON_RETRY_ONCE = "retry: {initialDelay: 100ms, maxAttempts: 1}";
    private static final String LANG_SON = """

              - code: PROV.11
                <<: *province
                name: {vi: Sở Công Thương tỉnh Điện Biên, en: Điện Biên Province Department of Industry and Trade}
                keycloakClient: prov-11
                %s
                channels:
                  - {kind: rest, format: canonical-json, delivery: push, url: "http://127.0.0.1:9/prov-11"}
            """.formatted(LANG_SON_RETRY_ONCE);
    /** edXML, for the province added while running. */
    private static final String EDXML = """
              - name: edxml
                mediaType: application/xml
                description: edXML envelope of QCVN 102:2016 (amended 2022)
            """;
    private static final String TUYEN_QUANG_ORGAN = "000.00.00.H08";
    private static final String TUYEN_QUANG = """

              - code: PROV.08
                <<: *province
                name: {vi: Sở Công Thương tỉnh Tuyên Quang, en: Tuyên Quang Province Department of Industry and Trade}
                organId: %s
                keycloakClient: prov-08
                retry: {initialDelay: 500ms, multiplier: 3.0, maxDelay: 30s, maxAttempts: 7}
                channels:
                  - {kind: kafka, format: edxml, inbound: reload.PROV.08.in, outbound: reload.PROV.08.out}
                  - {kind: rest, format: canonical-json, delivery: push, url: "http://127.0.0.1:9/prov-08"}
            """.formatted(TUYEN_QUANG_ORGAN);

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, Files.readString(Path.of(BASE)) + LANG_SON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", FILE::toString);
        registry.add("lienthong.registry-reload-interval", () -> "200ms");
        registry.add("lienthong.reports.remind", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    LiveRegistry live;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CamelContext camel;

    @Autowired
    RetryPolicies retryPolicies;

    @Autowired
    DataSource dataSource;

    /**
     * What was derived from the registry follows a reload too: a province added with an edXML
     * channel gets its first notice in edXML with its own organ id, its metrics and push-health
     * gauge appear, and its retry policy is the one written; a province whose retry policy is changed
     * in the file retries by the new one from then on.
     */
    @Test
    void whatWasDerivedFromTheRegistryFollowsAReload() throws Exception {
        // Điện Biên is there from the start: its first failing delivery is FAILED after one attempt.
        ObjectNode once = ownCase(FlowSupport.notice("PROV.37", "PROV.11"));
        assertThat(FlowSupport.post(port, "/api/v1/messages", "PROV.37", bytes(once)).status()).isEqualTo(202);
        assertThat(await().atMost(WITHIN).until(() -> delivery(once, "PROV.11"), d -> d.startsWith("FAILED")))
                .isEqualTo("FAILED after 1");
        assertThat(meters.find("lienthong_backlog_pending").tag("recipient", "PROV.08").gauge()).isNull();

        // A retry policy the gateway's defaults make unusable (first delay over the longest): the
        // change is refused whole, as a broken file is, and the policy in force stays.
        String text = Files.readString(FILE);
        Files.writeString(FILE, text.replace(LANG_SON_RETRY_ONCE, "retry: {initialDelay: 5s, maxAttempts: 3}"));
        await().atMost(WITHIN).until(() -> meters.get("lienthong.registry.file.broken").gauge().value() == 1.0);
        assertThat(retryPolicies.apply("PROV.11").maxAttempts()).isEqualTo(1);

        // Tuyên Quang (edXML over Kafka, its own retry policy) added, Điện Biên's policy changed.
        Files.writeString(FILE, text.replace(LANG_SON_RETRY_ONCE, "retry: {initialDelay: 100ms, maxAttempts: 3}")
                .replace("formats:\n", "formats:\n" + EDXML) + TUYEN_QUANG);
        await().atMost(WITHIN).until(() -> live.get().agency("PROV.08").isPresent());
        assertThat(meters.get("lienthong.registry.file.broken").gauge().value()).isZero();

        // Its retry policy is the one written; Điện Biên's new one applies without a restart.
        RetryPolicy own = retryPolicies.apply("PROV.08");
        assertThat(own.maxAttempts()).isEqualTo(7);
        assertThat(own.initialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(own.multiplier()).isEqualTo(3.0);
        assertThat(own.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        ObjectNode thrice = ownCase(FlowSupport.notice("PROV.37", "PROV.11"));
        assertThat(FlowSupport.post(port, "/api/v1/messages", "PROV.37", bytes(thrice)).status()).isEqualTo(202);
        assertThat(await().atMost(WITHIN).until(() -> delivery(thrice, "PROV.11"), d -> d.startsWith("FAILED")))
                .isEqualTo("FAILED after 3");

        // Its first notice, on its Kafka topic in edXML, addressed to its own organ id.
        ObjectNode first = FlowSupport.notice("PROV.37", "PROV.08");
        assertThat(FlowSupport.post(port, "/api/v1/messages", "PROV.37", bytes(first)).status()).isEqualTo(202);
        String id = first.get("messageId").asText();
        List<ConsumerRecord<byte[], byte[]>> records = FlowSupport.kafkaRecordsAbout("reload.PROV.08.out", id, WITHIN);
        assertThat(records).hasSize(1);
        String edxml = new String(records.get(0).value(), StandardCharsets.UTF_8);
        assertThat(edxml).startsWith("<?xml").contains("<edXML:OrganId>" + TUYEN_QUANG_ORGAN + "</edXML:OrganId>");
        // The record is on the topic once the round's Kafka transaction commits; the round's outcome
        // commits in the database just after it.
        assertThat(await().atMost(WITHIN).until(() -> delivery(first, "PROV.08"), d -> !d.startsWith("PENDING after 0")))
                .isEqualTo("DELIVERED after 1");

        // Its metrics: its backlog and health gauges, its deliveries counted under its own code.
        await().atMost(WITHIN).until(() -> meters.find("lienthong_backlog_pending").tag("recipient", "PROV.08")
                .gauge() != null && meters.find("lienthong_recipient_reachable").tag("recipient", "PROV.08")
                .gauge() != null);
        await().atMost(WITHIN).until(() -> meters.find("lienthong_deliveries").tags("recipient", "PROV.08",
                "outcome", "delivered").counter() != null);
    }

    /** The notice in a case of its own: a FAILED delivery holds the later ones of its case (order key). */
    private static ObjectNode ownCase(ObjectNode notice) {
        return notice.put("correlationId", "RELOAD-" + UUID.randomUUID());
    }

    /** A delivery's status and attempts, e.g. "FAILED after 1"; null while it does not exist. */
    private String delivery(ObjectNode message, String recipient) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select d.status, d.attempts from delivery d join message m on m.seq = d.message_seq"
                        + " where m.message_id = ? and d.recipient = ?")) {
            ps.setObject(1, UUID.fromString(message.get("messageId").asText()));
            ps.setString(2, recipient);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) + " after " + rs.getInt(2) : null;
            }
        }
    }

    @Test
    void aProvinceAddedToTheFileIsProvisionedAndExchangesWithoutARestart() throws Exception {
        // Not registered yet: its client is taken out of the realm the realm file made.
        new RealmAdmin(TestStack.get().keycloak()).removeClient("prov-04");
        assertThat(live.get().agency("PROV.04")).isEmpty();
        ObjectNode early = FlowSupport.notice("PROV.37", "PROV.04");
        FlowSupport.Response refused = FlowSupport.post(port, "/api/v1/messages", "PROV.37", bytes(early));
        JsonNode receipt = FlowSupport.verifiedReceipt(port,
                refused.headers().firstValue("Lienthong-Receipt-Jws").orElseThrow());
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.at("/payload/errors/0/code").asText()).isEqualTo("UNKNOWN_RECIPIENT");

        // A broken change: refused whole, the registry in force stays, the gauge says so.
        String text = Files.readString(FILE);
        Files.writeString(FILE, text + CAO_BANG.replace("format: canonical-json, delivery", "format: canonical-jsn, delivery"));
        await().atMost(WITHIN).until(() -> meters.get("lienthong.registry.file.broken").gauge().value() == 1.0);
        assertThat(live.get().agency("PROV.04")).isEmpty();
        assertThat(FlowSupport.post(port, "/api/v1/messages", "PROV.37",
                bytes(FlowSupport.notice("PROV.37", "PROV.01"))).status()).isEqualTo(202);

        // The good change: in force within a poll, the new Kafka route added to the running context.
        Files.writeString(FILE, text + CAO_BANG);
        await().atMost(WITHIN).until(() -> live.get().agency("PROV.04").isPresent());
        assertThat(meters.get("lienthong.registry.file.broken").gauge().value()).isZero();
        await().atMost(WITHIN).until(() -> camel.getRoute("ingress-kafka-PROV.04") != null);

        // Provisioned as `keycloak add PROV.04` does (demo secret, so the test can take its token).
        Registry now = live.get();
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(TestStack.get().keycloak().baseUrl(),
                TestStack.get().keycloak().adminUsername(), TestStack.get().keycloak().adminPassword())
                .withDemoSecrets()) {
            provisioner.addAgency(now.agency("PROV.04").orElseThrow());
        }

        // Its first notice: accepted for it, waiting in its inbox.
        ObjectNode first = FlowSupport.notice("PROV.37", "PROV.04");
        assertThat(FlowSupport.post(port, "/api/v1/messages", "PROV.37", bytes(first)).status()).isEqualTo(202);
        String id = first.get("messageId").asText();
        JsonNode item = await().atMost(WITHIN).until(() -> inboxItem("PROV.04", id), n -> n != null);
        assertThat(item.at("/sender").asText()).isEqualTo("PROV.37");

        // And it speaks on its new Kafka channel: its notice reaches Ninh Bình's inbox.
        ObjectNode answer = FlowSupport.notice("PROV.04", "PROV.37");
        FlowSupport.kafkaSend("reload.PROV.04.in", "PROV.04", bytes(answer));
        String answerId = answer.get("messageId").asText();
        assertThat(await().atMost(WITHIN).until(() -> inboxItem("PROV.37", answerId), n -> n != null)
                .at("/sender").asText()).isEqualTo("PROV.04");
    }

    private JsonNode inboxItem(String agency, String messageId) {
        for (JsonNode item : FlowSupport.get(port, "/api/v1/inbox?limit=500", agency).json().path("items")) {
            if (item.path("messageId").asText().equals(messageId)) {
                return item;
            }
        }
        return null;
    }
}

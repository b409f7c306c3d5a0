package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.get;
import static vn.lienthong.gateway.flow.FlowSupport.json;
import static vn.lienthong.gateway.flow.FlowSupport.notice;
import static vn.lienthong.gateway.flow.FlowSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.camel.CamelContext;
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
import vn.lienthong.gateway.ingress.IngressPipeline;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * One message's way through the gateway on real servers (Artemis, Kafka, SFTP, PostgreSQL): in on
 * every kind of channel, checked, recorded, delivered on every kind of channel, receipted.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExchangeFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
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

    @Test
    void aNoticeOverRestReachesEveryKindOfRecipient() throws Exception {
        ObjectNode notice = notice("MOIT.DMS", "MPS.C03", "MOF.CUSTOMS", "MOF.TAX", "PROV.37");
        String id = notice.get("messageId").asText();

        FlowSupport.Response submitted = post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode receipt = submitted.json();
        assertThat(FlowSupport.verifiedReceipt(port, submitted.receiptJws())).as("the body is the signed payload")
                .isEqualTo(receipt);
        assertThat(receipt.at("/type").asText()).isEqualTo("receipt");
        assertThat(receipt.at("/sender").asText()).isEqualTo("GATEWAY");
        assertThat(receipt.at("/inReplyTo").asText()).isEqualTo(id);
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.at("/payload/inputSha256").asText()).isEqualTo(IngressPipeline.sha256(bytes(notice)));
        assertThat(receipt.at("/payload/deliveries")).hasSize(4);

        // Kafka: the police topic.
        List<ConsumerRecord<byte[], byte[]>> onKafka = FlowSupport.kafkaRecordsAbout("flow.MPS.C03.out", id, WITHIN);
        assertThat(onKafka).hasSize(1);
        assertThat(json(onKafka.get(0).value()).at("/messageId").asText()).isEqualTo(id);

        // JMS: the customs queue.
        List<String> onJms = FlowSupport.jmsReceiveAbout("flow.MOF.CUSTOMS.out", id, WITHIN);
        assertThat(onJms).hasSize(1);
        assertThat(json(onJms.get(0)).at("/payload/caseRef").asText()).isEqualTo(notice.at("/payload/caseRef").asText());

        // SFTP: the tax outbox, as the tax authority sees it.
        try (TestStack.Sftp tax = TestStack.get().sftp("mof-tax")) {
            String file = "violation.notice-" + id + ".json";
            await().atMost(WITHIN).until(() -> tax.list("outbox").contains(file));
            assertThat(json(tax.read("outbox/" + file)).at("/messageId").asText()).isEqualTo(id);
            assertThat(tax.list("outbox")).noneMatch(name -> name.endsWith(".part"));
        }

        // Inbox pull and acknowledgement: the province.
        JsonNode item = awaitInboxItem("PROV.37", id);
        assertThat(item.at("/message/messageId").asText()).isEqualTo(id);
        String deliveryId = item.at("/deliveryId").asText();
        FlowSupport.Response ack = post(port, "/api/v1/inbox/" + deliveryId + "/ack", "PROV.37", new byte[0]);
        assertThat(ack.status()).isEqualTo(200);
        assertThat(inboxIds("PROV.37")).doesNotContain(id);
        assertThat(post(port, "/api/v1/inbox/" + deliveryId + "/ack", "MOF.TAX", new byte[0]).status())
                .as("another agency cannot acknowledge it").isEqualTo(404);

        // The sender sees each delivery's state.
        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode status = get(port, "/api/v1/messages/" + id, "MOIT.DMS").json();
            List<String> states = new ArrayList<>();
            status.at("/deliveries").forEach(d -> states.add(d.at("/recipient").asText() + "=" + d.at("/status").asText()));
            assertThat(states).containsExactlyInAnyOrder("MPS.C03=DELIVERED", "MOF.CUSTOMS=DELIVERED",
                    "MOF.TAX=DELIVERED", "PROV.37=ACKNOWLEDGED");
        });
        assertThat(get(port, "/api/v1/messages/" + id, "MOF.CUSTOMS").status()).as("a recipient sees it").isEqualTo(200);
        assertThat(get(port, "/api/v1/messages/" + id, "SBV").status()).as("a stranger does not").isEqualTo(404);
    }

    @Test
    void theSameNoticeEntersOverJmsKafkaAndSftp() throws Exception {
        ObjectNode overJms = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", bytes(overJms));
        List<String> jmsReceipt = FlowSupport.jmsReceiveAbout("flow.MOIT.DMS.out", overJms.get("messageId").asText(), WITHIN);
        assertThat(jmsReceipt).hasSize(1);
        assertThat(FlowSupport.verifiedReceipt(port, jmsReceipt.get(0)).at("/payload/status").asText()).isEqualTo("ACCEPTED");

        ObjectNode overKafka = notice("MOIT.DMS", "PROV.37");
        FlowSupport.kafkaSend("flow.MOIT.DMS.topic.in", "MOIT.DMS", bytes(overKafka));
        var kafkaReceipt = FlowSupport.kafkaRecordsAbout("flow.MOIT.DMS.topic.out", overKafka.get("messageId").asText(), WITHIN);
        assertThat(kafkaReceipt).hasSize(1);
        assertThat(FlowSupport.verifiedReceipt(port, new String(kafkaReceipt.get(0).value(), StandardCharsets.US_ASCII))
                .at("/payload/status").asText()).isEqualTo("ACCEPTED");

        ObjectNode overSftp = notice("MOIT.DMS", "PROV.37");
        try (TestStack.Sftp dms = TestStack.get().sftp("moit-dms")) {
            String name = "notice-" + overSftp.get("messageId").asText() + ".json";
            var done = FlowSupport.filesDone(camel, "ingress-sftp-MOIT.DMS", name);
            dms.upload("inbox/" + name, bytes(overSftp));
            // The input is moved once the route is done, right after its receipt is written.
            assertThat(FlowSupport.done(done, WITHIN)).as("the SFTP route is done with " + name).isTrue();
            assertThat(dms.list("done")).contains(name, name + ".receipt.json");
            assertThat(dms.list("inbox")).doesNotContain(name);
            assertThat(json(dms.read("done/" + name + ".receipt.json")).at("/payload/status").asText()).isEqualTo("ACCEPTED");
        }

        for (ObjectNode sent : List.of(overJms, overKafka, overSftp)) {
            assertThat(awaitInboxItem("PROV.37", sent.get("messageId").asText()).at("/sender").asText()).isEqualTo("MOIT.DMS");
        }
    }

    @Test
    void aDuplicateGetsTheOriginalReceiptAndNoNewDelivery() {
        ObjectNode notice = notice("MOIT.DMS", "PROV.37", "MOF.CUSTOMS");
        String id = notice.get("messageId").asText();
        FlowSupport.Response first = post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));
        FlowSupport.Response again = post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class, id)).isEqualTo(1);
        assertThat(db.queryForObject("select count(*) from delivery d join message m on m.seq = d.message_seq "
                + "where m.message_id = ?::uuid", Integer.class, id)).isEqualTo(2);
    }

    @Test
    void refusedInputsAreQuarantinedWithTheirCodesAndNothingIsDelivered() {
        ObjectNode schemaError = notice("MOIT.DMS", "PROV.37");
        schemaError.with("payload").remove("caseRef");
        ObjectNode notAllowed = notice("MOIT.DMS", "PROV.37");
        notAllowed.put("type", "report.periodic");
        notAllowed.set("payload", json("""
                {"period": {"from": "2026-10-01", "to": "2026-10-31"},
                 "totals": {"casesDetected": 1, "casesHandled": 1, "casesTransferredToPolice": 0, "finesVnd": 0, "goodsValueVnd": 0}}
                """));
        ObjectNode mismatch = notice("PROV.37", "MOF.CUSTOMS");
        ObjectNode provinceFreeze = (ObjectNode) json(FlowSupport.example("freeze.request/valid-freeze-cpc129.json"));
        provinceFreeze.put("messageId", java.util.UUID.randomUUID().toString());
        provinceFreeze.put("sender", "PROV.37");

        record Case(String name, String agency, byte[] body, String code, String messageId) {
        }
        List<Case> cases = List.of(
                new Case("not JSON", "MOIT.DMS", "<edXMLEnvelope/>".getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON", null),
                new Case("schema error", "MOIT.DMS", bytes(schemaError), "SCHEMA_REQUIRED", schemaError.get("messageId").asText()),
                new Case("recipient may not receive it", "MOIT.DMS", bytes(notAllowed), "NOT_AUTHORIZED", notAllowed.get("messageId").asText()),
                new Case("sender mismatch", "MOIT.DMS", bytes(mismatch), "SENDER_MISMATCH", mismatch.get("messageId").asText()),
                new Case("a province may not request a freeze", "PROV.37", bytes(provinceFreeze), "NOT_AUTHORIZED",
                        provinceFreeze.get("messageId").asText()));

        for (Case c : cases) {
            FlowSupport.Response r = post(port, "/api/v1/messages", c.agency(), c.body());
            assertThat(r.status()).as(c.name()).isEqualTo(422);
            JsonNode receipt = r.json();
            assertThat(receipt.at("/payload/status").asText()).as(c.name()).isEqualTo("REJECTED");
            List<String> codes = new ArrayList<>();
            receipt.at("/payload/errors").forEach(e -> codes.add(e.at("/code").asText()));
            assertThat(codes).as(c.name()).contains(c.code());

            String sha = IngressPipeline.sha256(c.body());
            byte[] kept = cipher.open(db.queryForObject("select original from quarantine where input_sha256 = ?", byte[].class, sha));
            assertThat(kept).as(c.name() + ": original bytes kept").isEqualTo(c.body());
            String errors = db.queryForObject("select errors::text from quarantine where input_sha256 = ?", String.class, sha);
            assertThat(errors).contains(c.code());
            if (c.messageId() != null) {
                assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class,
                        c.messageId())).as(c.name() + ": nothing recorded for delivery").isZero();
            }
        }
    }

    @Test
    void aRecipientsBrokerDownIsRetriedThenDeliveredWithNothingLost() throws Exception {
        TestStack.get().stack().stopArtemis();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ObjectNode notice = notice("MOIT.DMS", "MOF.CUSTOMS");
                ids.add(notice.get("messageId").asText());
                assertThat(post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice)).status()).isEqualTo(202);
            }
            await().atMost(WITHIN).until(() -> failedAttempts(ids.get(0)) >= 1);
            assertThat(deliveryStatus(ids.get(0))).isEqualTo("PENDING");
        } finally {
            TestStack.get().stack().startArtemis();
        }
        await().atMost(WITHIN).until(() -> ids.stream().allMatch(id -> "DELIVERED".equals(deliveryStatus(id))));
        var received = FlowSupport.jmsReceiveAbout("flow.MOF.CUSTOMS.out", java.util.Set.copyOf(ids), WITHIN);
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(received.values()).allSatisfy(copies -> assertThat(copies).hasSize(1));
    }

    private int failedAttempts(String messageId) {
        return db.queryForObject("select count(*) from delivery_attempt a join delivery d on d.id = a.delivery_id "
                + "join message m on m.seq = d.message_seq where m.message_id = ?::uuid and a.outcome = 'ERROR'",
                Integer.class, messageId);
    }

    private String deliveryStatus(String messageId) {
        return db.queryForObject("select d.status from delivery d join message m on m.seq = d.message_seq "
                + "where m.message_id = ?::uuid", String.class, messageId);
    }

    private JsonNode awaitInboxItem(String agency, String messageId) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WITHIN).until(() -> {
            for (JsonNode item : get(port, "/api/v1/inbox?limit=500", agency).json().at("/items")) {
                if (item.at("/messageId").asText().equals(messageId)) {
                    found[0] = item;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private List<String> inboxIds(String agency) {
        List<String> ids = new ArrayList<>();
        get(port, "/api/v1/inbox?limit=500", agency).json().at("/items").forEach(i -> ids.add(i.at("/messageId").asText()));
        return ids;
    }
}

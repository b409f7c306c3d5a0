package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.ingress.ChannelIngressRoutes;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * The ingress routes on real servers (Artemis, Kafka, PostgreSQL, Keycloak), observed with Camel's
 * test kit: a route's record step advised (AdviceWith) to fail once, as a journal that cannot commit
 * would, and NotifyBuilder to see the failed exchange and the one after it. The source is not
 * acknowledged before the record step succeeds: the broker hands the input again, and it is recorded
 * once and receipted once.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IngressRoutesTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Autowired
    CamelContext camel;

    @Test
    void aJmsInputWhoseRecordStepFailsIsRolledBackRedeliveredAndRecordedOnce() throws Exception {
        String route = "ingress-jms-MOIT.DMS";
        failRecordStepOnce(route);
        NotifyBuilder failedThenDone = new NotifyBuilder(camel).fromRoute(route)
                .whenFailed(1).and().whenCompleted(1).create();

        ObjectNode notice = notice("MOIT.DMS", "PROV.37");
        String id = notice.get("messageId").asText();
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", bytes(notice));

        assertThat(failedThenDone.matches(WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("one failed exchange, then one completed").isTrue();
        List<String> receipts = FlowSupport.jmsReceiveAbout("flow.MOIT.DMS.out", id, WITHIN);
        assertThat(receipts).as("one receipt, after the commit").hasSize(1);
        assertThat(FlowSupport.verifiedReceipt(port, receipts.get(0)).at("/payload/status").asText())
                .isEqualTo("ACCEPTED");
        assertThat(recorded(id)).isEqualTo(1);
    }

    @Test
    void aJmsBatchRolledBackAfterItsJournalCommitIsRecordedOnceAndEverySenderGetsOneReceipt() throws Exception {
        String route = "ingress-jms-MOIT.DMS";
        // Between the journal's commit and the JMS commit (the receipts already sent on the batch's
        // session), the batch fails once, as a gateway killed there would leave it: rolled back.
        AtomicInteger calls = new AtomicInteger();
        AdviceWith.adviceWith(camel, route, a -> a.weaveById(ChannelIngressRoutes.RECEIPT).after().process(e -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the gateway stops before the JMS commit");
            }
        }));
        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute(route).whenFailed(1).create();

        Map<String, byte[]> notices = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode notice = notice("MOIT.DMS", "PROV.37");
            notices.put(notice.get("messageId").asText(), bytes(notice));
        }
        sendTogether("flow.MOIT.DMS.in", "MOIT.DMS", notices.values());

        assertThat(failed.matches(WITHIN.toSeconds(), TimeUnit.SECONDS)).as("the batch failed once").isTrue();
        Map<String, List<String>> receipts = FlowSupport.jmsReceiveAbout("flow.MOIT.DMS.out", notices.keySet(), WITHIN);
        for (String id : notices.keySet()) {
            assertThat(receipts.get(id)).as("one receipt for %s, none from the rolled-back batch", id).hasSize(1);
            assertThat(FlowSupport.verifiedReceipt(port, receipts.get(id).get(0)).at("/payload/status").asText())
                    .isEqualTo("ACCEPTED");
            assertThat(recorded(id)).as("recorded once").isEqualTo(1);
            assertThat(db.queryForObject("select count(*) from delivery d join message m on m.seq = d.message_seq"
                    + " where m.message_id = ?::uuid", Integer.class, id)).as("one delivery").isEqualTo(1);
        }
    }

    @Test
    void aKafkaPollWhoseRecordStepFailsIsNotCommittedPolledAgainAndRecordedOnce() throws Exception {
        String route = "ingress-kafka-MOIT.DMS";
        failRecordStepOnce(route);
        // A poll of records (not an empty one), failed or done.
        Predicate records = e -> e.getMessage().getBody() instanceof List<?> list && !list.isEmpty();
        NotifyBuilder failedThenDone = new NotifyBuilder(camel).fromRoute(route).filter(records)
                .whenFailed(1).and().whenCompleted(1).create();

        ObjectNode notice = notice("MOIT.DMS", "PROV.37");
        String id = notice.get("messageId").asText();
        FlowSupport.kafkaSend("flow.MOIT.DMS.topic.in", "MOIT.DMS", bytes(notice));

        assertThat(failedThenDone.matches(WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("one failed poll, then one completed").isTrue();
        var receipts = FlowSupport.kafkaRecordsAbout("flow.MOIT.DMS.topic.out", id, WITHIN);
        assertThat(receipts).hasSize(1);
        assertThat(FlowSupport.verifiedReceipt(port, new String(receipts.get(0).value(), StandardCharsets.US_ASCII))
                .at("/payload/status").asText()).isEqualTo("ACCEPTED");
        assertThat(recorded(id)).isEqualTo(1);
    }

    /** Sends the bodies in one JMS transaction, each with the agency's token, so they reach the queue together. */
    private static void sendTogether(String queue, String agency, Iterable<byte[]> bodies) throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (byte[] body : bodies) {
                TextMessage message = s.createTextMessage(new String(body, StandardCharsets.UTF_8));
                message.setStringProperty("Authorization", Tokens.bearer(agency));
                p.send(message);
            }
            s.commit();
        }
    }

    /** The route's record step throws the first time, as a journal that cannot commit does. */
    private void failRecordStepOnce(String route) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AdviceWith.adviceWith(camel, route, a -> a.weaveById(ChannelIngressRoutes.RECORD).before().process(e -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the journal could not commit");
            }
        }));
    }

    private int recorded(String messageId) {
        return db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class, messageId);
    }
}

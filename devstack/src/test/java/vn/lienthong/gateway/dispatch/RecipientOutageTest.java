package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Retries ride out a recipient's outage: with its broker stopped for longer than the old policy (a
 * few attempts, then FAILED) allowed, MOF.CUSTOMS's deliveries stay PENDING under its own registry
 * policy, and arrive, in order, once the broker is back. The policies are scaled down (100 ms, not
 * 1 s; a few attempts, not eight) so the test is short; their shape is the production one. A
 * recipient on the gateway's test default (MOIT.ECDE, whose endpoint never answers) is FAILED
 * after its few attempts meanwhile.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RecipientOutageTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** The old policy of the test: three attempts, then FAILED. */
    private static final int OLD_MAX_ATTEMPTS = 3;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.dispatch.max-attempts", () -> Integer.toString(OLD_MAX_ATTEMPTS));
        registry.add("lienthong.dispatch.initial-delay", () -> "100ms");
        registry.add("lienthong.dispatch.max-delay", () -> "200ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    @Test
    void deliveriesStayPendingThroughTheOutageAndArriveInOrderAfterIt() throws Exception {
        List<String> ids = new ArrayList<>();
        String control;
        TestStack.get().stack().stopArtemis();
        try {
            for (int i = 0; i < 3; i++) {
                ObjectNode notice = OperatorSupport.notice("PROV.37", "MOF.CUSTOMS");
                notice.put("correlationId", "outage-case-" + port);
                ids.add(OperatorSupport.submit(port, "PROV.37", notice));
            }
            control = OperatorSupport.submit(port, "PROV.37", OperatorSupport.notice("PROV.37", "MOIT.ECDE"));
            // Longer than the old policy allowed: more failed attempts than it would ever make.
            await().atMost(WITHIN).until(() -> failedAttempts(ids.get(0)) > OLD_MAX_ATTEMPTS);
            assertThat(status(ids.get(0))).isEqualTo("PENDING");
            // The later ones of the order key have not been tried: they wait behind the first.
            assertThat(failedAttempts(ids.get(1))).isZero();
            assertThat(failedAttempts(ids.get(2))).isZero();
            try {
                await().atMost(WITHIN).until(() -> "FAILED".equals(status(control)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("control not FAILED: " + db.queryForList("select d.recipient, d.status,"
                        + " d.attempts, d.next_attempt_at, d.last_error from delivery d join message m on m.seq ="
                        + " d.message_seq where m.message_id = ?::uuid", control) + " attempts "
                        + db.queryForList("select a.* from delivery_attempt a join delivery d on d.id = a.delivery_id"
                        + " join message m on m.seq = d.message_seq where m.message_id = ?::uuid", control), e);
            }
            assertThat(failedAttempts(control)).isEqualTo(OLD_MAX_ATTEMPTS);
        } finally {
            TestStack.get().stack().startArtemis();
        }
        await().atMost(WITHIN).until(() -> ids.stream().allMatch(id -> "DELIVERED".equals(status(id))));
        assertThat(receivedInOrder(ids)).containsExactlyElementsOf(ids);
    }

    /** The ids as they come off the recipient's queue, in queue order (each once). */
    private List<String> receivedInOrder(List<String> ids) throws Exception {
        List<String> order = new ArrayList<>();
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("operator.MOF.CUSTOMS.out"));
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (order.size() < ids.size() && System.nanoTime() < deadline) {
                Message m = consumer.receive(1_000);
                if (m instanceof TextMessage text) {
                    for (String id : ids) {
                        if (text.getText().contains(id)) {
                            order.add(id);
                        }
                    }
                }
            }
        }
        return order;
    }

    private int failedAttempts(String messageId) {
        return db.queryForObject("select count(*) from delivery_attempt a join delivery d on d.id = a.delivery_id"
                + " join message m on m.seq = d.message_seq where m.message_id = ?::uuid and a.outcome = 'ERROR'",
                Integer.class, messageId);
    }

    private String status(String messageId) {
        return db.queryForObject("select d.status from delivery d join message m on m.seq = d.message_seq"
                + " where m.message_id = ?::uuid", String.class, messageId);
    }
}

package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.GatewayApplication;

/**
 * The gateway stops after recording a message and before dispatching it; started again, it
 * delivers the message exactly once, and answers the same message sent again with its original
 * signed receipt, which still verifies against the restarted gateway's published keys.
 */
class GatewayRestartTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void aMessageRecordedBeforeAStopIsDeliveredOnceAfterTheRestart() throws Exception {
        ObjectNode notice = notice("MOIT.DMS", "MOF.CUSTOMS");
        String id = notice.get("messageId").asText();

        String receipt;
        String receiptJws;
        try (ConfigurableApplicationContext first = start(false)) {
            int port = Integer.parseInt(first.getEnvironment().getProperty("local.server.port"));
            FlowSupport.Response submitted = FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
            receipt = submitted.body();
            receiptJws = submitted.receiptJws();
            assertThat(FlowSupport.verifiedReceipt(port, receiptJws).at("/inReplyTo").asText()).isEqualTo(id);
            assertThat(status(first, id)).isEqualTo("PENDING");
        }

        try (ConfigurableApplicationContext second = start(true)) {
            await().atMost(WITHIN).until(() -> "DELIVERED".equals(status(second, id)));
            // Sent again to the restarted gateway: the original receipt, nothing new.
            int port = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
            FlowSupport.Response again = FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(receipt);
            assertThat(again.receiptJws()).isEqualTo(receiptJws);
            // The receipt signed before the restart still verifies against the restarted gateway's keys.
            assertThat(FlowSupport.verifiedReceipt(port, receiptJws).at("/payload/status").asText()).isEqualTo("ACCEPTED");
            JdbcTemplate db = second.getBean(JdbcTemplate.class);
            assertThat(db.queryForObject("select attempts from delivery d join message m on m.seq = d.message_seq "
                    + "where m.message_id = ?::uuid", Integer.class, id)).isEqualTo(1);
        }
        List<String> received = FlowSupport.jmsReceiveAbout("flow.MOF.CUSTOMS.out", id, WITHIN);
        assertThat(received).hasSize(1);
    }

    private static ConfigurableApplicationContext start(boolean dispatch) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>(FlowSupport.properties());
        properties.put("server.port", "0");
        properties.put("lienthong.dispatch.enabled", String.valueOf(dispatch));
        // As arguments: they take precedence over application.yaml, as the test's own settings must.
        return new SpringApplicationBuilder(GatewayApplication.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static String status(ConfigurableApplicationContext context, String messageId) {
        return context.getBean(JdbcTemplate.class).queryForObject("select d.status from delivery d join message m "
                + "on m.seq = d.message_seq where m.message_id = ?::uuid", String.class, messageId);
    }
}

package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.dispatch.DispatchBacklog;
import vn.lienthong.gateway.dispatch.DispatchRoutes;

/**
 * Backpressure on real servers (issue 12 point 3): with dispatch stopped, a JMS intake whose
 * deliveries pass the high water mark stops taking inputs (they wait on the broker, none recorded),
 * and once dispatch runs and the backlog falls to the low water mark it takes them again: every
 * input recorded once, receipted once and delivered once, nothing refused, nothing lost.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class BackpressureFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.dispatch.enabled", () -> "false");
        registry.add("lienthong.ingress.backlog-high-water", () -> "3");
        registry.add("lienthong.ingress.backlog-low-water", () -> "0");
        registry.add("lienthong.ingress.backlog-check-interval", () -> "50ms");
        registry.add("lienthong.ingress.backlog-max-wait", () -> "10m");
    }

    @Autowired
    JdbcTemplate db;

    @Autowired
    CamelContext camel;

    @Autowired
    DispatchBacklog backlog;

    @Test
    void aJmsIntakeWaitsWhileTheBacklogIsAboveItsBoundAndTakesEverythingOnceDispatchCaughtUp() throws Exception {
        // Whatever earlier tests of this JVM left ready to send is sent first: the bound is this test's.
        camel.getRouteController().startRoute(DispatchRoutes.ROUTE);
        await().atMost(WITHIN).until(() -> backlog.count() == 0);
        camel.getRouteController().stopRoute(DispatchRoutes.ROUTE);

        List<String> first = send(4);
        Map<String, List<String>> firstReceipts = FlowSupport.jmsReceiveAbout("flow.MOIT.DMS.out", Set.copyOf(first), WITHIN);
        first.forEach(id -> assertThat(firstReceipts.get(id)).as("receipt of %s", id).hasSize(1));
        await("4 deliveries ready, dispatch stopped").atMost(WITHIN).until(() -> backlog.count() == 4);

        List<String> held = send(3);
        await().atMost(WITHIN).until(() -> backlog.waits() >= 1);
        held.forEach(id -> assertThat(recorded(id)).as("%s waits on the broker", id).isZero());

        camel.getRouteController().startRoute(DispatchRoutes.ROUTE);
        List<String> all = new ArrayList<>(first);
        all.addAll(held);
        Map<String, List<String>> heldReceipts = FlowSupport.jmsReceiveAbout("flow.MOIT.DMS.out", Set.copyOf(held), WITHIN);
        Map<String, List<String>> delivered = FlowSupport.jmsReceiveAbout("flow.MOF.CUSTOMS.out", Set.copyOf(all), WITHIN);
        for (String id : held) {
            assertThat(heldReceipts.get(id)).as("one receipt for %s, after the wait", id).hasSize(1);
        }
        for (String id : all) {
            assertThat(recorded(id)).as("%s recorded once", id).isEqualTo(1);
            assertThat(delivered.get(id)).as("%s delivered once", id).hasSize(1);
        }
        assertThat(backlog.admits()).isTrue();
    }

    /** {@code n} notices from MOIT.DMS to MOF.CUSTOMS (a JMS push recipient), each of its own case, on its inbound queue. */
    private static List<String> send(int n) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode notice = notice("MOIT.DMS", "MOF.CUSTOMS");
            // A case of its own each: deliveries of one case share an order key, and only a key's
            // head counts towards the bound.
            notice.put("correlationId", "BP-" + UUID.randomUUID());
            ids.add(notice.get("messageId").asText());
            FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", bytes(notice));
        }
        return ids;
    }

    private int recorded(String messageId) {
        return db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class, messageId);
    }
}

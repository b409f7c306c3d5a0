package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;
import static vn.lienthong.gateway.flow.FlowSupport.post;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.dispatch.DispatchRoutes;

/**
 * An urgent message does not wait for the outbox poll: its commit wakes a dispatch round at once.
 * The poller is stopped here, so only the wake can deliver it.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UrgentDispatchFlowTest {

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.dispatch.poll-interval", () -> "1h");
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Test
    void anUrgentMessageIsDeliveredWithTheOutboxPollerStopped() throws Exception {
        // Stopping waits for a round in progress: from here on, no tick claims anything.
        camel.getRouteController().stopRoute(DispatchRoutes.ROUTE);
        assertThat(camel.getRouteController().getRouteStatus(DispatchRoutes.ROUTE)).isEqualTo(ServiceStatus.Stopped);
        ObjectNode urgent = notice("MOIT.DMS", "MOF.CUSTOMS");
        urgent.put("priority", "urgent");
        String id = urgent.get("messageId").asText();

        FlowSupport.Response submitted = post(port, "/api/v1/messages", "MOIT.DMS", bytes(urgent));

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        List<String> arrived = FlowSupport.jmsReceiveAbout("flow.MOF.CUSTOMS.out", id, Duration.ofSeconds(60));
        assertThat(arrived).as("the urgent notice on the recipient's queue, once").hasSize(1);
    }
}

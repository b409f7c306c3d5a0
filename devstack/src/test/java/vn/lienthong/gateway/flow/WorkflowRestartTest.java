package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.testsupport.MovableTime;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.workflows.Escalations;

/**
 * A deadline passes while the gateway is down: started again, the gateway's own sweep sends the
 * deadline.overdue once, and sweeping again (the timer, or by hand) sends nothing more.
 */
class WorkflowRestartTest {

    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    @Test
    void aDeadlinePassedDuringAStopIsEscalatedOnceAfterTheRestart() {
        MovableTime time = new MovableTime();
        ObjectNode freeze = (ObjectNode) json(FlowSupport.example("freeze.request/valid-freeze-cpc129.json"));
        String id = UUID.randomUUID().toString();
        freeze.put("messageId", id);
        freeze.put("sender", "MOIT.DMS");
        freeze.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339));
        ObjectNode decision = (ObjectNode) freeze.at("/payload/decision");
        decision.put("number", "R-" + UUID.randomUUID().toString().substring(0, 8));
        decision.with("issuer").put("agency", "MOIT.DMS");
        decision.with("legalGround").put("code", "DECREE_296_2025");

        Instant due;
        try (ConfigurableApplicationContext first = start(time, false)) {
            int port = Integer.parseInt(first.getEnvironment().getProperty("local.server.port"));
            assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(freeze)).status()).isEqualTo(202);
            JdbcTemplate db = first.getBean(JdbcTemplate.class);
            await().atMost(WITHIN).until(() -> "DELIVERED".equals(state(db, id)));
            due = db.queryForObject("select due_at from workflow_case where request_message_id = ?::uuid",
                    OffsetDateTime.class, id).toInstant();
            // The deadline passes while this instance does not sweep; then it stops.
            time.moveTo(due.plusSeconds(5));
            assertThat(notices(db, id)).isZero();
        }

        try (ConfigurableApplicationContext second = start(time, true)) {
            JdbcTemplate db = second.getBean(JdbcTemplate.class);
            await().atMost(WITHIN).until(() -> notices(db, id) > 0);
            // More sweeps, by the timer and by hand: still one.
            Escalations escalations = second.getBean(Escalations.class);
            escalations.sweep();
            escalations.sweep();
            assertThat(notices(db, id)).isEqualTo(1);
            assertThat(db.queryForObject("select count(*) from workflow_escalation e join workflow_case c on"
                    + " c.id = e.case_id where c.request_message_id = ?::uuid", Integer.class, id)).isEqualTo(1);
        }
    }

    private static ConfigurableApplicationContext start(MovableTime time, boolean sweep) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>(FlowSupport.properties());
        properties.put("server.port", "0");
        properties.put("lienthong.workflows.sweep", String.valueOf(sweep));
        properties.put("lienthong.workflows.sweep-interval", "200ms");
        return new SpringApplicationBuilder(GatewayApplication.class)
                // The deadlines' time, shared by both runs: tokens keep the real clock.
                .initializers(context -> context.getBeanFactory().registerSingleton("workflowTime", time))
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static String state(JdbcTemplate db, String request) {
        return db.queryForList("select state from workflow_case where request_message_id = ?::uuid", String.class,
                request).stream().findFirst().orElse(null);
    }

    private static int notices(JdbcTemplate db, String request) {
        Integer n = db.queryForObject("select count(*) from message where type = 'deadline.overdue'"
                + " and in_reply_to = ?::uuid", Integer.class, request);
        return n == null ? 0 : n;
    }
}

package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.ingress.JmsIngressRoutes;

/**
 * Issue 12, point 1: the gateway, a JVM of its own, is killed between a JMS batch's journal commit
 * and its JMS commit (the fault injection {@value JmsIngressRoutes#HALT_AFTER_JOURNAL_COMMIT} halts
 * it there, receipts sent on the uncommitted session); started again without it, the broker hands
 * the batch again: nothing is recorded twice, every sender gets exactly one receipt (the original),
 * and every message is delivered once.
 */
class GatewayKillTest {

    private static final Duration START = Duration.ofMinutes(6);
    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** Queues of this test alone (a copy of the flow registry), so no other gateway in this JVM takes the batch. */
    private static final String IN = "kill.MOIT.DMS.in";
    private static final String OUT = "kill.MOIT.DMS.out";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aGatewayKilledBetweenTheJournalCommitAndTheJmsCommitRecordsNothingTwiceAndAnswersEverySenderOnce(
            @TempDir Path dir) throws Exception {
        Path registry = dir.resolve("agencies.yaml");
        Files.writeString(registry, Files.readString(Path.of(FlowSupport.REGISTRY), StandardCharsets.UTF_8)
                .replace("inbound: flow.MOIT.DMS.in, outbound: flow.MOIT.DMS.out", "inbound: " + IN + ", outbound: " + OUT),
                StandardCharsets.UTF_8);
        assertThat(Files.readString(registry)).contains(IN);

        Map<String, byte[]> notices = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode notice = notice("MOIT.DMS", "MOF.CUSTOMS");
            notices.put(notice.get("messageId").asText(), bytes(notice));
        }
        // On the queue before the gateway starts: its first batch holds them all.
        GatewayJvm.sendTogether(IN, notices.values());

        Process first = start(registry, dir.resolve("first.log"), true);
        try {
            assertThat(first.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("the gateway halted; its log: "
                    + dir.resolve("first.log")).isTrue();
            assertThat(first.exitValue()).as(GatewayJvm.tail(dir.resolve("first.log"))).isEqualTo(JmsIngressRoutes.HALT_STATUS);
        } finally {
            first.destroyForcibly();
        }
        JdbcTemplate db = database();
        // The batch was recorded (the kill came after the journal's commit); one consumer took all five.
        for (String id : notices.keySet()) {
            assertThat(recorded(db, id)).as("recorded before the kill: %s", id).isEqualTo(1);
        }
        assertThat(FlowSupport.jmsReceiveAbout(OUT, notices.keySet(), Duration.ofSeconds(2)))
                .as("no receipt left the killed batch's session").isEmpty();

        int port = GatewayJvm.freePort();
        Process second = start(registry, dir.resolve("second.log"), false, port);
        try {
            awaitReady(second, port, dir.resolve("second.log"));
            Map<String, List<String>> receipts = FlowSupport.jmsReceiveAbout(OUT, notices.keySet(), WITHIN);
            for (String id : notices.keySet()) {
                assertThat(receipts.get(id)).as("one receipt for %s: none from the killed batch", id).hasSize(1);
                assertThat(FlowSupport.verifiedReceipt(port, receipts.get(id).get(0)).at("/payload/status").asText())
                        .isEqualTo("ACCEPTED");
                assertThat(recorded(db, id)).as("recorded once").isEqualTo(1);
                assertThat(db.queryForObject("select count(*) from audit where action = 'MESSAGE_ACCEPTED'"
                        + " and detail->>'messageId' = ?", Integer.class, id)).as("audited once").isEqualTo(1);
                assertThat(db.queryForObject("select count(*) from delivery d join message m on m.seq = d.message_seq"
                        + " where m.message_id = ?::uuid", Integer.class, id)).as("one delivery").isEqualTo(1);
                await().atMost(WITHIN).until(() -> "DELIVERED".equals(db.queryForObject("select d.status from delivery d"
                        + " join message m on m.seq = d.message_seq where m.message_id = ?::uuid", String.class, id)));
            }
            Map<String, List<String>> delivered = FlowSupport.jmsReceiveAbout("flow.MOF.CUSTOMS.out", notices.keySet(),
                    WITHIN);
            for (String id : notices.keySet()) {
                assertThat(delivered.get(id)).as("delivered once: %s", id).hasSize(1);
            }
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    /** The gateway in a JVM of its own, on the test's class path, with the flow tests' settings. */
    private static Process start(Path registry, Path log, boolean halt) throws IOException {
        return start(registry, log, halt, GatewayJvm.freePort());
    }

    private static Process start(Path registry, Path log, boolean halt, int port) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("lienthong.registry", registry.toAbsolutePath().toString());
        properties.put("server.port", String.valueOf(port));
        // The first gateway only records: what it would have sent is the second's to send.
        properties.put("lienthong.dispatch.enabled", String.valueOf(!halt));
        properties.put(JmsIngressRoutes.HALT_AFTER_JOURNAL_COMMIT, String.valueOf(halt));
        // One batch consumer: the five inputs waiting on the queue are one batch.
        properties.put("lienthong.ingress.jms-batch-consumers", "1");
        return GatewayJvm.start(properties, log);
    }

    private void awaitReady(Process gateway, int port, Path log) {
        await().atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(gateway.isAlive()).as("the gateway exited: " + GatewayJvm.tail(log)).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static JdbcTemplate database() {
        return GatewayJvm.database(GatewayJvm.sharedUrl());
    }

    private static int recorded(JdbcTemplate db, String messageId) {
        return db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class, messageId);
    }
}

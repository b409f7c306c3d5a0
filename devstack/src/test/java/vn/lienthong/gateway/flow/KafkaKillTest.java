package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.dispatch.KafkaDeliveries;
import vn.lienthong.gateway.testsupport.CommittedRecords;

/**
 * Issue 14, point 2: the gateway, a JVM of its own, halts right after a dispatch round's Kafka
 * transaction committed and before the round's database commit (the fault injection
 * {@value KafkaDeliveries#HALT_AFTER_KAFKA_COMMIT}); the deliveries are PENDING again, their send
 * intents kept. Started again without it, after the settle time the gateway finds them on the topic
 * and marks them delivered without sending again: a read_committed consumer of the recipient's
 * topic counts each delivery exactly once, each DELIVERED once in the audit, whose chain verifies.
 */
class KafkaKillTest {

    private static final Duration START = Duration.ofMinutes(6);
    private static final Duration WITHIN = Duration.ofSeconds(90);
    /**
     * A database of this test alone on the stack's PostgreSQL: the other gateways alive in this test
     * JVM (cached Spring contexts) dispatch whatever is PENDING in the shared one, and would deliver
     * the notices before the halting gateway could.
     */
    private static final String DATABASE = "kafkakill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    /** Queues and topic of this test alone (a copy of the flow registry). */
    private static final String IN = "kafkakill.MOIT.DMS.in";
    private static final String OUT = "kafkakill.MOIT.DMS.out";

    @Test
    void aGatewayHaltedBetweenTheKafkaCommitAndTheDatabaseCommitDeliversEachKafkaDeliveryOnce(
            @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        String topic = "kafkakill.MPS.C03." + UUID.randomUUID() + ".out";
        Path registry = dir.resolve("agencies.yaml");
        String flow = Files.readString(Path.of(FlowSupport.REGISTRY), StandardCharsets.UTF_8);
        Files.writeString(registry, flow
                .replace("inbound: flow.MOIT.DMS.in, outbound: flow.MOIT.DMS.out", "inbound: " + IN + ", outbound: " + OUT)
                .replace("inbound: flow.MPS.C03.in, outbound: flow.MPS.C03.out", "inbound: flow.MPS.C03.in, outbound: " + topic),
                StandardCharsets.UTF_8);
        assertThat(Files.readString(registry)).contains(IN).contains(topic);

        shared().execute("create database " + DATABASE);
        Map<String, byte[]> notices = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode notice = notice("MOIT.DMS", "MPS.C03");
            notices.put(notice.get("messageId").asText(), bytes(notice));
        }
        GatewayJvm.sendTogether(IN, notices.values());

        Process first = start(registry, dir.resolve("first.log"), true);
        try {
            assertThat(first.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as("the gateway halted; its log: "
                    + dir.resolve("first.log")).isTrue();
            assertThat(first.exitValue()).as(GatewayJvm.tail(dir.resolve("first.log"))).isEqualTo(KafkaDeliveries.HALT_STATUS);
        } finally {
            first.destroyForcibly();
        }
        JdbcTemplate db = database();
        List<String> deliveries = new ArrayList<>();
        for (String id : notices.keySet()) {
            deliveries.add(db.queryForObject("select d.id::text from delivery d join message m on m.seq = d.message_seq"
                    + " where m.message_id = ?::uuid and d.recipient = 'MPS.C03'", String.class, id));
        }
        // The kill came after the Kafka commit, before the database's: on the topic, PENDING, the
        // intents kept. (The notices share an order key: a round takes one of them, the others wait.)
        List<String> halted = committed(topic);
        assertThat(halted).as("the halted round's records").isNotEmpty().isSubsetOf(deliveries).doesNotHaveDuplicates();
        for (String d : halted) {
            assertThat(db.queryForObject("select status from delivery where id = ?::uuid", String.class, d))
                    .isEqualTo("PENDING");
            assertThat(db.queryForObject("select count(*) from kafka_send_intent where delivery_id = ?::uuid",
                    Integer.class, d)).as("intent of %s", d).isEqualTo(1);
        }

        Process second = start(registry, dir.resolve("second.log"), false);
        try {
            for (String d : deliveries) {
                await().atMost(WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(second.isAlive()).as(GatewayJvm.tail(dir.resolve("second.log"))).isTrue();
                    assertThat(db.queryForObject("select status from delivery where id = ?::uuid", String.class, d))
                            .isEqualTo("DELIVERED");
                });
            }
            assertThat(committed(topic)).as("each delivery once on the recipient's topic")
                    .containsExactlyInAnyOrderElementsOf(deliveries);
            for (String d : deliveries) {
                // Found on the topic, not sent again: the halted round's; the others sent as usual.
                assertThat(db.queryForList("select detail->>'note' from audit where action = 'DELIVERED'"
                        + " and detail->>'deliveryId' = ?", String.class, d)).as("audited delivered once: %s", d)
                        .containsExactly(halted.contains(d) ? KafkaDeliveries.FOUND_NOTE : null);
                assertThat(db.queryForObject("select count(*) from kafka_send_intent where delivery_id = ?::uuid",
                        Integer.class, d)).isZero();
            }
            assertThat(AuditLog.verify(db.getDataSource()).ok()).isTrue();
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    /** The gateway in a JVM of its own, on the test's class path, with the flow tests' settings. */
    private static Process start(Path registry, Path log, boolean halt) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("lienthong.registry", registry.toAbsolutePath().toString());
        properties.put("spring.datasource.url", ownUrl());
        properties.put("server.port", String.valueOf(GatewayJvm.freePort()));
        properties.put(KafkaDeliveries.HALT_AFTER_KAFKA_COMMIT, String.valueOf(halt));
        // A short settle time: the halted round's transaction is committed already.
        properties.put("lienthong.dispatch.kafka-transaction-timeout", "10s");
        properties.put("lienthong.dispatch.kafka-settle-margin", "2s");
        properties.put("lienthong.ingress.jms-batch-consumers", "1");
        return GatewayJvm.start(properties, log);
    }

    /** The delivery ids of every committed record on the topic. */
    private static List<String> committed(String topic) {
        return CommittedRecords.deliveryIds(topic);
    }

    /** This test's own database (migrated by the gateway it starts). */
    private static JdbcTemplate database() {
        return GatewayJvm.database(ownUrl());
    }

    /** The stack's shared database, where this test's own is created. */
    private static JdbcTemplate shared() {
        return GatewayJvm.database(GatewayJvm.sharedUrl());
    }

    private static String ownUrl() {
        String url = GatewayJvm.sharedUrl();
        return url.substring(0, url.lastIndexOf('/') + 1) + DATABASE;
    }
}

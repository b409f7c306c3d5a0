package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.cluster.ClusterSettings;
import vn.lienthong.gateway.cluster.FolderLeadership;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * Three gateway instances (Spring contexts in one JVM) on one PostgreSQL, Kafka, Artemis and SFTP
 * server: each SFTP folder is polled by one instance, elected through Spring Integration's JDBC
 * lock registry; a lock left by a dead instance lapses after its TTL; when the leader stops, another
 * takes the folder over and reads a file dropped after; no file is read twice. Kafka records of a
 * three-partition topic and JMS messages of one queue spread over the instances; every delivery is
 * sent once; the audit chain verifies.
 */
class ScaleOutTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String SFTP_ROUTE = "ingress-sftp-MOIT.DMS";
    private static final String KAFKA_ROUTE = "ingress-kafka-MOIT.DMS";
    private static final String JMS_ROUTE = "ingress-jms-MOIT.DMS";
    private static final String TOPIC = "flow.MOIT.DMS.topic.in";
    private static final String QUEUE = "flow.MOIT.DMS.in";
    /** The lock TTL of this test (the default is 10 s): a dead leader's folder is taken over after it. */
    private static final String TTL = "3s";

    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterAll
    static void stopAll() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void eachFolderHasOnePollerAndTheLoadSpreads() throws Exception {
        // A three-partition inbound topic, so that three consumers of one group each get a share.
        try (Admin admin = kafkaAdmin()) {
            if (admin.listTopics().names().get().contains(TOPIC)) {
                int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
                if (partitions < 3) {
                    admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(3))).all().get();
                }
            } else {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
            }
        }
        // The schema as the first instance would migrate it (the lock table must be there for the dead instance's row).
        org.flywaydb.core.Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        JdbcTemplate db = new JdbcTemplate(dataSource());
        // An instance that died a moment ago still holds the folder's lock: it lapses after the TTL.
        String deadInstance = UUID.randomUUID().toString();
        db.update("delete from int_lock");
        db.update("insert into int_lock (lock_key, region, client_id, created_date) values (?, ?, ?, now())",
                UUIDConverter.getUUID(SFTP_ROUTE).toString(), ClusterSettings.SFTP_REGION, deadInstance);

        for (int i = 0; i < 3; i++) {
            instances.add(start(i));
        }
        // The dead instance's lock lapsed: exactly one live instance polls the folder.
        await().atMost(WITHIN).until(() -> leaders().size() == 1);
        ConfigurableApplicationContext leader = leaders().get(0);
        assertThat(db.queryForObject("select client_id from int_lock where lock_key = ?", String.class,
                UUIDConverter.getUUID(SFTP_ROUTE).toString())).isNotEqualTo(deadInstance);
        for (ConfigurableApplicationContext other : instances) {
            if (other != leader) {
                assertThat(camel(other).getRouteController().getRouteStatus(SFTP_ROUTE)).isEqualTo(ServiceStatus.Stopped);
            }
        }

        List<String> files = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (TestStack.Sftp dms = TestStack.get().sftp("moit-dms")) {
            for (int i = 0; i < 3; i++) {
                ObjectNode overSftp = notice("MOIT.DMS", "MOF.CUSTOMS");
                String name = "scale-" + overSftp.get("messageId").asText() + ".json";
                dms.upload("inbox/" + name, bytes(overSftp));
                files.add(name);
                ids.add(overSftp.get("messageId").asText());
            }
            await().atMost(WITHIN).until(() -> dms.list("done").containsAll(files));

            // The leader goes; another instance takes the folder over and reads a file dropped after.
            instances.remove(leader);
            leader.close();
            await().atMost(WITHIN).until(() -> leaders().size() == 1);
            ObjectNode after = notice("MOIT.DMS", "MOF.CUSTOMS");
            String name = "scale-after-" + after.get("messageId").asText() + ".json";
            dms.upload("inbox/" + name, bytes(after));
            files.add(name);
            ids.add(after.get("messageId").asText());
            await().atMost(WITHIN).until(() -> dms.list("done").containsAll(files));
            assertThat(dms.list("inbox")).doesNotContainAnyElementsOf(files);
            // One receipt file (and its signatures) per input: none written twice under another name.
            List<String> outbox = dms.list("outbox");
            for (String file : files) {
                String base = file.substring(0, file.length() - ".json".length());
                assertThat(outbox.stream().filter(n -> n.startsWith(base) && !n.endsWith(".jws"))).hasSize(1);
            }
        }
        // Each input was recorded once: one message row, and one completed exchange over all instances
        // (the closed leader's count is in the files it moved before going).
        for (String id : ids) {
            assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Long.class, id))
                    .isEqualTo(1);
        }
        await().atMost(WITHIN).until(() -> total(completed(SFTP_ROUTE)) >= 1);
        assertThat(total(completed(SFTP_ROUTE))).isEqualTo(1);

        // Kafka: one group over three partitions, each of the two remaining instances gets a share.
        startThird();
        awaitGroupOf(instances.size());
        Set<String> kafkaIds = sendKafka(30);
        Set<String> jmsIds = sendJms(30);
        Set<String> all = new java.util.HashSet<>(kafkaIds);
        all.addAll(jmsIds);
        await().atMost(WITHIN).until(() -> recorded(db, all) == all.size());
        // An exchange completes after its commit (its receipt is sent then): wait for the counts to settle.
        await().atMost(WITHIN).until(() -> total(completed(JMS_ROUTE)) >= jmsIds.size());
        Map<String, Long> kafkaShare = completed(KAFKA_ROUTE);
        Map<String, Long> jmsShare = completed(JMS_ROUTE);
        System.out.println("scale-out: Kafka exchanges (batches) per instance " + kafkaShare
                + ", JMS messages per instance " + jmsShare);
        assertThat(kafkaShare.values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(jmsShare.values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(total(jmsShare)).isEqualTo(jmsIds.size());

        // Dispatch on three instances: every delivery delivered, by exactly one successful attempt.
        Set<String> everything = new java.util.HashSet<>(all);
        everything.addAll(ids);
        await().atMost(WITHIN).until(() -> delivered(db, everything) == everything.size());
        assertThat(db.queryForList("select d.id from delivery d join message m on m.seq = d.message_seq "
                + "where m.message_id::text = any(?) and (select count(*) from delivery_attempt_history a "
                + "where a.delivery_id = d.id and a.outcome = 'DELIVERED') <> 1", String.class,
                (Object) everything.toArray(String[]::new))).isEmpty();
        assertThat(AuditLog.verify(dataSource())).isInstanceOf(AuditVerification.Ok.class);
    }

    private void startThird() {
        instances.add(start(3));
    }

    private static ConfigurableApplicationContext start(int n) {
        Map<String, Object> properties = new LinkedHashMap<>(FlowSupport.properties());
        properties.put("server.port", "0");
        properties.put("camel.main.name", "lienthong-" + n);
        properties.put("lienthong.cluster.lock-ttl", TTL);
        properties.put("lienthong.cluster.heartbeat", "500ms");
        properties.put("spring.jmx.default-domain", "lienthong-" + n);
        return new SpringApplicationBuilder(GatewayApplication.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    /** The live instances whose election made them the folder's poller, its route started. */
    private static List<ConfigurableApplicationContext> leaders() {
        return instances.stream()
                .filter(c -> c.getBean(FolderLeadership.class).leads(SFTP_ROUTE))
                .filter(c -> camel(c).getRouteController().getRouteStatus(SFTP_ROUTE) == ServiceStatus.Started)
                .toList();
    }

    private static CamelContext camel(ConfigurableApplicationContext context) {
        return context.getBean(CamelContext.class);
    }

    /** Completed exchanges of a route, per live instance (by Camel context name). */
    private static Map<String, Long> completed(String route) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ConfigurableApplicationContext c : instances) {
            CamelContext camel = camel(c);
            ManagedRouteMBean managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                    .getManagedRoute(route);
            counts.put(camel.getName(), managed.getExchangesCompleted());
        }
        return counts;
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static javax.sql.DataSource dataSource() {
        Map<String, Object> p = TestStack.get().springProperties();
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL((String) p.get("spring.datasource.url"));
        ds.setUser((String) p.get("spring.datasource.username"));
        ds.setPassword((String) p.get("spring.datasource.password"));
        return ds;
    }

    private static Admin kafkaAdmin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().stack().kafkaBootstrap());
        return Admin.create(props);
    }

    /** Waits until the gateway's consumer group has one member per instance, each with partitions. */
    private static void awaitGroupOf(int members) {
        try (Admin admin = kafkaAdmin()) {
            await().atMost(WITHIN).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("lienthong-gateway"))
                        .all().get().get("lienthong-gateway");
                Set<Integer> partitions = group.members().stream()
                        .flatMap(m -> m.assignment().topicPartitions().stream())
                        .filter(tp -> tp.topic().equals(TOPIC)).map(tp -> tp.partition()).collect(Collectors.toSet());
                long withShare = group.members().stream().filter(m -> m.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(TOPIC))).count();
                return withShare == members && partitions.size() == 3;
            });
        }
    }

    /** Records round-robin over the three partitions, each with the sender's token. */
    private static Set<String> sendKafka(int count) throws Exception {
        Set<String> sent = new java.util.HashSet<>();
        try (var producer = TestStack.get().kafkaProducer()) {
            for (int i = 0; i < count; i++) {
                ObjectNode n = notice("MOIT.DMS", "MOF.CUSTOMS");
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, i % 3, null, bytes(n));
                record.headers().add("Authorization", Tokens.bearer("MOIT.DMS").getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
                sent.add(n.get("messageId").asText());
            }
        }
        return sent;
    }

    private static Set<String> sendJms(int count) throws Exception {
        Set<String> sent = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            ObjectNode n = notice("MOIT.DMS", "MOF.CUSTOMS");
            FlowSupport.jmsSend(QUEUE, "MOIT.DMS", bytes(n));
            sent.add(n.get("messageId").asText());
        }
        return sent;
    }

    private static long recorded(JdbcTemplate db, Set<String> ids) {
        return db.queryForObject("select count(*) from message where message_id::text = any(?)", Long.class,
                (Object) ids.toArray(String[]::new));
    }

    private static long delivered(JdbcTemplate db, Set<String> ids) {
        return db.queryForObject("select count(*) from delivery d join message m on m.seq = d.message_seq "
                + "where m.message_id::text = any(?) and d.status in ('DELIVERED', 'ACKNOWLEDGED')", Long.class,
                (Object) ids.toArray(String[]::new));
    }
}

package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.testsupport.CommittedRecords;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * Kafka deliveries exactly once, on the real Kafka and PostgreSQL, without killing a JVM: a round
 * whose Kafka transaction committed but whose outcome never reached the database leaves its send
 * intents; the next round looks the deliveries up on their topic (read committed) and marks them
 * delivered without a second record. An intent whose record is not on the topic (never sent, or
 * in an aborted transaction) is sent. A young intent holds its delivery back. The settle time is
 * zero here (the interrupted rounds' transactions are over when the test goes on).
 */
class KafkaExactlyOnceTest extends DispatchRouteTestSupport {

    private KafkaDeliveries kafka;

    @Override
    protected void doPreSetup() {
        super.doPreSetup();
        kafka = new KafkaDeliveries(bootstrap(), ds, Duration.ofSeconds(10), 2, 1_048_576);
        // The interrupted rounds' transactions are over when a test goes on.
        outbox.withKafkaSettle(Duration.ZERO);
    }

    @AfterEach
    void closeProducers() {
        kafka.close();
    }

    /** The real sender, its Kafka deliveries in transactions on the test stack's Kafka. */
    @Override
    DeliverySender sender(ChannelEndpoints endpoints) {
        return super.sender(endpoints).withKafkaTransactions(kafka);
    }

    @Test
    void anInterruptedRoundsDeliveriesFoundOnTheirTopicAreNotSentAgain() throws Exception {
        String topic = "eo." + UUID.randomUUID();
        List<UUID> deliveries = List.of(record("SBV", topic), record("MOF.CUSTOMS", topic), record("SBV", topic));
        // The database goes away after the first round's Kafka commit: its outcomes are never recorded.
        firstOutcomeLost();
        context.start();

        Exchange lost = template.send(ROUND, exchange -> { });
        assertThat(lost.getException()).hasRootCauseMessage("database gone");
        assertThat(statuses(deliveries)).containsOnly("PENDING");
        assertThat(intents(deliveries)).as("the intents survive the round").isEqualTo(3);
        assertThat(committed(topic)).as("the interrupted round's records").hasSize(3);

        Exchange again = template.send(ROUND, exchange -> { });
        assertThat(again.getException()).isNull();

        assertThat(statuses(deliveries)).containsOnly("DELIVERED");
        assertThat(committed(topic)).as("no record sent twice").hasSize(3).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(deliveries.stream().map(UUID::toString).toList());
        assertThat(intents(deliveries)).isZero();
        assertThat(db.queryForList("select detail->>'note' from audit where action = 'DELIVERED'", String.class))
                .hasSize(3).containsOnly(KafkaDeliveries.FOUND_NOTE);
        assertThat(AuditLog.verify(ds).ok()).isTrue();
    }

    @Test
    void anIntentWhoseRecordIsNotOnTheTopicIsSent() throws Exception {
        String topic = "eo." + UUID.randomUUID();
        UUID delivery = record("SBV", topic);
        db.update("insert into kafka_send_intent (delivery_id, topic, at) values (?, ?, now() - interval '1 hour')",
                delivery, topic);
        roundsByHand();
        context.start();

        assertThat(template.send(ROUND, exchange -> { }).getException()).isNull();

        assertThat(statuses(List.of(delivery))).containsExactly("DELIVERED");
        assertThat(committed(topic)).containsExactly(delivery.toString());
        assertThat(intents(List.of(delivery))).isZero();
        assertThat(db.queryForList("select detail->>'note' from audit where action = 'DELIVERED'", String.class))
                .containsExactly((String) null);
    }

    @Test
    void aRecordOfAnAbortedTransactionDoesNotCountAsDelivered() throws Exception {
        String topic = "eo." + UUID.randomUUID();
        UUID delivery = record("SBV", topic);
        abortedRecord(topic, delivery);
        db.update("insert into kafka_send_intent (delivery_id, topic, at) values (?, ?, now() - interval '1 second')",
                delivery, topic);
        roundsByHand();
        context.start();

        assertThat(template.send(ROUND, exchange -> { }).getException()).isNull();

        assertThat(statuses(List.of(delivery))).containsExactly("DELIVERED");
        assertThat(committed(topic)).as("sent: the aborted record was not a delivery").containsExactly(delivery.toString());
        assertThat(db.queryForList("select detail->>'note' from audit where action = 'DELIVERED'", String.class))
                .containsExactly((String) null);
    }

    @Test
    void aDeliveryWithAYoungIntentIsNotClaimedUntilItSettles() throws Exception {
        String topic = "eo." + UUID.randomUUID();
        UUID delivery = record("SBV", topic);
        db.update("insert into kafka_send_intent (delivery_id, topic) values (?, ?)", delivery, topic);
        JdbcOutbox settling = new JdbcOutbox(ds, transactions, new RetryPolicy(3, Duration.ZERO, 1.0, Duration.ZERO))
                .withKafkaSettle(Duration.ofHours(1));
        TransactionTemplate tx = new TransactionTemplate(transactions);
        List<DueDelivery> young = tx.execute(s -> settling.claim(10));
        assertThat(young).as("its round's transaction may still be open").isEmpty();
        db.update("update kafka_send_intent set at = now() - interval '2 hours' where delivery_id = ?", delivery);
        List<DueDelivery> settled = tx.execute(s -> settling.claim(10));
        assertThat(settled).extracting(DueDelivery::id).containsExactly(delivery);
    }

    /** A recorded message with one Kafka delivery to {@code topic}; returns the delivery's id. */
    private UUID record(String recipient, String topic) {
        return record(recipient, ChannelKind.KAFKA, topic);
    }

    private int intents(List<UUID> deliveries) {
        int n = 0;
        for (UUID id : deliveries) {
            n += db.queryForObject("select count(*) from kafka_send_intent where delivery_id = ?", Integer.class, id);
        }
        return n;
    }

    /** A record naming the delivery, written in a Kafka transaction that is then aborted. */
    private static void abortedRecord(String topic, UUID delivery) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "eo-test-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, "{}".getBytes(StandardCharsets.UTF_8));
            r.headers().add(DeliverySender.HEADER_DELIVERY_ID, delivery.toString().getBytes(StandardCharsets.UTF_8));
            producer.send(r);
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** The delivery ids of every committed record on the topic. */
    static List<String> committed(String topic) {
        return CommittedRecords.deliveryIds(topic);
    }

    private static String bootstrap() {
        return TestStack.get().stack().kafkaBootstrap();
    }
}

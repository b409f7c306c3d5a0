package vn.lienthong.gateway.dispatch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka deliveries exactly once (README "Kafka deliveries exactly once"). A round's Kafka
 * deliveries are one Kafka transaction on a transactional producer (a small pool of them, one
 * transaction at a time on each, so concurrent rounds do not wait on each other). Before the
 * transaction begins, a send intent per delivery is committed in {@code kafka_send_intent} on a
 * connection of its own; the round's outcome step deletes them in the round's transaction
 * ({@link JdbcOutbox}). An intent that survives means a round that sent (maybe) and never recorded
 * its outcome: the claim leaves the delivery alone until the intent is older than the settle time
 * (the transaction timeout and a margin: by then the coordinator has committed or aborted that
 * transaction), then this class looks the delivery up on its topic with a {@code read_committed}
 * consumer: found, it is delivered without a second send; not found, it is sent.
 */
public final class KafkaDeliveries implements AutoCloseable {

    /**
     * Fault injection for tests: the JVM halts right after a round's Kafka transaction committed,
     * before the round's database commit (as a {@code kill -9} would there).
     */
    public static final String HALT_AFTER_KAFKA_COMMIT = "lienthong.test.halt-after-kafka-commit";
    /** The exit status of that halt. */
    public static final int HALT_STATUS = 88;
    /** What the audit says of a delivery found on its topic instead of being sent again. */
    public static final String FOUND_NOTE = "found on the topic after an interrupted round";
    /**
     * How far before its intent a delivery's record is looked for: a record's timestamp is the
     * gateway host's clock, the intent's the database's; the margin absorbs their difference.
     */
    static final Duration LOOKBACK = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveries.class);

    private final Map<String, Object> producerConfig;
    private final Map<String, Object> lookupConfig;
    private final DataSource dataSource;
    private final Duration transactionTimeout;
    private final BlockingQueue<Slot> free;
    private final List<Slot> slots = new ArrayList<>();
    private volatile boolean haltAfterCommit;

    /** One transactional producer of the pool, made when first needed (and again after a fatal error). */
    private static final class Slot {
        final String transactionalId;
        KafkaProducer<byte[], byte[]> producer;

        Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }
    }

    /**
     * Deliveries to the brokers at {@code bootstrap}: {@code producers} transactional producers with
     * ids {@code lienthong-dispatch-<a random id of this start>-<n>}, transactions of at most
     * {@code transactionTimeout}, records up to {@code maxRequestSize}; intents on {@code dataSource}.
     */
    public KafkaDeliveries(String bootstrap, DataSource dataSource, Duration transactionTimeout, int producers,
            int maxRequestSize) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.transactionTimeout = Objects.requireNonNull(transactionTimeout, "transactionTimeout");
        if (producers < 1) {
            throw new IllegalArgumentException("lienthong.dispatch.kafka-producers < 1");
        }
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // The limits of ChannelEndpoints.kafkaOutbound, which Camel's producer used before.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        this.producerConfig = Map.copyOf(p);
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "lienthong-dispatch-lookup");
        this.lookupConfig = Map.copyOf(c);
        String start = UUID.randomUUID().toString().substring(0, 8);
        this.free = new ArrayBlockingQueue<>(producers);
        for (int i = 1; i <= producers; i++) {
            Slot slot = new Slot("lienthong-dispatch-" + start + "-" + i);
            slots.add(slot);
            free.add(slot);
        }
    }

    /** With {@code halt}, the JVM halts after each Kafka commit ({@link #HALT_AFTER_KAFKA_COMMIT}; tests only). */
    public KafkaDeliveries haltAfterCommit(boolean halt) {
        this.haltAfterCommit = halt;
        return this;
    }

    /**
     * Gives each of the round's Kafka deliveries an outcome: those with a surviving intent looked up
     * first (found: delivered), the others sent in one transaction, their records made by
     * {@code records} (in claim order, so per-key order holds). Never throws.
     */
    void deliver(DispatchRound round, List<DueDelivery> deliveries,
            Function<DueDelivery, ProducerRecord<byte[], byte[]>> records) {
        List<DueDelivery> toSend;
        try {
            toSend = settle(round, deliveries);
        } catch (SQLException | RuntimeException e) {
            // Intents unknown: nothing is sent; any old intent is kept for the next attempt.
            String error = "Kafka send intents not read: " + e.getClass().getSimpleName();
            deliveries.forEach(d -> round.outcome(new DeliveryOutcome.Failed(d.id(), error)));
            return;
        }
        if (!toSend.isEmpty()) {
            sendInTransaction(round, toSend, records);
        }
    }

    /**
     * The deliveries to send: those without an intent, and those whose intent's round left nothing
     * on the topic; the others get their outcome here (found: delivered; topic not readable: an
     * attempt failed, the intent kept).
     */
    private List<DueDelivery> settle(DispatchRound round, List<DueDelivery> deliveries) throws SQLException {
        Map<UUID, Instant> intents = intents(deliveries);
        if (intents.isEmpty()) {
            return deliveries;
        }
        Map<String, Instant> since = new LinkedHashMap<>();
        Map<String, Set<UUID>> wanted = new HashMap<>();
        for (DueDelivery d : deliveries) {
            Instant at = intents.get(d.id());
            if (at != null) {
                since.merge(d.address(), at, (a, b) -> a.isBefore(b) ? a : b);
                wanted.computeIfAbsent(d.address(), t -> new HashSet<>()).add(d.id());
            }
        }
        Set<UUID> found = new HashSet<>();
        Set<UUID> unknown = new HashSet<>();
        for (Map.Entry<String, Instant> topic : since.entrySet()) {
            Set<UUID> ids = wanted.get(topic.getKey());
            try {
                found.addAll(lookUp(topic.getKey(), topic.getValue().minus(LOOKBACK), ids));
            } catch (RuntimeException e) {
                LOG.warn("Kafka topic {} not read to its end to look up {} deliveries of interrupted rounds: {}",
                        topic.getKey(), ids.size(), e.getClass().getName());
                unknown.addAll(ids);
            }
        }
        List<DueDelivery> toSend = new ArrayList<>();
        for (DueDelivery d : deliveries) {
            if (found.contains(d.id())) {
                round.outcome(new DeliveryOutcome.Delivered(d.id(), FOUND_NOTE));
            } else if (unknown.contains(d.id())) {
                round.outcome(new DeliveryOutcome.Failed(d.id(),
                        "an interrupted round's send could not be looked up on the topic"));
            } else {
                toSend.add(d);
            }
        }
        if (!found.isEmpty()) {
            LOG.info("{} Kafka deliveries of interrupted rounds found on their topics: not sent again", found.size());
        }
        return toSend;
    }

    /** One transaction for all, or one each when a record of the batch was refused (so one bad record blocks no other). */
    private void sendInTransaction(DispatchRound round, List<DueDelivery> deliveries,
            Function<DueDelivery, ProducerRecord<byte[], byte[]>> records) {
        Slot slot;
        try {
            slot = free.poll(transactionTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deliveries.forEach(d -> round.outcome(new DeliveryOutcome.Failed(d.id(), "interrupted")));
            return;
        }
        if (slot == null) {
            deliveries.forEach(d -> round.outcome(new DeliveryOutcome.Failed(d.id(), "no Kafka producer free")));
            return;
        }
        try {
            Sent sent = send(slot, deliveries, records);
            if (sent.kind() == Kind.REFUSED && deliveries.size() > 1) {
                for (DueDelivery d : deliveries) {
                    Sent one = send(slot, List.of(d), records);
                    one.record(round, List.of(d));
                    forgetIfNotSent(one, List.of(d));
                }
            } else {
                sent.record(round, deliveries);
                forgetIfNotSent(sent, deliveries);
            }
        } finally {
            free.add(slot);
        }
    }

    /** How a transaction ended. */
    private enum Kind {
        /** Committed: delivered. */
        COMMITTED,
        /** Aborted (or never begun) because a record was refused: certainly not delivered. */
        REFUSED,
        /** Aborted (or never begun) because Kafka did not answer: certainly not delivered. */
        ABORTED,
        /** Its end is unknown (the commit's answer lost, the abort failed): the intents stay. */
        UNSETTLED
    }

    /** A transaction's end and, unless committed, why. */
    private record Sent(Kind kind, String error) {

        static final Sent COMMITTED = new Sent(Kind.COMMITTED, null);

        void record(DispatchRound round, List<DueDelivery> deliveries) {
            for (DueDelivery d : deliveries) {
                round.outcome(kind == Kind.COMMITTED ? new DeliveryOutcome.Delivered(d.id())
                        : new DeliveryOutcome.Failed(d.id(), error));
            }
        }
    }

    /**
     * The intents of a transaction that certainly sent nothing are removed at once (an intent only
     * delays the next attempt); if that fails, the next attempt looks them up, harmlessly.
     */
    private void forgetIfNotSent(Sent sent, List<DueDelivery> deliveries) {
        if (sent.kind() != Kind.REFUSED && sent.kind() != Kind.ABORTED) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from kafka_send_intent where delivery_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", deliveries.stream().map(DueDelivery::id).toArray()));
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("intents of an aborted Kafka transaction not removed: {}", e.getClass().getName());
        }
    }

    private Sent send(Slot slot, List<DueDelivery> deliveries, Function<DueDelivery, ProducerRecord<byte[], byte[]>> records) {
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(deliveries.size());
        try {
            for (DueDelivery d : deliveries) {
                batch.add(records.apply(d));
            }
        } catch (RuntimeException e) {
            return new Sent(Kind.REFUSED, "Kafka record not made: " + e.getClass().getSimpleName());
        }
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = producer(slot);
        } catch (RuntimeException e) {
            return new Sent(Kind.ABORTED, "Kafka transactional producer not ready: " + rootMessage(e));
        }
        try {
            writeIntents(deliveries);
        } catch (SQLException | RuntimeException e) {
            // Nothing sent; an intent that did get committed only delays the next attempt.
            return new Sent(Kind.ABORTED, "Kafka send intents not written: " + e.getClass().getSimpleName());
        }
        boolean retriable;
        String error;
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> record : batch) {
                producer.send(record);
            }
            // Flushes and throws if a record failed: the transaction is then aborted below.
            producer.commitTransaction();
            if (haltAfterCommit) {
                LOG.warn("{}: halting after the Kafka commit of {} deliveries", HALT_AFTER_KAFKA_COMMIT, batch.size());
                Runtime.getRuntime().halt(HALT_STATUS);
            }
            return Sent.COMMITTED;
        } catch (RuntimeException e) {
            retriable = retriable(e);
            error = "Kafka transaction not committed: " + rootMessage(e);
        }
        try {
            producer.abortTransaction();
            return new Sent(retriable ? Kind.ABORTED : Kind.REFUSED, error);
        } catch (RuntimeException abort) {
            // The transaction's end is the coordinator's now (commit in flight, or abort at the
            // timeout); a new producer with the same transactional id will close it.
            LOG.warn("Kafka transaction of {} deliveries neither committed nor aborted ({}): its intents stay",
                    deliveries.size(), abort.getClass().getName());
            discard(slot);
            return new Sent(Kind.UNSETTLED, error);
        }
    }

    private static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private KafkaProducer<byte[], byte[]> producer(Slot slot) {
        if (slot.producer == null) {
            Map<String, Object> config = new HashMap<>(producerConfig);
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, slot.transactionalId);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, slot.transactionalId);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                    new ByteArraySerializer());
            try {
                // Fences an earlier producer of this id and ends its open transaction.
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
            slot.producer = producer;
        }
        return slot.producer;
    }

    private static void discard(Slot slot) {
        KafkaProducer<byte[], byte[]> producer = slot.producer;
        slot.producer = null;
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                // closing a broken producer is best effort
            }
        }
    }

    /** The surviving intents of these deliveries, by delivery id. */
    private Map<UUID, Instant> intents(List<DueDelivery> deliveries) throws SQLException {
        Map<UUID, Instant> at = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select delivery_id, at from kafka_send_intent where delivery_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", deliveries.stream().map(DueDelivery::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    at.put(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        return at;
    }

    /** An intent per delivery, committed before its send (an older one of the delivery replaced). */
    private void writeIntents(List<DueDelivery> deliveries) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into kafka_send_intent (delivery_id, topic, at)"
                    + " values (?, ?, now()) on conflict (delivery_id) do update set topic = excluded.topic, at = now()")) {
                for (DueDelivery d : deliveries) {
                    ps.setObject(1, d.id());
                    ps.setString(2, d.address());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * The ids among {@code wanted} of records on {@code topic} from {@code since} on, read committed
     * up to the end each partition had when the look-up began (an open transaction of another round
     * is waited for, up to the transaction timeout; then the look-up fails: never send when unsure).
     */
    Set<UUID> lookUp(String topic, Instant since, Set<UUID> wanted) {
        long deadline = System.nanoTime() + transactionTimeout.toNanos();
        Duration wait = transactionTimeout;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(lookupConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()); Admin admin = Admin.create(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, lookupConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, wait);
            if (infos == null || infos.isEmpty()) {
                return Set.of();
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> {
                times.put(p, since.toEpochMilli());
                latest.put(p, OffsetSpec.latest());
            });
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, wait);
            // The high watermark (read uncommitted): every record of the interrupted round lies below it.
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> end = new HashMap<>();
            for (TopicPartition p : partitions) {
                long e = ends.get(p).offset();
                OffsetAndTimestamp start = starts.get(p);
                end.put(p, e);
                consumer.seek(p, start == null ? e : Math.min(start.offset(), e));
            }
            Set<UUID> found = new HashSet<>();
            while (found.size() < wanted.size() && !reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " not read to its end within " + transactionTimeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(DeliverySender.HEADER_DELIVERY_ID);
                    if (h != null) {
                        UUID id = uuid(new String(h.value(), StandardCharsets.UTF_8));
                        if (id != null && wanted.contains(id)) {
                            found.add(id);
                        }
                    }
                }
            }
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the end offsets of " + topic + " not known", e);
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Closes the producers (an open transaction is aborted by the coordinator at its timeout). */
    @Override
    public void close() {
        for (Slot slot : slots) {
            discard(slot);
        }
    }
}

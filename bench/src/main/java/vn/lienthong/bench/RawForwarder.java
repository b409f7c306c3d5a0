package vn.lienthong.bench;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw pass-through the gateway is measured against: a plain transacted JMS consumer that
 * forwards each message to a plain Kafka producer (acks=all, idempotent, async sends) and commits
 * the JMS session every {@code ackBatch} messages, right after flushing the producer; so nothing is
 * acknowledged before Kafka has it, the gateway's durability without its checks and journal.
 */
final class RawForwarder {

    /** The Kafka header carrying the sequence number copied from {@link JmsLoad#SEQ_PROPERTY}. */
    static final String SEQ_HEADER = "bench-seq";

    private final ConnectionFactory factory;
    private final String queue;
    private final String bootstrap;
    private final String topic;
    private final int messages;
    private final int ackBatch;
    private final AtomicInteger committed = new AtomicInteger();
    private final Thread thread;
    private volatile long firstConsumedNanos;
    private volatile Throwable failure;
    private volatile boolean stop;

    RawForwarder(ConnectionFactory factory, String queue, String bootstrap, String topic, int messages, int ackBatch) {
        this.factory = factory;
        this.queue = queue;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.messages = messages;
        this.ackBatch = ackBatch;
        this.thread = new Thread(this::run, "bench-raw-forwarder");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // The gateway's Kafka endpoints linger 5 ms too (ChannelEndpoints.kafkaOutbound).
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
                Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            AtomicReference<Exception> sendError = new AtomicReference<>();
            Callback callback = (metadata, e) -> {
                if (e != null) {
                    sendError.compareAndSet(null, e);
                }
            };
            int pending = 0;
            int done = 0;
            while (done + pending < messages && !stop) {
                // Short waits while a batch is open: an idle queue must not hold acknowledged work back.
                Message message = consumer.receive(pending > 0 ? 10 : 200);
                if (message == null) {
                    if (pending > 0) {
                        commit(producer, session, sendError);
                        done += pending;
                        pending = 0;
                        committed.set(done);
                    }
                    continue;
                }
                if (firstConsumedNanos == 0) {
                    firstConsumedNanos = System.nanoTime();
                }
                byte[] body = ((TextMessage) message).getText().getBytes(StandardCharsets.UTF_8);
                RecordHeaders headers = new RecordHeaders();
                headers.add(SEQ_HEADER, ByteBuffer.allocate(4).putInt(message.getIntProperty(JmsLoad.SEQ_PROPERTY)).array());
                producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, body, headers), callback);
                if (++pending >= ackBatch) {
                    commit(producer, session, sendError);
                    done += pending;
                    pending = 0;
                    committed.set(done);
                }
            }
            if (pending > 0) {
                commit(producer, session, sendError);
                committed.set(done + pending);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** The batched acknowledgement: everything sent is on Kafka before the JMS commit. */
    private static void commit(KafkaProducer<byte[], byte[]> producer, Session session,
            AtomicReference<Exception> sendError) throws Exception {
        producer.flush();
        Exception error = sendError.get();
        if (error != null) {
            session.rollback();
            throw error;
        }
        session.commit();
    }

    /** Messages forwarded and acknowledged so far. */
    int committed() {
        return committed.get();
    }

    long firstConsumedNanos() {
        return firstConsumedNanos;
    }

    /** Why the forwarder stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    /** Stops forwarding (if not done) and waits for the thread. */
    void stopAndJoin(long millis) throws InterruptedException {
        stop = true;
        thread.join(millis);
    }
}

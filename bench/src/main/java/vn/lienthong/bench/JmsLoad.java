package vn.lienthong.bench;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One producer thread putting persistent notices on a queue in transacted batches (a commit per
 * batch keeps the producer well ahead of either path), noting each message's JMSTimestamp; each
 * message carries the sender's token when there is one, as an agency's system sends it.
 */
final class JmsLoad {

    /** The JMS property carrying the message's sequence number, which the raw path forwards. */
    static final String SEQ_PROPERTY = "benchSeq";

    private final ConnectionFactory factory;
    private final String queue;
    private final BenchMessages messages;
    private final String[] ids;
    private final int batch;
    /** The sender's {@code Bearer <token>} on every message (string property Authorization), or null. */
    private final String authorization;
    private final long[] jmsTimestamps;
    private final AtomicInteger committed = new AtomicInteger();
    private final Thread thread;
    private volatile long firstSendNanos;
    private volatile long lastCommitNanos;
    private volatile Throwable failure;
    private volatile boolean stop;
    /** Messages per second at most (paced per commit), or 0 for as fast as the broker takes them. */
    private volatile double ratePerSecond;

    JmsLoad(ConnectionFactory factory, String queue, BenchMessages messages, String[] ids, int batch,
            String authorization) {
        this.factory = factory;
        this.authorization = authorization;
        this.queue = queue;
        this.messages = messages;
        this.ids = ids;
        this.batch = batch;
        this.jmsTimestamps = new long[ids.length];
        this.thread = new Thread(this::run, "bench-producer-" + queue);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Paces the producer to at most this many messages per second (background traffic); call before {@link #start}. */
    JmsLoad limitRate(double perSecond) {
        this.ratePerSecond = perSecond;
        return this;
    }

    private void run() {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            firstSendNanos = System.nanoTime();
            for (int i = 0; i < ids.length && !stop; i++) {
                TextMessage message = session.createTextMessage(messages.body(ids[i]));
                message.setIntProperty(SEQ_PROPERTY, i);
                if (authorization != null) {
                    message.setStringProperty("Authorization", authorization);
                }
                producer.send(message);
                jmsTimestamps[i] = message.getJMSTimestamp();
                if ((i + 1) % batch == 0 || i == ids.length - 1) {
                    session.commit();
                    committed.set(i + 1);
                    pace(i + 1);
                }
            }
            lastCommitNanos = System.nanoTime();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Waits until {@code sent} messages are due at the limited rate, if there is one. */
    private void pace(int sent) throws InterruptedException {
        double rate = ratePerSecond;
        if (rate <= 0) {
            return;
        }
        long due = firstSendNanos + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** Messages committed to the queue so far. */
    int committed() {
        return committed.get();
    }

    /** Why the producer stopped early, or null. */
    Throwable failure() {
        return failure;
    }

    long firstSendNanos() {
        return firstSendNanos;
    }

    /** When the last batch was committed; 0 while sending. */
    long lastCommitNanos() {
        return lastCommitNanos;
    }

    /** The JMSTimestamp of each message by sequence number; read only after {@link #stopAndJoin}. */
    long[] jmsTimestamps() {
        return jmsTimestamps;
    }

    /** Stops sending (if not done) and waits for the thread. */
    void stopAndJoin(long millis) throws InterruptedException {
        stop = true;
        thread.join(millis);
    }
}

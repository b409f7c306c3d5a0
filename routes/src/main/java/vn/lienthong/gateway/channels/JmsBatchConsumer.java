package vn.lienthong.gateway.channels;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer threads of a {@code jms-batch} endpoint: each owns a connection and a transacted
 * session, takes up to {@code size} messages (waiting at most {@code timeout} after the first),
 * runs the route on them as one exchange and commits (or, on failure, rolls back: the broker hands
 * the whole batch again). After a failed batch the thread takes as many messages one at a time, so
 * one input the route cannot take does not hold back its neighbours.
 */
final class JmsBatchConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(JmsBatchConsumer.class);
    /** How long a receive waits for a first message before it checks whether to stop. */
    private static final long IDLE_WAIT_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1_000;

    private final ConnectionFactory connectionFactory;
    private final String queue;
    private final int size;
    private final Duration timeout;
    private final int consumers;
    private volatile boolean running;
    private volatile CountDownLatch stopped = new CountDownLatch(0);
    private ExecutorService executor;

    JmsBatchConsumer(JmsBatchEndpoint endpoint, Processor processor, ConnectionFactory connectionFactory,
            String queue, int size, Duration timeout, int consumers) {
        super(endpoint, processor);
        this.connectionFactory = connectionFactory;
        this.queue = queue;
        this.size = size;
        this.timeout = timeout;
        this.consumers = consumers;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        stopped = new CountDownLatch(consumers);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "JmsBatch[" + queue + "]", consumers);
        for (int i = 0; i < consumers; i++) {
            executor.execute(this::consume);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        // Each thread finishes (commits or rolls back) the batch it holds, then closes its session.
        if (!stopped.await(30, TimeUnit.SECONDS)) {
            LOG.warn("jms-batch consumers of {} did not stop within 30 s", queue);
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        super.doStop();
    }

    private void consume() {
        try {
            while (running) {
                try (Connection connection = connectionFactory.createConnection()) {
                    connection.start();
                    try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                            MessageProducer producer = session.createProducer(null)) {
                        batches(session, consumer, producer);
                    }
                } catch (JMSException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("jms-batch consumer of {}: {}; reconnecting in {} ms", queue, e.toString(), RECONNECT_MILLIS);
                    pause();
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void batches(Session session, MessageConsumer consumer, MessageProducer producer) throws JMSException {
        int singlesLeft = 0;
        while (running) {
            int max = singlesLeft > 0 ? 1 : size;
            List<Message> messages = receive(consumer, max);
            if (messages.isEmpty()) {
                continue;
            }
            singlesLeft = Math.max(0, singlesLeft - 1);
            if (!process(session, producer, messages) && messages.size() > 1) {
                singlesLeft = messages.size();
            }
        }
    }

    /** Up to {@code max} messages: waits for the first, then at most the timeout for the rest. */
    private List<Message> receive(MessageConsumer consumer, int max) throws JMSException {
        Message first = consumer.receive(IDLE_WAIT_MILLIS);
        if (first == null) {
            return List.of();
        }
        List<Message> messages = new ArrayList<>(Math.min(max, 1_024));
        messages.add(first);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < max) {
            Message next = consumer.receiveNoWait();
            if (next == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                next = consumer.receive(left);
                if (next == null) {
                    break;
                }
            }
            messages.add(next);
        }
        return messages;
    }

    /** Runs the route on one batch; commits when it completes. Returns whether it committed. */
    private boolean process(Session session, MessageProducer producer, List<Message> messages) throws JMSException {
        Exchange exchange = createExchange(false);
        boolean committed = false;
        try {
            JmsBatch batch = new JmsBatch(session, producer, messages);
            exchange.setProperty(JmsBatch.PROPERTY, batch);
            exchange.getMessage().setBody(batch.messages());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() == null) {
                session.commit();
                committed = true;
            } else {
                LOG.warn("jms-batch of {} messages from {} rolled back, the broker hands it again: {}",
                        messages.size(), queue, exchange.getException().toString());
                session.rollback();
            }
        } finally {
            releaseExchange(exchange, false);
        }
        return committed;
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}

package vn.lienthong.bench;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import vn.lienthong.gateway.receipts.ReceiptSigner;

/**
 * Reads the gateway's receipts off the sender's outbound queue, as the sending agency would, so
 * they do not pile up in the broker, and notices the first REJECTED one: a refused message means
 * the benchmark's messages or registry are wrong, and waiting for it on Kafka would be pointless.
 */
final class ReceiptDrain {

    private final ConnectionFactory factory;
    private final String queue;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final Thread thread;
    private volatile String firstRejected;
    private volatile Throwable failure;
    private volatile boolean stop;

    ReceiptDrain(ConnectionFactory factory, String queue) {
        this.factory = factory;
        this.queue = queue;
        this.thread = new Thread(this::run, "bench-receipts");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            // Lazy acknowledgement: a lost receipt only costs a count, and it keeps the drain cheap.
            Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            while (!stop) {
                Message message = consumer.receive(200);
                if (message == null) {
                    continue;
                }
                received.incrementAndGet();
                String signed = message instanceof TextMessage t ? t.getText() : String.valueOf(message.getBody(Object.class));
                // A receipt is a compact JWS: look inside (the benchmark trusts its own gateway's signature).
                String text = signed == null ? null : readable(signed);
                if (text != null && text.contains("\"REJECTED\"")) {
                    if (rejected.getAndIncrement() == 0) {
                        firstRejected = text;
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private static String readable(String signed) {
        try {
            return new String(ReceiptSigner.payload(signed.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return signed;
        }
    }

    int received() {
        return received.get();
    }

    int rejected() {
        return rejected.get();
    }

    /** The first REJECTED receipt, or null. */
    String firstRejected() {
        return firstRejected;
    }

    Throwable failure() {
        return failure;
    }

    void stopAndJoin(long millis) throws InterruptedException {
        stop = true;
        thread.join(millis);
    }
}

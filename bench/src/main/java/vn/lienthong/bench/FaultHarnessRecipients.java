package vn.lienthong.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vn.lienthong.gateway.dispatch.DeliverySender;
import vn.lienthong.gateway.receipts.ReceiptSigner;

/**
 * The agencies' receiving side, with real consumers: the JMS and Kafka recipients read their
 * outbound queue and topic, the push recipient is an HTTP server (which answers 503 while its
 * outage lasts), and the JMS and Kafka senders read their receipts; the SFTP sender's receipts are
 * the signature files in its outbox. Everything goes into the {@link FaultHarnessLedger}.
 */
final class FaultHarnessRecipients implements AutoCloseable {

    static final String JMS_RECIPIENT_QUEUE = "fault.to.jms.out";
    static final String KAFKA_RECIPIENT_TOPIC = "fault.to.kafka.out";
    static final String JMS_RECEIPTS = "fault.jms.receipts";
    static final String KAFKA_RECEIPTS = "fault.kafka.receipts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultHarnessLedger ledger;
    private final String artemisUrl;
    private final String kafkaBootstrap;
    private final HttpServer push;
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong refusedPushes = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean outage;
    private volatile boolean stop;

    FaultHarnessRecipients(FaultHarnessLedger ledger, String artemisUrl, String kafkaBootstrap) throws IOException {
        this.ledger = ledger;
        this.artemisUrl = artemisUrl;
        this.kafkaBootstrap = kafkaBootstrap;
        this.push = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        push.createContext("/deliveries", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (outage) {
                    refusedPushes.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                String id = exchange.getRequestHeaders().getFirst(DeliverySender.HEADER_MESSAGE_ID);
                if (id == null) {
                    id = messageIdOf(body);
                }
                if (id == null) {
                    ledger.unreadable("push without a message id");
                } else {
                    // Every accepted POST is a copy the recipient holds: a second one is a duplicate.
                    ledger.arrived("FAULT.TO.PUSH", id, "post-" + pushes.incrementAndGet());
                }
                exchange.sendResponseHeaders(202, -1);
            }
        });
        push.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fault-push-recipient");
            t.setDaemon(true);
            return t;
        }));
    }

    /** The push recipient's URL, for the registry. */
    String pushUrl() {
        return "http://127.0.0.1:" + push.getAddress().getPort() + "/deliveries";
    }

    void start() {
        push.start();
        threads.add(jmsReader(JMS_RECIPIENT_QUEUE, (message, text) -> {
            String id = property(message, DeliverySender.HEADER_MESSAGE_ID);
            if (id == null) {
                id = messageIdOf(text.getBytes(StandardCharsets.UTF_8));
            }
            if (id == null) {
                ledger.unreadable("JMS delivery without a message id");
            } else {
                // A broker's redelivery keeps the JMSMessageID; a second send by the gateway has another.
                ledger.arrived("FAULT.TO.JMS", id, property(message, "JMSMessageID"));
            }
        }));
        threads.add(jmsReader(JMS_RECEIPTS, (message, text) -> ledger.receipt(text.getBytes(StandardCharsets.US_ASCII))));
        threads.add(kafkaReader(KAFKA_RECIPIENT_TOPIC, record -> {
            Header h = record.headers().lastHeader(DeliverySender.HEADER_MESSAGE_ID);
            String id = h != null ? new String(h.value(), StandardCharsets.UTF_8) : messageIdOf(record.value());
            if (id == null) {
                ledger.unreadable("Kafka delivery without a message id");
            } else {
                ledger.arrived("FAULT.TO.KAFKA", id, record.partition() + "@" + record.offset());
            }
        }));
        threads.add(kafkaReader(KAFKA_RECEIPTS, record -> ledger.receipt(record.value())));
        threads.forEach(Thread::start);
    }

    /** Takes the push recipient away (503) or brings it back. */
    void outage(boolean on) {
        this.outage = on;
    }

    long refusedPushes() {
        return refusedPushes.get();
    }

    /** Reads the SFTP sender's receipt files (each {@code .jws} holds one signed receipt per line). */
    void readSftpReceipts(Path outbox) throws IOException {
        if (!Files.isDirectory(outbox)) {
            return;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(ReceiptSigner.SIDECAR_EXTENSION))
                    .toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        ledger.receipt(line.getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        push.stop(0);
        for (Thread t : threads) {
            t.join(15_000);
        }
    }

    // ---------------------------------------------------------------- readers

    /** A consumer that reconnects whenever the broker goes (a restart): what it read stays counted. */
    private Thread jmsReader(String queue, BiConsumer<Message, String> onMessage) {
        return daemon("fault-jms-" + queue, () -> {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(artemisUrl);
            while (!stop) {
                try (Connection connection = factory.createConnection()) {
                    connection.start();
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                    while (!stop) {
                        Message message = consumer.receive(500);
                        if (message != null) {
                            String text = message instanceof TextMessage t ? t.getText()
                                    : new String(message.getBody(byte[].class), StandardCharsets.UTF_8);
                            onMessage.accept(message, text);
                        }
                    }
                } catch (Exception e) {
                    pause(Duration.ofSeconds(1));
                }
            }
            factory.close();
        });
    }

    private Thread kafkaReader(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        return daemon("fault-kafka-" + topic, () -> {
            Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "fault-harness-" + topic,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    // As a recipient must read: records of an aborted Kafka transaction are no delivery.
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
            while (!stop) {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (!stop) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            onRecord.accept(record);
                        }
                    }
                } catch (RuntimeException e) {
                    pause(Duration.ofSeconds(1));
                }
            }
        });
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static String property(Message message, String name) {
        try {
            return name.equals("JMSMessageID") ? message.getJMSMessageID() : message.getStringProperty(name);
        } catch (Exception e) {
            return null;
        }
    }

    static String messageIdOf(byte[] body) {
        try {
            return JSON.readTree(body).path("messageId").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

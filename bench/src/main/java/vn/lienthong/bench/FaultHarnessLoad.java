package vn.lienthong.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import vn.lienthong.bench.FaultHarnessLedger.Channel;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The fault harness's steady load: one sender per channel (JMS, Kafka, SFTP, REST), each putting
 * {@code rate} notices a second to all three recipients, every n-th one invalid on purpose, each
 * with its agency's token as agencies send them. A sender whose broker or gateway is away keeps
 * resending the very same bytes until they are taken (a resend is a duplicate the gateway must
 * recognise, never a new message); an input counts once it was taken.
 */
final class FaultHarnessLoad {

    static final String JMS_IN = "fault.jms.in";
    static final String KAFKA_IN = "fault.kafka.in";
    static final String SFTP_FOLDER = "fault-sftp";
    static final List<String> RECIPIENTS = List.of("FAULT.TO.JMS", "FAULT.TO.KAFKA", "FAULT.TO.PUSH");
    private static final String EXAMPLE = "lienthong/examples/v1/violation.notice/valid-minimal-foreign-seller.json";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final FaultHarnessLedger ledger;
    private final Map<Channel, String> authorization;
    private final String artemisUrl;
    private final String kafkaBootstrap;
    private final Path sftpInbox;
    private final Supplier<List<Integer>> restPorts;
    private final long intervalNanos;
    private final int badEvery;
    private final ObjectNode template;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Channel, AtomicInteger> retries = new java.util.EnumMap<>(Channel.class);
    private final Map<Channel, String> lastProblem = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Random random = new Random();
    private volatile boolean stop;
    private volatile Throwable failure;

    FaultHarnessLoad(FaultHarnessLedger ledger, Map<Channel, String> authorization, String artemisUrl,
            String kafkaBootstrap, Path sftpInbox, Supplier<List<Integer>> restPorts, double rate, int badEvery) {
        this.ledger = ledger;
        this.authorization = authorization;
        this.artemisUrl = artemisUrl;
        this.kafkaBootstrap = kafkaBootstrap;
        this.sftpInbox = sftpInbox;
        this.restPorts = restPorts;
        this.intervalNanos = (long) (1e9 / rate);
        this.badEvery = badEvery;
        this.template = example();
        for (Channel c : Channel.values()) {
            retries.put(c, new AtomicInteger());
        }
    }

    void start() {
        threads.add(thread("jms", this::jms));
        threads.add(thread("kafka", this::kafka));
        threads.add(thread("sftp", this::sftp));
        threads.add(thread("rest", this::rest));
        threads.forEach(Thread::start);
    }

    /** Stops sending: each sender finishes (or gives up) the input in hand, then ends. */
    void stopAndJoin(Duration within) throws InterruptedException {
        stop = true;
        long deadline = System.nanoTime() + within.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** Why a sender stopped for good, or null. */
    Throwable failure() {
        return failure;
    }

    /** Resends so far on a channel (its broker or the gateway was away). */
    int retries(Channel channel) {
        return retries.get(channel).get();
    }

    /** What the last resend on a channel was about, or null. */
    String lastProblem(Channel channel) {
        return lastProblem.get(channel);
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, "fault-load-" + name);
        t.setDaemon(true);
        return t;
    }

    // ---------------------------------------------------------------- the four senders

    private void jms() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(artemisUrl);
        Connection connection = null;
        Session session = null;
        MessageProducer producer = null;
        Pace pace = new Pace();
        for (int n = 1; !stop; n++) {
            pace.await();
            boolean bad = n % badEvery == 0;
            String id = UUID.randomUUID().toString();
            String body = notice(id, "FAULT.JMS", bad);
            while (true) {
                try {
                    if (connection == null) {
                        connection = factory.createConnection();
                        session = connection.createSession(true, Session.SESSION_TRANSACTED);
                        producer = session.createProducer(session.createQueue(JMS_IN));
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    }
                    TextMessage message = session.createTextMessage(body);
                    message.setStringProperty("Authorization", authorization.get(Channel.JMS));
                    producer.send(message);
                    session.commit();
                    ledger.sent(id, Channel.JMS, bad, body.getBytes(StandardCharsets.UTF_8));
                    break;
                } catch (Exception e) {
                    // The commit's outcome may be unknown: the same bytes again, which the gateway recognises.
                    problem(Channel.JMS, e);
                    close(connection);
                    connection = null;
                    if (stop) {
                        break;
                    }
                    sleep(RETRY);
                }
            }
        }
        close(connection);
        factory.close();
    }

    private void kafka() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            Pace pace = new Pace();
            for (int n = 1; !stop; n++) {
                pace.await();
                boolean bad = n % badEvery == 0;
                String id = UUID.randomUUID().toString();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(KAFKA_IN, id.getBytes(StandardCharsets.UTF_8),
                        notice(id, "FAULT.KAFKA", bad).getBytes(StandardCharsets.UTF_8));
                record.headers().add("Authorization", authorization.get(Channel.KAFKA).getBytes(StandardCharsets.UTF_8));
                while (true) {
                    try {
                        producer.send(record).get(150, TimeUnit.SECONDS);
                        ledger.sent(id, Channel.KAFKA, bad, record.value());
                        break;
                    } catch (Exception e) {
                        problem(Channel.KAFKA, e);
                        if (stop) {
                            break;
                        }
                        sleep(RETRY);
                    }
                }
            }
        }
    }

    private void sftp() {
        Pace pace = new Pace();
        for (int n = 1; !stop; n++) {
            pace.await();
            boolean bad = n % badEvery == 0;
            String id = UUID.randomUUID().toString();
            try {
                // Written aside, then renamed: the gateway skips *.part, so it never reads half a file.
                Path part = sftpInbox.resolve(id + ".json.part");
                String body = notice(id, "FAULT.SFTP", bad);
                Files.writeString(part, body, StandardCharsets.UTF_8);
                Files.move(part, sftpInbox.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
                ledger.sent(id, Channel.SFTP, bad, body.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot drop a file into " + sftpInbox, e);
            }
        }
    }

    private void rest() {
        Pace pace = new Pace();
        for (int n = 1; !stop; n++) {
            pace.await();
            boolean bad = n % badEvery == 0;
            String id = UUID.randomUUID().toString();
            byte[] body = notice(id, "FAULT.REST", bad).getBytes(StandardCharsets.UTF_8);
            while (true) {
                List<Integer> ports = restPorts.get();
                try {
                    if (ports.isEmpty()) {
                        throw new IOException("no gateway instance is up");
                    }
                    int port = ports.get(random.nextInt(ports.size()));
                    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("Authorization", authorization.get(Channel.REST))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    int status = response.statusCode();
                    if (status >= 500 || status == 429) {
                        throw new IOException("HTTP " + status + " from the instance on port " + port);
                    }
                    ledger.sent(id, Channel.REST, bad, body);
                    response.headers().firstValue(ReceiptSigner.HTTP_HEADER)
                            .ifPresentOrElse(jws -> ledger.receipt(jws.getBytes(StandardCharsets.US_ASCII)),
                                    () -> ledger.unreadable("REST answer " + status + " without a receipt"));
                    break;
                } catch (IOException e) {
                    problem(Channel.REST, e);
                    if (stop) {
                        break;
                    }
                    sleep(RETRY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Sends an input again, the very same bytes, as an agency does that holds no receipt for it (a
     * receipt is sent after the input's commit and may be lost with its instance or broker; the
     * gateway answers a resend with the original receipt). One attempt; the caller looks for the receipt.
     */
    void resend(String id) throws Exception {
        FaultHarnessLedger.Input input = ledger.inputs().get(id);
        byte[] body = ledger.body(id);
        switch (input.channel()) {
            case JMS -> {
                ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(artemisUrl);
                try (factory; Connection connection = factory.createConnection()) {
                    Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                    MessageProducer producer = session.createProducer(session.createQueue(JMS_IN));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    TextMessage message = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
                    message.setStringProperty("Authorization", authorization.get(Channel.JMS));
                    producer.send(message);
                    session.commit();
                }
            }
            case KAFKA -> {
                Properties props = new Properties();
                props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
                props.put(ProducerConfig.ACKS_CONFIG, "all");
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(KAFKA_IN,
                            id.getBytes(StandardCharsets.UTF_8), body);
                    record.headers().add("Authorization", authorization.get(Channel.KAFKA).getBytes(StandardCharsets.UTF_8));
                    producer.send(record).get(60, TimeUnit.SECONDS);
                }
            }
            case SFTP -> {
                Path part = sftpInbox.resolve(id + ".json.part");
                Files.write(part, body);
                Files.move(part, sftpInbox.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
            }
            case REST -> {
                List<Integer> ports = restPorts.get();
                if (ports.isEmpty()) {
                    throw new IOException("no gateway instance is up");
                }
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + ports.get(0) + "/api/v1/messages"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header("Authorization", authorization.get(Channel.REST))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().firstValue(ReceiptSigner.HTTP_HEADER)
                        .ifPresent(jws -> ledger.receipt(jws.getBytes(StandardCharsets.US_ASCII)));
            }
            default -> throw new IllegalStateException("unknown channel " + input.channel());
        }
    }

    private void problem(Channel channel, Exception e) {
        retries.get(channel).incrementAndGet();
        lastProblem.put(channel, String.valueOf(e.getMessage()));
    }

    // ---------------------------------------------------------------- notices

    /** A notice from {@code sender} to the three recipients; a bad one has a createdAt that is no date. */
    private String notice(String id, String sender, boolean bad) {
        ObjectNode notice = template.deepCopy();
        notice.put("messageId", id);
        notice.put("sender", sender);
        var to = notice.putArray("recipients");
        RECIPIENTS.forEach(to::add);
        notice.put("createdAt", bad ? "not a date" : OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC3339));
        try {
            return CanonicalJson.mapper().writeValueAsString(notice);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode example() {
        try (InputStream in = FaultHarnessLoad.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
            if (in == null) {
                throw new IllegalStateException(EXAMPLE + " is not on the class path (the schemas jar)");
            }
            return (ObjectNode) CanonicalJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EXAMPLE, e);
        }
    }

    /** A steady pace without catch-up bursts: a sender held up resumes at the rate, not faster. */
    private final class Pace {
        private long next = System.nanoTime();

        void await() {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(Duration.ofNanos(wait));
            }
            next = Math.max(next + intervalNanos, System.nanoTime());
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                // Already broken: nothing to release.
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

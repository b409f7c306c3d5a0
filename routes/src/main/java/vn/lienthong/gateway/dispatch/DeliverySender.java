package vn.lienthong.gateway.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.gateway.attachments.SftpBesideFiles;
import vn.lienthong.gateway.channels.ChannelEndpoints;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The encode and deliver steps of the dispatch route ({@link DispatchRoutes}): claimed deliveries in
 * their recipients' formats, sent to their channels: Kafka deliveries of a round in one Kafka
 * transaction, looked up first if an interrupted round may have sent them ({@link #withKafkaTransactions}),
 * JMS deliveries of a round go on one transacted
 * session with one commit ({@link #withJmsSessions}), SFTP one by one on cached connections, REST
 * push is an HTTP POST.
 * Every delivery gets an outcome; no exception escapes.
 */
public final class DeliverySender {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeliverySender.class);

    /** Headers every delivery carries, so a recipient can correlate without parsing. */
    public static final String HEADER_MESSAGE_ID = "LienthongMessageId";
    public static final String HEADER_DELIVERY_ID = "LienthongDeliveryId";
    public static final String HEADER_TYPE = "LienthongType";
    public static final String HEADER_SENDER = "LienthongSender";
    /**
     * The HTTP header of a push delivery that carries the gateway's compact JWS over the body (its
     * payload is the body itself), verifiable with the keys of {@code GET /api/v1/keys}.
     */
    public static final String HEADER_SIGNATURE = "Lienthong-Signature";

    private final ProducerTemplate producer;
    private final ChannelEndpoints endpoints;
    private final Connectors connectors;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private java.util.function.UnaryOperator<byte[]> pushSigner;
    private java.util.function.Supplier<Optional<String>> pushToken;
    private ReceiptSigner noticeSigner;
    private String gatewaySender;
    private java.util.function.BiFunction<DueDelivery, byte[], byte[]> canonicalFor = (d, canonical) -> canonical;
    private java.util.function.Function<byte[], List<BesideFile>> besideFiles = canonical -> List.of();

    /** Opens the bytes of a file written beside a delivery. */
    @FunctionalInterface
    public interface Opener {
        /** A new stream of the file's bytes; the writer closes it. */
        InputStream open() throws IOException;
    }

    /** A file an SFTP delivery carries beside its message (an attachment): its name and bytes. */
    public record BesideFile(String name, Opener bytes) {
    }

    /** Writes an SFTP delivery's file with its attachments inside it (a format that carries files: edXML). */
    @FunctionalInterface
    public interface InlineWriter {
        /** The delivered file: the encoded message with the files spliced in, streamed to {@code out}. */
        void write(byte[] encoded, java.io.OutputStream out) throws IOException;
    }

    private java.util.function.Function<DueDelivery, Optional<InlineWriter>> inlineFiles = d -> Optional.empty();
    private jakarta.jms.ConnectionFactory jmsSessions;
    private KafkaDeliveries kafkaTransactions;

    /** A sender over Camel's producers and the connectors. */
    public DeliverySender(ProducerTemplate producer, ChannelEndpoints endpoints, Connectors connectors) {
        this.producer = producer;
        this.endpoints = endpoints;
        this.connectors = connectors;
    }

    /**
     * Push deliveries carry the gateway's signature over the body ({@link #HEADER_SIGNATURE}) and
     * its own access token ({@code Authorization: Bearer}, the gateway's Keycloak client), so that the
     * recipient can check who pushes and what; without them a push is a bare POST.
     */
    public DeliverySender withPushCredentials(java.util.function.UnaryOperator<byte[]> signer,
            java.util.function.Supplier<Optional<String>> token) {
        this.pushSigner = java.util.Objects.requireNonNull(signer, "signer");
        this.pushToken = java.util.Objects.requireNonNull(token, "token");
        return this;
    }

    /**
     * The gateway's own notices (messages whose sender is {@code gatewaySender}) carry its
     * signature ({@code typ} {@value ReceiptSigner#NOTICE_TYPE}) over the bytes delivered, on every
     * channel: a detached JWS in the JMS property / Kafka header
     * {@value ReceiptSigner#NOTICE_SIGNATURE_PROPERTY}, a {@code .jws} sidecar file written before
     * the notice's file on SFTP, and the compact JWS in {@link #HEADER_SIGNATURE} on a REST push.
     */
    public DeliverySender withNoticeSigner(ReceiptSigner signer, String gatewaySender) {
        this.noticeSigner = java.util.Objects.requireNonNull(signer, "signer");
        this.gatewaySender = java.util.Objects.requireNonNull(gatewaySender, "gatewaySender");
        return this;
    }

    private boolean notice(DueDelivery d) {
        return noticeSigner != null && gatewaySender.equals(d.sender());
    }

    /**
     * Each delivery's canonical message is first made the recipient's own by {@code view} (its
     * attachments' references become the recipient's signed download links), then encoded.
     */
    public DeliverySender withCanonicalFor(java.util.function.BiFunction<DueDelivery, byte[], byte[]> view) {
        this.canonicalFor = java.util.Objects.requireNonNull(view, "view");
        return this;
    }

    /**
     * SFTP deliveries write the files {@code files} names for the canonical message (its attachments)
     * beside the message file, in {@code outbox/<message file>.attachments/}, before the message file
     * itself: a recipient that sees the message file finds its attachments complete.
     */
    public DeliverySender withBesideFiles(java.util.function.Function<byte[], List<BesideFile>> files) {
        this.besideFiles = java.util.Objects.requireNonNull(files, "files");
        return this;
    }

    /**
     * SFTP deliveries for which {@code writers} gives a writer carry their attachments inside the
     * delivered file (edXML), written to a local temporary file first and streamed to the server,
     * instead of beside it.
     */
    public DeliverySender withInlineFiles(java.util.function.Function<DueDelivery, Optional<InlineWriter>> writers) {
        this.inlineFiles = java.util.Objects.requireNonNull(writers, "writers");
        return this;
    }

    /**
     * JMS deliveries of a round go on one transacted session with one commit (instead of one
     * synchronous persistent send each); marked delivered only once that commit returned.
     */
    public DeliverySender withJmsSessions(jakarta.jms.ConnectionFactory connectionFactory) {
        this.jmsSessions = java.util.Objects.requireNonNull(connectionFactory, "connectionFactory");
        return this;
    }

    /**
     * Kafka deliveries of a round go in one Kafka transaction, each looked up on its topic first
     * if an earlier round may have sent it (exactly once: {@link KafkaDeliveries}); without this
     * they go through Camel's idempotent producer (at least once).
     */
    public DeliverySender withKafkaTransactions(KafkaDeliveries kafka) {
        this.kafkaTransactions = java.util.Objects.requireNonNull(kafka, "kafka");
        return this;
    }

    /** The encode step: each claimed delivery in its recipient's format; one that cannot be encoded failed. */
    public void encode(DispatchRound round) {
        for (DueDelivery d : round.pending()) {
            try {
                round.encoded(d.id(), encode(d));
            } catch (RuntimeException e) {
                round.outcome(new DeliveryOutcome.Failed(d.id(), "encoding failed: " + e.getMessage()));
            }
        }
    }

    /**
     * The deliver step: every encoded delivery to its recipient's channel, each with its outcome.
     * Kafka deliveries go in one transaction ({@link KafkaDeliveries}), or, without it, overlap (all in flight, then awaited together).
     */
    public void deliver(DispatchRound round) {
        Map<UUID, CompletableFuture<Exchange>> inFlight = new LinkedHashMap<>();
        List<DueDelivery> pending = round.pending();
        List<DueDelivery> jms = new ArrayList<>();
        List<DueDelivery> kafka = new ArrayList<>();
        for (DueDelivery d : pending) {
            DispatchRound.Encoded encoded = round.encoded(d.id());
            if (d.channel() == ChannelKind.JMS && jmsSessions != null) {
                jms.add(d);
                continue;
            }
            if (d.channel() == ChannelKind.KAFKA && kafkaTransactions != null) {
                kafka.add(d);
                continue;
            }
            try {
                switch (d.channel()) {
                    case KAFKA -> inFlight.put(d.id(), producer.asyncSend(endpoints.kafkaOutbound(d.address()), e -> {
                        e.getMessage().setBody(encoded.bytes());
                        e.getMessage().setHeaders(signed(d, encoded, headers(d, encoded)));
                        e.getMessage().setHeader("kafka.KEY", d.orderKey() != null ? d.orderKey() : d.messageId().toString());
                    }));
                    case JMS -> round.outcome(outcome(d, producer.send(endpoints.jmsOutbound(d.address()), e -> {
                        e.getMessage().setBody(new String(encoded.bytes(), StandardCharsets.UTF_8));
                        e.getMessage().setHeaders(signed(d, encoded, headers(d, encoded)));
                        e.getMessage().setHeader(JMS_DUPLICATE_ID, d.id().toString());
                    })));
                    case SFTP -> round.outcome(sftp(d, encoded));
                    case REST -> round.outcome(post(d, encoded));
                }
            } catch (RuntimeException e) {
                round.outcome(new DeliveryOutcome.Failed(d.id(), e.toString()));
            }
        }
        if (!jms.isEmpty()) {
            sendJmsTogether(round, jms);
        }
        if (!kafka.isEmpty()) {
            try {
                kafkaTransactions.deliver(round, kafka, d -> kafkaRecord(d, round.encoded(d.id())));
            } catch (RuntimeException e) {
                // Whether anything was sent is unknown: the intents stay, the next attempt looks first.
                kafka.forEach(d -> round.outcome(new DeliveryOutcome.Failed(d.id(), "Kafka send error: "
                        + e.getClass().getSimpleName())));
            }
        }
        for (DueDelivery d : pending) {
            CompletableFuture<Exchange> sent = inFlight.get(d.id());
            if (sent == null) {
                continue;
            }
            try {
                round.outcome(outcome(d, sent.get(30, TimeUnit.SECONDS)));
            } catch (Exception e) {
                round.outcome(new DeliveryOutcome.Failed(d.id(), "not confirmed by the broker: " + e));
            }
        }
    }

    /**
     * A Kafka delivery's record as Camel's producer wrote it before: the order key (else the
     * message id) as the key, the encoded bytes as the value, each header's text in UTF-8.
     */
    private org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> kafkaRecord(DueDelivery d,
            DispatchRound.Encoded encoded) {
        String key = d.orderKey() != null ? d.orderKey() : d.messageId().toString();
        var record = new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>(d.address(),
                key.getBytes(StandardCharsets.UTF_8), encoded.bytes());
        for (Map.Entry<String, Object> h : signed(d, encoded, headers(d, encoded)).entrySet()) {
            record.headers().add(h.getKey(), String.valueOf(h.getValue()).getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /**
     * The broker's duplicate detection id (Artemis {@code _AMQ_DUPL_ID}): each JMS delivery carries
     * its delivery id, so a round sent again after its outcome was lost (an instance killed between
     * the broker's commit and the database's, the database restarted) is not put on the queue twice.
     */
    public static final String JMS_DUPLICATE_ID = "_AMQ_DUPL_ID";

    /**
     * The JMS deliveries of a round on one transacted session, in claim order (so per-key order
     * holds), committed once. If the commit fails — the broker refuses a whole transaction in which
     * one message is a duplicate, or it went away — each is sent again on its own (a round holds at
     * most one delivery per order key), where the broker drops a duplicate silently: delivered once.
     */
    private void sendJmsTogether(DispatchRound round, List<DueDelivery> deliveries) {
        try (jakarta.jms.Connection connection = jmsSessions.createConnection()) {
            try {
                sendJms(connection, round, deliveries);
                deliveries.forEach(d -> round.outcome(new DeliveryOutcome.Delivered(d.id())));
                return;
            } catch (jakarta.jms.JMSException | RuntimeException batch) {
                if (deliveries.size() == 1) {
                    throw batch;
                }
                LOG.debug("JMS batch of {} not committed ({}); sending each on its own", deliveries.size(),
                        batch.getClass().getSimpleName());
            }
            for (DueDelivery d : deliveries) {
                try {
                    sendJms(connection, round, List.of(d));
                    round.outcome(new DeliveryOutcome.Delivered(d.id()));
                } catch (jakarta.jms.JMSException | RuntimeException e) {
                    round.outcome(new DeliveryOutcome.Failed(d.id(), "JMS send not confirmed: " + rootMessage(e)));
                }
            }
        } catch (jakarta.jms.JMSException | RuntimeException e) {
            String error = "JMS batch of " + deliveries.size() + " not committed: " + rootMessage(e);
            deliveries.forEach(d -> round.outcome(new DeliveryOutcome.Failed(d.id(), error)));
        }
    }

    /**
     * Sends on a session of its own: one transaction for several, or a plain persistent send for one
     * (confirmed by the broker; a duplicate is then dropped by the broker without an error).
     */
    private void sendJms(jakarta.jms.Connection connection, DispatchRound round, List<DueDelivery> deliveries)
            throws jakarta.jms.JMSException {
        boolean transacted = deliveries.size() > 1;
        try (jakarta.jms.Session session = connection.createSession(transacted,
                transacted ? jakarta.jms.Session.SESSION_TRANSACTED : jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.MessageProducer producer = session.createProducer(null)) {
            producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
            Map<String, jakarta.jms.Queue> queues = new HashMap<>();
            try {
                for (DueDelivery d : deliveries) {
                    DispatchRound.Encoded encoded = round.encoded(d.id());
                    jakarta.jms.TextMessage message = session.createTextMessage(
                            new String(encoded.bytes(), StandardCharsets.UTF_8));
                    for (Map.Entry<String, Object> h : signed(d, encoded, headers(d, encoded)).entrySet()) {
                        message.setObjectProperty(h.getKey(), h.getValue());
                    }
                    message.setStringProperty(JMS_DUPLICATE_ID, d.id().toString());
                    jakarta.jms.Queue queue = queues.get(d.address());
                    if (queue == null) {
                        queue = session.createQueue(d.address());
                        queues.put(d.address(), queue);
                    }
                    producer.send(queue, message);
                }
                if (transacted) {
                    session.commit();
                }
            } catch (jakarta.jms.JMSException | RuntimeException e) {
                if (transacted) {
                    rollbackQuietly(session);
                }
                throw e;
            }
        }
    }

    private static void rollbackQuietly(jakarta.jms.Session session) {
        try {
            session.rollback();
        } catch (jakarta.jms.JMSException | RuntimeException ignored) {
            // The session is closed next; an uncommitted transaction goes with it.
        }
    }

    /** The attachments beside (or inside), streamed from the store, then the message file. */
    private DeliveryOutcome sftp(DueDelivery d, DispatchRound.Encoded encoded) {
        Optional<InlineWriter> inline = inlineFiles.apply(d);
        if (inline.isPresent()) {
            return sftpInline(d, encoded, inline.get());
        }
        for (BesideFile file : besideFiles.apply(d.canonical())) {
            Exchange sent = producer.send(endpoints.sftpWrite(d.address(), "outbox/" + encoded.fileName()
                    + SftpBesideFiles.SUFFIX), e -> {
                        try {
                            e.getMessage().setBody(file.bytes().open());
                        } catch (IOException x) {
                            throw new java.io.UncheckedIOException("attachment " + file.name() + " cannot be read", x);
                        }
                        e.getMessage().setHeader(Exchange.FILE_NAME, file.name());
                    });
            if (sent.getException() != null) {
                return outcome(d, sent);
            }
        }
        return sftpMessageFile(d, encoded);
    }

    private DeliveryOutcome sftpInline(DueDelivery d, DispatchRound.Encoded encoded, InlineWriter writer) {
        java.nio.file.Path file = null;
        try {
            file = java.nio.file.Files.createTempFile("lienthong-delivery-", ".tmp");
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file),
                    1 << 16)) {
                writer.write(encoded.bytes(), out);
            }
            java.io.File body = file.toFile();
            return outcome(d, producer.send(endpoints.sftpWrite(d.address(), "outbox"), e -> {
                e.getMessage().setBody(body);
                e.getMessage().setHeader(Exchange.FILE_NAME, encoded.fileName());
            }));
        } catch (IOException e) {
            return new DeliveryOutcome.Failed(d.id(), "the file with its attachments inside could not be written: " + e);
        } finally {
            if (file != null) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file left behind is not worth failing a delivery for
                }
            }
        }
    }

    private DispatchRound.Encoded encode(DueDelivery d) {
        Connector connector = connectors.forFormat(d.format())
                .orElseThrow(() -> new IllegalStateException("no connector for format " + d.format()));
        Envelope message;
        byte[] canonical = canonicalFor.apply(d, d.canonical());
        if (connector.encodesCanonicalAsIs() && d.channel() != ChannelKind.SFTP) {
            // Only SFTP needs the typed message (for the connector's file name): the rest send the bytes.
            return new DispatchRound.Encoded(canonical, null, connector.mediaType(), d.type());
        }
        try {
            message = CanonicalJson.mapper().readValue(canonical, Envelope.class);
        } catch (IOException e) {
            throw new IllegalStateException("the journal's canonical message cannot be read", e);
        }
        return new DispatchRound.Encoded(connector.encode(message, canonical), connector.fileName(message),
                connector.mediaType(), message.type().wireName());
    }

    private Map<String, Object> signed(DueDelivery d, DispatchRound.Encoded encoded, Map<String, Object> headers) {
        if (notice(d)) {
            headers.put(ReceiptSigner.NOTICE_SIGNATURE_PROPERTY, noticeSigner.signDetached(encoded.bytes()));
        }
        return headers;
    }

    /** The file, after its signature's sidecar for a gateway notice (a reader that sees the file finds both). */
    private DeliveryOutcome sftpMessageFile(DueDelivery d, DispatchRound.Encoded encoded) {
        String endpoint = endpoints.sftpWrite(d.address(), "outbox");
        if (notice(d)) {
            DeliveryOutcome sidecar = outcome(d, producer.send(endpoint, e -> {
                e.getMessage().setBody(noticeSigner.signDetached(encoded.bytes()).getBytes(StandardCharsets.US_ASCII));
                e.getMessage().setHeader(Exchange.FILE_NAME, encoded.fileName() + ReceiptSigner.SIDECAR_EXTENSION);
            }));
            if (sidecar instanceof DeliveryOutcome.Failed) {
                return sidecar;
            }
        }
        return outcome(d, producer.send(endpoint, e -> {
            e.getMessage().setBody(encoded.bytes());
            e.getMessage().setHeader(Exchange.FILE_NAME, encoded.fileName());
        }));
    }

    private static Map<String, Object> headers(DueDelivery d, DispatchRound.Encoded encoded) {
        Map<String, Object> h = new HashMap<>();
        h.put(HEADER_TYPE, encoded.type());
        h.put(HEADER_MESSAGE_ID, d.messageId().toString());
        h.put(HEADER_DELIVERY_ID, d.id().toString());
        h.put(HEADER_SENDER, d.sender());
        return h;
    }

    private static DeliveryOutcome outcome(DueDelivery d, Exchange sent) {
        Optional<Exception> error = Optional.ofNullable(sent.getException());
        return error.<DeliveryOutcome>map(e -> new DeliveryOutcome.Failed(d.id(), rootMessage(e)))
                .orElseGet(() -> new DeliveryOutcome.Delivered(d.id()));
    }

    private DeliveryOutcome post(DueDelivery d, DispatchRound.Encoded encoded) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(d.address()))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", encoded.mediaType())
                .header(HEADER_MESSAGE_ID, d.messageId().toString())
                .header(HEADER_DELIVERY_ID, d.id().toString())
                .header(HEADER_TYPE, encoded.type())
                .POST(HttpRequest.BodyPublishers.ofByteArray(encoded.bytes()));
        if (notice(d)) {
            // The gateway's own notice: signed as a notice (its own typ), not as a relayed message.
            builder.header(HEADER_SIGNATURE, new String(noticeSigner.sign(encoded.bytes()), StandardCharsets.US_ASCII));
        }
        if (pushSigner != null) {
            if (!notice(d)) {
                builder.header(HEADER_SIGNATURE, new String(pushSigner.apply(encoded.bytes()), StandardCharsets.US_ASCII));
            }
            Optional<String> token = pushToken.get();
            if (token.isEmpty()) {
                return new DeliveryOutcome.Failed(d.id(), "no gateway token to push with (Keycloak refused or silent)");
            }
            builder.header("Authorization", "Bearer " + token.get());
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? new DeliveryOutcome.Delivered(d.id())
                    : new DeliveryOutcome.Failed(d.id(), "HTTP " + response.statusCode() + " from " + d.address());
        } catch (IOException e) {
            return new DeliveryOutcome.Failed(d.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Failed(d.id(), "interrupted");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

package vn.lienthong.gateway.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import vn.lienthong.gateway.testsupport.SignedReceipts;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;
import vn.lienthong.schemas.validation.CanonicalJson;

/** What the exchange-flow tests do as agencies: build notices, call the API, read their channels. */
final class FlowSupport {

    /** RFC 3339 with seconds always written (OffsetDateTime.toString drops ":00"). */
    private static final java.time.format.DateTimeFormatter RFC_3339_SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    static final String REGISTRY = "src/test/resources/flow/agencies.yaml";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FlowSupport() {
    }

    /** The gateway's properties for tests: the shared stack, the flow registry, quick polling and retries. */
    static Map<String, Object> properties() {
        Map<String, Object> p = new java.util.LinkedHashMap<>(TestStack.get().springProperties());
        p.put("lienthong.registry", REGISTRY);
        p.put("lienthong.dispatch.poll-interval", "100ms");
        p.put("lienthong.dispatch.initial-delay", "200ms");
        p.put("lienthong.dispatch.max-delay", "1s");
        p.put("lienthong.ingress.sftp-poll-interval", "200ms");
        p.put("lienthong.ingress.jms-concurrent-consumers", "2");
        // A disabled agency is refused within this (the production default is 20s).
        p.put("lienthong.identity.directory-refresh", "2s");
        // The bundled examples name attachments that no test uploads: only AttachmentFlowTest checks them.
        p.put("lienthong.attachments.require-stored", "false");
        // Each test context counts failed logins afresh (the tests share one database and one source
        // address): only LoginLimitFlowTest counts them in the database, as production does.
        p.put("lienthong.login-limits.store", "memory");
        return p;
    }

    /** A fresh violation notice from the bundled examples: new id, dated now. */
    static ObjectNode notice(String sender, String... recipients) {
        String example = "lienthong/examples/v1/violation.notice/valid-counterfeit-cosmetics-shopee.json";
        try (InputStream in = FlowSupport.class.getClassLoader().getResourceAsStream(example)) {
            ObjectNode notice = (ObjectNode) CanonicalJson.mapper().readTree(in);
            notice.put("messageId", UUID.randomUUID().toString());
            notice.put("sender", sender);
            var list = notice.putArray("recipients");
            for (String r : recipients) {
                list.add(r);
            }
            notice.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339_SECONDS));
            return notice;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The information requests the bundled tax response batch ({@code formats/tax-csv/
     * info.response-example.csv}) answers, recorded so that its responses answer requests the tax
     * department received (the workflows refuse others): from MOIT.DMS and PROV.79, to MOF.TAX.
     * A second call finds them recorded (duplicates).
     */
    static void taxExampleRequests(int port) {
        Map<String, String> requests = Map.of("4d75c259-7658-40f0-bce6-4095b9c72029", "MOIT.DMS",
                "9b2d7c1e-5f3a-4e8b-a6d4-0c1f2e3d4b5a", "PROV.79");
        requests.forEach((id, requester) -> {
            ObjectNode request = (ObjectNode) json(example("info.request/valid-tax-data-for-counterfeit-case.json"));
            request.put("messageId", id);
            request.put("sender", requester);
            request.putArray("recipients").add("MOF.TAX");
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(7));
            request.put("createdAt", now.format(RFC_3339_SECONDS));
            request.put("deadline", now.plusDays(5).format(RFC_3339_SECONDS));
            Response response = post(port, "/api/v1/messages", requester, bytes(request));
            // Recorded earlier in this test JVM (its createdAt then was another): the first one stands.
            boolean recordedBefore = response.status() == 422 && response.body().contains("MESSAGE_ID_REUSED");
            if (response.status() != 202 && response.status() != 200 && !recordedBefore) {
                throw new AssertionError("the tax example's request " + id + " was not recorded: " + response.body());
            }
        });
    }

    /** A bundled example's bytes, e.g. "freeze.request/valid-freeze-cpc129.json". */
    static byte[] example(String path) {
        try (InputStream in = FlowSupport.class.getClassLoader().getResourceAsStream("lienthong/examples/v1/" + path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode json) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return CanonicalJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An HTTP exchange's status, body and headers. */
    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            return FlowSupport.json(body);
        }

        /** The signed receipt of a submission (header Lienthong-Receipt-Jws). */
        String receiptJws() {
            return headers.firstValue("Lienthong-Receipt-Jws")
                    .orElseThrow(() -> new AssertionError("no Lienthong-Receipt-Jws header: " + headers.map()));
        }
    }

    /** The receipt JSON of a signed receipt (a JMS or Kafka body, an SFTP sidecar line), verified against the gateway's keys. */
    static JsonNode verifiedReceipt(int port, String jws) {
        return SignedReceipts.verified(port, jws);
    }

    /** A POST as the agency, with its real token. */
    static Response post(int port, String path, String agency, byte[] body) {
        return postAuthorized(port, path, Tokens.bearer(agency), body);
    }

    /** A POST with any Authorization value (null: none). */
    static Response postAuthorized(int port, String path, String authorization, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    /** A GET as the agency, with its real token. */
    static Response get(int port, String path, String agency) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", Tokens.bearer(agency)).GET());
    }

    /** An HTTP exchange's status, body and response headers. */
    static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a text message to a queue as the agency's system would: with its token. */
    static void jmsSend(String queue, String agency, byte[] body) throws Exception {
        jmsSendAuthorized(queue, Tokens.bearer(agency), body);
    }

    /** Sends a text message with any Authorization property (null: none). */
    static void jmsSendAuthorized(String queue, String authorization, byte[] body) throws Exception {
        jmsSendAuthorized(queue, authorization, body, Map.of());
    }

    /** Sends a text message with any Authorization property (null: none) and more properties of the producer's choosing. */
    static void jmsSendAuthorized(String queue, String authorization, byte[] body, Map<String, Object> properties)
            throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            TextMessage message = s.createTextMessage(new String(body, StandardCharsets.UTF_8));
            if (authorization != null) {
                message.setStringProperty("Authorization", authorization);
            }
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            p.send(message);
        }
    }

    /** Receives from a queue the messages about one message id (see {@link #jmsReceiveAbout(String, Set, Duration)}). */
    static List<String> jmsReceiveAbout(String queue, String messageId, Duration within) throws Exception {
        return jmsReceiveAbout(queue, Set.of(messageId), within).getOrDefault(messageId, List.of());
    }

    /**
     * Receives from a queue until a message about each id has come (or the time is up), then
     * drains what follows for a moment, so that a duplicate would be seen too. Messages about
     * other ids are consumed and dropped.
     */
    static Map<String, List<String>> jmsReceiveAbout(String queue, Set<String> ids, Duration within) throws Exception {
        Map<String, List<String>> found = new java.util.HashMap<>();
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                long deadline = System.nanoTime() + within.toNanos();
                while (true) {
                    boolean all = found.keySet().containsAll(ids);
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (!all && left <= 0) {
                        return found;
                    }
                    Message m = consumer.receive(all ? 500 : left);
                    if (m == null) {
                        if (all) {
                            return found;
                        }
                        continue;
                    }
                    String text = m instanceof TextMessage t ? t.getText() : m.getBody(String.class);
                    // Receipts are signed (compact JWS): match on their payload.
                    String readable = SignedReceipts.readable(text);
                    for (String id : ids) {
                        if (readable.contains(id)) {
                            found.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(text);
                        }
                    }
                }
            }
        }
    }

    /** Sends a record as the agency's system would: with its token in the Authorization header. */
    static void kafkaSend(String topic, String agency, byte[] body) throws Exception {
        kafkaSendAuthorized(topic, Tokens.bearer(agency), body);
    }

    /** Sends a record with any Authorization header (null: none). */
    static void kafkaSendAuthorized(String topic, String authorization, byte[] body) throws Exception {
        kafkaSendAuthorized(topic, authorization, body, null, Map.of());
    }

    /** Sends a record with any Authorization header (null: none), the producer's timestamp (null: Kafka's) and more headers. */
    static void kafkaSendAuthorized(String topic, String authorization, byte[] body, Long timestamp,
            Map<String, String> headers) throws Exception {
        try (var producer = TestStack.get().kafkaProducer()) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, timestamp, null, body);
            if (authorization != null) {
                record.headers().add("Authorization", authorization.getBytes(StandardCharsets.UTF_8));
            }
            headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }

    /**
     * Camel's notification that an ingress route is done with each of these files (recorded, its
     * receipt files written, the input moved out of inbox/): made before the files are dropped,
     * awaited with {@link #done} after, instead of polling the folders.
     */
    static NotifyBuilder filesDone(CamelContext camel, String route, String... names) {
        Set<String> files = Set.of(names);
        return new NotifyBuilder(camel).fromRoute(route)
                .filter(e -> files.contains(e.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class)))
                .whenDone(names.length).create();
    }

    /** Whether the notification came within the time. */
    static boolean done(NotifyBuilder notify, Duration within) {
        return notify.matches(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls a topic from the beginning until a record names the message id (in a header or the body). */
    static List<ConsumerRecord<byte[], byte[]>> kafkaRecordsAbout(String topic, String messageId, Duration within) {
        try (KafkaConsumer<byte[], byte[]> consumer = TestStack.get().kafkaConsumer("test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> found = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader("LienthongMessageId");
                    boolean about = h != null && new String(h.value(), StandardCharsets.UTF_8).equals(messageId)
                            || SignedReceipts.readable(new String(r.value(), StandardCharsets.UTF_8)).contains(messageId);
                    if (about) {
                        found.add(r);
                    }
                }
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return found;
        }
    }
}

package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.connectors.canonical.CanonicalJsonConnector;
import vn.lienthong.connectors.customs.CustomsXmlConnector;
import vn.lienthong.connectors.edxml.EdxmlConnector;
import vn.lienthong.connectors.files.JsonReceiptFiles;
import vn.lienthong.connectors.police.PoliceCaseJsonConnector;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.tax.TaxResultFiles;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.ingress.IngressPipeline;
import vn.lienthong.gateway.ingress.JmsBodies;
import vn.lienthong.gateway.testsupport.SignedReceipts;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * Hostile bytes on every channel and format, generated as a matrix and sent in batches to one
 * gateway on real servers and the real registry (config/agencies.yaml), with small limits: every
 * bad encoding is INVALID_UTF8 with its bytes kept and its receipt naming their SHA-256; characters
 * a recipient's format cannot carry and sizes over a recipient channel's limit are refused at the
 * door; a reused messageId with other content is MESSAGE_ID_REUSED, an identical resend a
 * duplicate that every channel marks.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HostileInputMatrixTest {

    private static final DateTimeFormatter RFC_3339_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final MessageValidator VALIDATOR = new MessageValidator();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The largest single-message input (lienthong.max-message-bytes). */
    static final int MAX_INPUT = 60_000;
    static final int REST_LIMIT = 12_000;
    static final int JMS_LIMIT = 10_000;
    static final int KAFKA_LIMIT = 9_000;
    static final int SFTP_LIMIT = 11_000;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", () -> "../config/agencies.yaml");
        registry.add("lienthong.max-message-bytes", () -> MAX_INPUT);
        registry.add("lienthong.channel-limits.rest", () -> REST_LIMIT);
        registry.add("lienthong.channel-limits.jms", () -> JMS_LIMIT);
        registry.add("lienthong.channel-limits.kafka", () -> KAFKA_LIMIT);
        registry.add("lienthong.channel-limits.sftp", () -> SFTP_LIMIT);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    /** Bodies are sealed at rest: read through the gateway's cipher. */
    @Autowired
    BodyCipher cipher;

    // ------------------------------------------------------------------ the matrix of encodings

    /** Where an input goes in: a channel and format, with the agency that sends on it. */
    private enum Door {
        REST_CANONICAL, REST_EDXML, JMS_CUSTOMS_XML, JMS_SBV_XML, KAFKA_CANONICAL, KAFKA_POLICE_JSON,
        SFTP_TAX_CSV, SFTP_EDXML;

        boolean xml() {
            return this == REST_EDXML || this == JMS_CUSTOMS_XML || this == JMS_SBV_XML || this == SFTP_EDXML;
        }
    }

    /** One generated input: its door, what it is, its bytes, and the status or code it must get. */
    private record Case(Door door, String name, byte[] bytes, String expected) {
        String sha256() {
            return IngressPipeline.sha256(bytes);
        }
    }

    @Test
    void everyChannelAndFormatRefusesBadEncodingsWithTheirBytesKept() throws Exception {
        // The tax batches answer info.requests: the workflows want those recorded first.
        FlowSupport.taxExampleRequests(port);
        List<Case> cases = new ArrayList<>();
        for (Door door : Door.values()) {
            Supplier<byte[]> valid = validDocument(door);
            byte[] base = valid.get();
            cases.add(new Case(door, "stray 0xFF in a text", inject(base, 0xFF), "INVALID_UTF8"));
            cases.add(new Case(door, "overlong '/' (C0 AF)", inject(base, 0xC0, 0xAF), "INVALID_UTF8"));
            cases.add(new Case(door, "encoded surrogate (ED A0 80)", inject(base, 0xED, 0xA0, 0x80), "INVALID_UTF8"));
            cases.add(new Case(door, "Latin-1 'é' undeclared", inject(base, 0xE9, 'x'), "INVALID_UTF8"));
            cases.add(new Case(door, "cut inside a character at the end", concat(base, new byte[] {(byte) 0xE1}),
                    "INVALID_UTF8"));
            cases.add(new Case(door, "UTF-16LE with byte-order mark", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                    text(base).getBytes(StandardCharsets.UTF_16LE)), "INVALID_UTF8"));
            cases.add(new Case(door, "UTF-16BE without byte-order mark", text(base).getBytes(StandardCharsets.UTF_16BE),
                    "INVALID_UTF8"));
            if (door != Door.JMS_CUSTOMS_XML) { // (its queue has the ObjectMessage case, of the same empty bytes)
                cases.add(new Case(door, "empty", new byte[0], "EMPTY_BODY"));
            }
            if (door.xml()) {
                byte[] declared = text(base).replaceFirst("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
                        .getBytes(StandardCharsets.UTF_8);
                assertThat(text(declared)).contains("ISO-8859-1");
                cases.add(new Case(door, "Latin-1 declared, Latin-1 byte", inject(declared, 0xE9, 'x'), "INVALID_UTF8"));
                cases.add(new Case(door, "Latin-1 declared, UTF-8 bytes", declared, "DECODE_FAILED"));
            }
            if (door != Door.JMS_SBV_XML) {
                cases.add(new Case(door, "valid", valid.get(), "ACCEPTED"));
                cases.add(new Case(door, "valid after a UTF-8 byte-order mark",
                        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid.get()), "ACCEPTED"));
            }
        }
        // A JMS text message holding a lone surrogate: no UTF-8 carries it, so it is refused, not turned into '?'.
        String withSurrogate = text(validDocument(Door.JMS_CUSTOMS_XML).get()).replaceFirst("ễ", "\uD800");
        Case loneSurrogate = new Case(Door.JMS_CUSTOMS_XML, "text message with a lone surrogate",
                JmsBodies.utf8(withSurrogate), "INVALID_UTF8");

        // A JMS ObjectMessage carries no bytes a format reads (and is never deserialized): refused, nothing kept.
        Case object = new Case(Door.JMS_CUSTOMS_XML, "an ObjectMessage", new byte[0], "DECODE_FAILED");

        Map<Case, JsonNode> receipts = sendAll(cases);
        jmsSendText("lienthong.MOF.CUSTOMS.in", "MOF.CUSTOMS", withSurrogate);
        jmsSendObject("lienthong.MOF.CUSTOMS.in", "MOF.CUSTOMS", new java.util.HashMap<>(Map.of("a", "b")));
        receipts.putAll(jmsReceipts("lienthong.MOF.CUSTOMS.out", List.of(loneSurrogate, object)));
        cases.add(loneSurrogate);
        cases.add(object);

        for (Case c : cases) {
            JsonNode receipt = receipts.get(c);
            String what = c.door() + " / " + c.name();
            assertThat(receipt).as(what + ": no receipt").isNotNull();
            JsonNode payload = receipt.path("payload");
            assertThat(payload.path("inputSha256").asText()).as(what).isEqualTo(c.sha256());
            if (c.expected().equals("ACCEPTED")) {
                assertThat(payload.path("status").asText()).as(what + ": " + receipt).isEqualTo("ACCEPTED");
                assertThat(cipher.open(db.queryForObject("select coalesce(original, canonical) from message where input_sha256 = ? limit 1",
                        byte[].class, c.sha256()))).as(what).isEqualTo(c.bytes());
            } else {
                assertThat(payload.path("status").asText()).as(what + ": " + receipt).isEqualTo("REJECTED");
                assertThat(payload.at("/errors/0/code").asText()).as(what + ": " + receipt).isEqualTo(c.expected());
                assertThat(cipher.open(db.queryForObject("select original from quarantine where input_sha256 = ? limit 1",
                        byte[].class, c.sha256()))).as(what + ": kept byte for byte").isEqualTo(c.bytes());
            }
        }
    }

    /** A fresh valid document for a door, as its agency's system would write it (a new id each time). */
    private Supplier<byte[]> validDocument(Door door) {
        return switch (door) {
            case REST_CANONICAL -> () -> FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS"));
            case REST_EDXML, SFTP_EDXML -> () -> encode(new EdxmlConnector(), FlowSupport.notice("PROV.37", "MOIT.DMS"));
            case JMS_CUSTOMS_XML -> () -> encode(new CustomsXmlConnector(), FlowSupport.notice("MOF.CUSTOMS", "MPS.C03"));
            // Encoding cases only (refused before any check of its content).
            case JMS_SBV_XML -> () -> ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BaoCaoThucHien><GhiChu>Đã thực hiện"
                    + "</GhiChu></BaoCaoThucHien>\n").getBytes(StandardCharsets.UTF_8);
            case KAFKA_CANONICAL -> () -> FlowSupport.bytes(FlowSupport.notice("MOIT.DMS", "PROV.37"));
            case KAFKA_POLICE_JSON -> () -> encode(new PoliceCaseJsonConnector(), freezeRequest("Phong tỏa tài khoản"));
            case SFTP_TAX_CSV -> () -> taxBatch("TAX-MATRIX-" + UUID.randomUUID().toString().substring(0, 8), 1,
                    row -> row);
        };
    }

    /** Sends every case through its door, then collects the receipts channel by channel. */
    private Map<Case, JsonNode> sendAll(List<Case> cases) throws Exception {
        Map<Case, JsonNode> receipts = new HashMap<>();
        Map<String, List<Case>> jms = new LinkedHashMap<>();
        Map<String, List<Case>> kafka = new LinkedHashMap<>();
        Map<String, Case> sftp = new LinkedHashMap<>();
        try (TestStack.Sftp tax = TestStack.get().sftp("mof-tax"); TestStack.Sftp province = TestStack.get().sftp("prov-37")) {
            for (Case c : cases) {
                switch (c.door()) {
                    case REST_CANONICAL -> receipts.put(c, restReceipt(post("PROV.37", "application/json", c.bytes())));
                    case REST_EDXML -> receipts.put(c, restReceipt(post("PROV.37", "application/xml", c.bytes())));
                    case JMS_CUSTOMS_XML -> {
                        jmsSendBytes("lienthong.MOF.CUSTOMS.in", "MOF.CUSTOMS", c.bytes());
                        jms.computeIfAbsent("lienthong.MOF.CUSTOMS.out", k -> new ArrayList<>()).add(c);
                    }
                    case JMS_SBV_XML -> {
                        jmsSendBytes("lienthong.SBV.in", "SBV", c.bytes());
                        jms.computeIfAbsent("lienthong.SBV.out", k -> new ArrayList<>()).add(c);
                    }
                    case KAFKA_CANONICAL -> {
                        FlowSupport.kafkaSend("lienthong.MOIT.DMS.in", "MOIT.DMS", c.bytes());
                        kafka.computeIfAbsent("lienthong.MOIT.DMS.out", k -> new ArrayList<>()).add(c);
                    }
                    case KAFKA_POLICE_JSON -> {
                        FlowSupport.kafkaSend("lienthong.MPS.C03.in", "MPS.C03", c.bytes());
                        kafka.computeIfAbsent("lienthong.MPS.C03.out", k -> new ArrayList<>()).add(c);
                    }
                    case SFTP_TAX_CSV -> {
                        String name = "matrix-" + UUID.randomUUID() + ".csv";
                        tax.upload("inbox/" + name, c.bytes());
                        sftp.put("mof-tax/" + new TaxResultFiles().fileName(name) + ".jws", c);
                    }
                    case SFTP_EDXML -> {
                        String name = "matrix-" + UUID.randomUUID() + ".edxml";
                        province.upload("inbox/" + name, c.bytes());
                        sftp.put("prov-37/" + new JsonReceiptFiles("edxml").fileName(name) + ".jws", c);
                    }
                }
            }
            for (Map.Entry<String, List<Case>> queue : jms.entrySet()) {
                receipts.putAll(jmsReceipts(queue.getKey(), queue.getValue()));
            }
            for (Map.Entry<String, List<Case>> topic : kafka.entrySet()) {
                receipts.putAll(kafkaReceipts(topic.getKey(), topic.getValue()));
            }
            var keys = SignedReceipts.keys(port);
            for (Map.Entry<String, Case> file : sftp.entrySet()) {
                TestStack.Sftp folder = file.getKey().startsWith("mof-tax/") ? tax : province;
                String sidecar = file.getKey().substring(file.getKey().indexOf('/') + 1);
                await().atMost(WITHIN).until(() -> folder.list("outbox").contains(sidecar));
                String jws = folder.readString("outbox/" + sidecar).lines().findFirst().orElseThrow();
                receipts.put(file.getValue(), SignedReceipts.verified(keys, jws));
            }
        }
        return receipts;
    }

    // ------------------------------------------------------------------ deliverable or refused at the door

    @Test
    void aMessageLargerThanARecipientsChannelCarriesIsRefusedAtTheDoorAndOneAtTheLimitIsAccepted() {
        record Recipient(String code, Connector connector, int limit, String channel) {
        }
        for (Recipient r : List.of(new Recipient("MPS.C03", new PoliceCaseJsonConnector(), KAFKA_LIMIT, "kafka"),
                new Recipient("MOF.CUSTOMS", new CustomsXmlConnector(), JMS_LIMIT, "jms"),
                new Recipient("MOF.TAX", new CanonicalJsonConnector(), SFTP_LIMIT, "sftp"),
                new Recipient("MOIT.DMS", new CanonicalJsonConnector(), REST_LIMIT, "rest"))) {
            ObjectNode atLimit = padded(FlowSupport.notice("PROV.37", r.code()), r.connector(), r.limit());
            FlowSupport.Response accepted = post("PROV.37", "application/json", FlowSupport.bytes(atLimit));
            assertThat(accepted.status()).as(r.code() + " at its limit: " + accepted.body()).isEqualTo(202);

            ObjectNode over = padded(FlowSupport.notice("PROV.37", r.code()), r.connector(), r.limit() + 1);
            FlowSupport.Response refused = post("PROV.37", "application/json", FlowSupport.bytes(over));
            assertThat(refused.status()).as(r.code() + " over its limit: " + refused.body()).isEqualTo(422);
            JsonNode error = refused.json().at("/payload/errors/0");
            assertThat(error.at("/code").asText()).isEqualTo("TOO_LARGE_FOR_RECIPIENT");
            assertThat(error.at("/pointer").asText()).isEqualTo("/recipients/0");
            assertThat(error.at("/message").asText()).contains(r.code()).contains("over " + r.channel())
                    .contains(String.format("%,d bytes", r.limit() + 1)).contains(String.format("%,d", r.limit()));
            assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class,
                    over.get("messageId").asText())).isZero();
        }
    }

    @Test
    void anInputOfOneMessageIsAcceptedAtTheSizeLimitAndRefusedOverItOnEveryChannel() throws Exception {
        // Trailing white space: the bytes grow, the message (and what recipients get) does not.
        byte[] restAt = spacesTo(FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS")), MAX_INPUT);
        assertThat(post("PROV.37", "application/json", restAt).status()).isEqualTo(202);
        FlowSupport.Response restOver = post("PROV.37", "application/json",
                spacesTo(FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS")), MAX_INPUT + 1));
        assertThat(restOver.status()).as(restOver.body()).isEqualTo(413);
        assertThat(restOver.json().at("/code").asText()).isEqualTo("BODY_TOO_LARGE");
        // Without a declared length (chunked), the gateway stops reading one byte past the limit.
        byte[] chunked = spacesTo(FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS")), MAX_INPUT * 20);
        HttpResponse<String> unbounded = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/messages")).header("Authorization", Tokens.bearer("PROV.37"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunked))).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(unbounded.statusCode()).as(unbounded.body()).isEqualTo(413);
        assertThat(json(unbounded.body()).at("/code").asText()).isEqualTo("BODY_TOO_LARGE");

        List<Case> cases = List.of(
                new Case(Door.KAFKA_CANONICAL, "at the limit",
                        spacesTo(FlowSupport.bytes(FlowSupport.notice("MOIT.DMS", "PROV.37")), MAX_INPUT), "ACCEPTED"),
                new Case(Door.KAFKA_CANONICAL, "over the limit",
                        spacesTo(FlowSupport.bytes(FlowSupport.notice("MOIT.DMS", "PROV.37")), MAX_INPUT + 1),
                        "BODY_TOO_LARGE"),
                new Case(Door.JMS_CUSTOMS_XML, "at the limit", spacesTo(encode(new CustomsXmlConnector(),
                        FlowSupport.notice("MOF.CUSTOMS", "MPS.C03")), MAX_INPUT), "ACCEPTED"),
                new Case(Door.JMS_CUSTOMS_XML, "over the limit", spacesTo(encode(new CustomsXmlConnector(),
                        FlowSupport.notice("MOF.CUSTOMS", "MPS.C03")), MAX_INPUT + 1), "BODY_TOO_LARGE"),
                new Case(Door.SFTP_EDXML, "at the limit", spacesTo(encode(new EdxmlConnector(),
                        FlowSupport.notice("PROV.37", "MOIT.DMS")), MAX_INPUT), "ACCEPTED"),
                new Case(Door.SFTP_EDXML, "over the limit", spacesTo(encode(new EdxmlConnector(),
                        FlowSupport.notice("PROV.37", "MOIT.DMS")), MAX_INPUT + 1), "BODY_TOO_LARGE"));
        Map<Case, JsonNode> receipts = sendAll(cases);
        for (Case c : cases) {
            JsonNode payload = receipts.get(c).path("payload");
            assertThat(payload.path("inputSha256").asText()).isEqualTo(c.sha256());
            assertThat(c.expected().equals("ACCEPTED") ? payload.path("status").asText()
                    : payload.at("/errors/0/code").asText()).as(c.door() + " " + c.name() + ": " + payload)
                    .isEqualTo(c.expected());
        }
    }

    @Test
    void charactersARecipientsFormatCannotCarryAreRefusedAtTheDoorNamingRecipientAndMember() throws Exception {
        for (String character : List.of("\u0001", "\uD800", "\uFFFE", "\uFFFF", "\u001B")) {
            String shown = String.format("U+%04X", (int) character.charAt(0));
            ObjectNode toCustoms = FlowSupport.notice("PROV.37", "MOIT.DMS", "MOF.CUSTOMS");
            toCustoms.with("payload").put("description", "Biên bản " + character + " kiểm tra");
            FlowSupport.Response refused = post("PROV.37", "application/json", FlowSupport.bytes(toCustoms));
            assertThat(refused.status()).as(shown + ": " + refused.body()).isEqualTo(422);
            JsonNode error = refused.json().at("/payload/errors/0");
            assertThat(error.at("/code").asText()).isEqualTo("RECIPIENT_CANNOT_CARRY_CHARACTER");
            assertThat(error.at("/pointer").asText()).isEqualTo("/payload/description");
            assertThat(error.at("/message").asText()).contains("MOF.CUSTOMS").contains("customs-xml").contains(shown);
            assertThat(refused.json().at("/payload/errors")).as("JSON recipients carry it").hasSize(1);
            // Nothing half delivered: MOIT.DMS, which could carry it, gets nothing either.
            assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class,
                    toCustoms.get("messageId").asText())).isZero();

            // JSON recipients (canonical, police, the tax agency's notices) carry it as an escape.
            ObjectNode toJson = FlowSupport.notice("PROV.37", "MOIT.DMS", "MPS.C03", "MOF.TAX");
            toJson.with("payload").put("description", "Biên bản " + character + " kiểm tra");
            FlowSupport.Response accepted = post("PROV.37", "application/json", FlowSupport.bytes(toJson));
            assertThat(accepted.status()).as(shown + ": " + accepted.body()).isEqualTo(202);
        }

        // The tax agency's info.request is a CSV file: UTF-8 cannot carry a lone surrogate.
        ObjectNode request = (ObjectNode) json(FlowSupport.example("info.request/valid-tax-data-for-counterfeit-case.json"));
        request.put("messageId", UUID.randomUUID().toString());
        request.put("createdAt", now(0));
        request.put("deadline", now(10));
        request.with("payload").put("purpose", "Xác minh \uD800 người bán");
        FlowSupport.Response csv = post("MOIT.DMS", "application/json", FlowSupport.bytes(request));
        assertThat(csv.status()).as(csv.body()).isEqualTo(422);
        assertThat(csv.json().at("/payload/errors/0/code").asText()).isEqualTo("RECIPIENT_CANNOT_CARRY_CHARACTER");
        assertThat(csv.json().at("/payload/errors/0/pointer").asText()).isEqualTo("/payload/purpose");
        assertThat(csv.json().at("/payload/errors/0/message").asText()).contains("MOF.TAX").contains("tax-csv");

        // A police freeze over Kafka for the State Bank's XML: refused on the police's receipt topic.
        ObjectNode freeze = freezeRequest("Phong tỏa \u0001 tài khoản");
        byte[] police = encode(new PoliceCaseJsonConnector(), freeze);
        FlowSupport.kafkaSend("lienthong.MPS.C03.in", "MPS.C03", police);
        Case c = new Case(Door.KAFKA_POLICE_JSON, "U+0001 for SBV", police, "RECIPIENT_CANNOT_CARRY_CHARACTER");
        JsonNode receipt = kafkaReceipts("lienthong.MPS.C03.out", List.of(c)).get(c);
        assertThat(receipt.at("/payload/errors/0/code").asText()).as(receipt.toString())
                .isEqualTo("RECIPIENT_CANNOT_CARRY_CHARACTER");
        assertThat(receipt.at("/payload/errors/0/message").asText()).contains("SBV").contains("sbv-freeze-xml");
    }

    // ------------------------------------------------------------------ reused identifiers

    @Test
    void aResendIsADuplicateEveryChannelMarksAndAReusedIdWithOtherContentIsRefused() throws Exception {
        // REST: 200, the same JWS, Lienthong-Duplicate: true; then the id reused for a correction.
        ObjectNode notice = FlowSupport.notice("PROV.37", "MOIT.DMS");
        FlowSupport.Response first = post("PROV.37", "application/json", FlowSupport.bytes(notice));
        FlowSupport.Response again = post("PROV.37", "application/json", FlowSupport.bytes(notice));
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.headers().firstValue("Lienthong-Duplicate")).isEmpty();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.headers().firstValue("Lienthong-Duplicate")).hasValue("true");
        assertThat(again.receiptJws()).isEqualTo(first.receiptJws());
        // Members in another order: other bytes, the same canonical message, so a duplicate too.
        byte[] shuffled = FlowSupport.bytes(CanonicalOrder.reversed(notice));
        assertThat(shuffled).isNotEqualTo(FlowSupport.bytes(notice));
        FlowSupport.Response reorderedAgain = post("PROV.37", "application/json", shuffled);
        assertThat(reorderedAgain.status()).as(reorderedAgain.body()).isEqualTo(200);
        assertThat(reorderedAgain.receiptJws()).isEqualTo(first.receiptJws());

        ObjectNode corrected = notice.deepCopy();
        corrected.with("payload").put("description", "Biên bản đã sửa");
        FlowSupport.Response reused = post("PROV.37", "application/json", FlowSupport.bytes(corrected));
        assertThat(reused.status()).as(reused.body()).isEqualTo(422);
        assertThat(reused.json().at("/payload/errors/0/code").asText()).isEqualTo("MESSAGE_ID_REUSED");
        assertThat(reused.json().at("/payload/errors/0/pointer").asText()).isEqualTo("/messageId");
        assertThat(db.queryForObject("select count(*) from quarantine where input_sha256 = ?", Integer.class,
                IngressPipeline.sha256(FlowSupport.bytes(corrected)))).isEqualTo(1);
        assertThat(cipher.open(db.queryForObject("select canonical from message where message_id = ?::uuid", byte[].class,
                notice.get("messageId").asText()))).asString(StandardCharsets.UTF_8).doesNotContain("Biên bản đã sửa");

        // JMS: the duplicate's receipt carries the property LienthongDuplicate.
        ObjectNode customs = FlowSupport.notice("MOF.CUSTOMS", "MPS.C03");
        byte[] xml = encode(new CustomsXmlConnector(), customs);
        String id = customs.get("messageId").asText();
        List<Message> jmsReceipts = new ArrayList<>();
        for (byte[] input : List.of(xml, xml, encode(new CustomsXmlConnector(), withDescription(customs, "đã sửa")))) {
            jmsSendBytes("lienthong.MOF.CUSTOMS.in", "MOF.CUSTOMS", input);
            jmsReceipts.add(jmsReceiptAbout("lienthong.MOF.CUSTOMS.out", id));
        }
        String firstJms = ((TextMessage) jmsReceipts.get(0)).getText();
        assertThat(jmsReceipts.get(0).propertyExists("LienthongDuplicate")).isFalse();
        assertThat(((TextMessage) jmsReceipts.get(1)).getText()).isEqualTo(firstJms);
        assertThat(jmsReceipts.get(1).getBooleanProperty("LienthongDuplicate")).isTrue();
        JsonNode jmsReused = SignedReceipts.verified(port, ((TextMessage) jmsReceipts.get(2)).getText());
        assertThat(jmsReused.at("/payload/errors/0/code").asText()).isEqualTo("MESSAGE_ID_REUSED");

        // Kafka: a header LienthongDuplicate on the duplicate's receipt record.
        ObjectNode overKafka = FlowSupport.notice("MOIT.DMS", "PROV.37");
        String kafkaId = overKafka.get("messageId").asText();
        List<ConsumerRecord<byte[], byte[]>> kafkaReceipts = new ArrayList<>();
        for (ObjectNode input : List.of(overKafka, overKafka, withDescription(overKafka, "đã sửa"))) {
            FlowSupport.kafkaSend("lienthong.MOIT.DMS.in", "MOIT.DMS", FlowSupport.bytes(input));
            await().atMost(WITHIN).until(() -> kafkaRecordsAbout("lienthong.MOIT.DMS.out", kafkaId).size()
                    > kafkaReceipts.size());
            List<ConsumerRecord<byte[], byte[]>> all = kafkaRecordsAbout("lienthong.MOIT.DMS.out", kafkaId);
            kafkaReceipts.add(all.get(kafkaReceipts.size()));
        }
        assertThat(kafkaReceipts.get(0).headers().lastHeader("LienthongDuplicate")).isNull();
        assertThat(kafkaReceipts.get(1).value()).isEqualTo(kafkaReceipts.get(0).value());
        assertThat(new String(kafkaReceipts.get(1).headers().lastHeader("LienthongDuplicate").value(),
                StandardCharsets.UTF_8)).isEqualTo("true");
        assertThat(SignedReceipts.verified(port, new String(kafkaReceipts.get(2).value(), StandardCharsets.US_ASCII))
                .at("/payload/errors/0/code").asText()).isEqualTo("MESSAGE_ID_REUSED");
    }

    @Test
    void aTaxBatchResentIsDuplicateRowByRowAndACorrectionUnderTheSameBatchIdIsRefusedWhereItDiffers()
            throws Exception {
        FlowSupport.taxExampleRequests(port);
        String batchId = "TAX-REUSE-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] batch = taxBatch(batchId, 3, row -> row);
        int[] n = {0};
        // The second row's reason corrected; the others as they were.
        byte[] corrected = taxBatch(batchId, 3, row -> ++n[0] == 2
                ? row.replace("Không có người nộp thuế", "Đã sửa: không có người nộp thuế") : row);
        assertThat(corrected).isNotEqualTo(batch);
        try (TestStack.Sftp tax = TestStack.get().sftp("mof-tax")) {
            List<List<String>> results = new ArrayList<>();
            for (byte[] file : List.of(batch, batch, corrected)) {
                String name = batchId + "-" + UUID.randomUUID().toString().substring(0, 4) + ".csv";
                tax.upload("inbox/" + name, file);
                String result = name.replace(".csv", ".result.csv");
                await().atMost(WITHIN).until(() -> tax.list("outbox").contains(result));
                results.add(tax.readString("outbox/" + result).lines().toList());
            }
            for (int row = 1; row <= 3; row++) {
                assertThat(results.get(0).get(row)).contains(",ACCEPTED,");
                assertThat(results.get(1).get(row)).as("the same batch under another file name").contains(",DUPLICATE,");
            }
            assertThat(results.get(2).get(1)).contains(",DUPLICATE,");
            assertThat(results.get(2).get(2)).contains(",REJECTED,MESSAGE_ID_REUSED,");
            assertThat(results.get(2).get(3)).contains(",DUPLICATE,");
        }
    }

    // ------------------------------------------------------------------ REST inputs that once answered 500

    @Test
    void noInputASenderCanMakeAnswers500() throws Exception {
        String token = Tokens.bearer("PROV.37");
        List<HttpRequest.Builder> requests = new ArrayList<>();
        URI messages = URI.create("http://127.0.0.1:" + port + "/api/v1/messages");
        byte[] notice = FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS"));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(notice)));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token).header("Content-Type", ";;=;")
                .POST(HttpRequest.BodyPublishers.ofByteArray(notice)));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token)
                .header("Content-Type", "application/json; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS")))));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token).header("Content-Type", "application/json")
                .header("Accept", "application/jose, */*;q=garbage")
                .POST(HttpRequest.BodyPublishers.ofByteArray(FlowSupport.bytes(FlowSupport.notice("PROV.37", "MOIT.DMS")))));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=%ZZ&b")));
        requests.add(HttpRequest.newBuilder(messages).header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_INPUT * 3])));
        requests.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/inbox?limit=abc"))
                .header("Authorization", token).GET());
        requests.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/inbox?limit=99999999999999"))
                .header("Authorization", token).GET());
        requests.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages/not-a-uuid"))
                .header("Authorization", token).GET());
        requests.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/inbox/%00/ack"))
                .header("Authorization", token).POST(HttpRequest.BodyPublishers.noBody()));
        for (HttpRequest.Builder request : requests) {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(built.method() + " " + built.uri() + " " + built.headers().map()
                    + ": " + response.body()).isLessThan(500).isNotEqualTo(0);
            assertThat(response.body()).as(built.uri() + ": a body that says why").isNotBlank();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Member order reversed at every level: the same JSON object for a reader, other bytes. */
    private static final class CanonicalOrder {
        static ObjectNode reversed(ObjectNode node) {
            ObjectNode out = node.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (int i = names.size() - 1; i >= 0; i--) {
                JsonNode v = node.get(names.get(i));
                out.set(names.get(i), v instanceof ObjectNode o ? reversed(o) : v);
            }
            return out;
        }
    }

    private static ObjectNode withDescription(ObjectNode message, String description) {
        ObjectNode copy = message.deepCopy();
        copy.with("payload").put("description", description);
        return copy;
    }

    /**
     * The notice with description and measures grown (ASCII, one byte a character in every
     * format) so that the recipient's encoding is exactly {@code target} bytes.
     */
    private static ObjectNode padded(ObjectNode notice, Connector connector, int target) {
        ObjectNode payload = notice.with("payload");
        payload.put("description", "x");
        ArrayNode measures = payload.putArray("measures");
        int extra = target - encode(connector, notice).length;
        assertThat(extra).as("the notice alone fits under " + target).isPositive();
        // Whole measures of 300 characters for what the description (at most 4,000) cannot hold.
        while (extra - 300 * measures.size() > 3_000) {
            measures.add("m".repeat(300));
            assertThat(measures.size()).isLessThanOrEqualTo(50);
        }
        for (int round = 0; round < 10; round++) {
            int delta = target - encode(connector, notice).length;
            if (delta == 0) {
                return notice;
            }
            int length = payload.get("description").asText().length() + delta;
            assertThat(length).as("description length").isBetween(1, 4_000);
            payload.put("description", "x".repeat(length));
        }
        throw new AssertionError("could not pad the notice to " + target + " bytes");
    }

    private static byte[] spacesTo(byte[] document, int size) {
        assertThat(document.length).isLessThanOrEqualTo(size);
        byte[] out = java.util.Arrays.copyOf(document, size);
        java.util.Arrays.fill(out, document.length, size, (byte) ' ');
        return out;
    }

    /** The document with bytes inserted before its first non-ASCII character (inside a text). */
    private static byte[] inject(byte[] document, int... inserted) {
        int at = 0;
        while (at < document.length && (document[at] & 0x80) == 0) {
            at++;
        }
        assertThat(at).as("the document has a non-ASCII text").isLessThan(document.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(document, 0, at);
        for (int b : inserted) {
            out.write(b);
        }
        out.write(document, at, document.length - at);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String now(int plusDays) {
        return OffsetDateTime.now(ZoneOffset.ofHours(7)).plusDays(plusDays).format(RFC_3339_SECONDS);
    }

    private static final java.util.concurrent.atomic.AtomicInteger DECISIONS =
            new java.util.concurrent.atomic.AtomicInteger((int) (System.nanoTime() % 100_000) + 1_000);

    private static ObjectNode freezeRequest(String reason) {
        ObjectNode request = (ObjectNode) json(FlowSupport.example("freeze.request/valid-freeze-cpc129.json"));
        request.put("messageId", UUID.randomUUID().toString());
        request.put("createdAt", now(0));
        request.with("payload").put("reason", reason);
        // A decision of its own: a second FREEZE of one decision and account is a workflow conflict.
        request.with("payload").with("decision").put("number",
                DECISIONS.incrementAndGet() + "/QĐ-CSKT-P3");
        return request;
    }

    /** The agency's own bytes for a canonical message, as its system would write them. */
    private static byte[] encode(Connector connector, ObjectNode canonical) {
        ValidationResult result = VALIDATOR.validate(FlowSupport.bytes(canonical));
        assertThat(result.errors()).as("the test message itself").isEmpty();
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        return connector.encode(valid.message(), FlowSupport.bytes(valid.normalized()));
    }

    /** A tax info.response batch of NO_DATA rows for PROV.79, each row through {@code edit}. */
    private static byte[] taxBatch(String batchId, int rows, Function<String, String> edit) {
        String example;
        try (InputStream in = HostileInputMatrixTest.class.getClassLoader()
                .getResourceAsStream("formats/tax-csv/info.response-example.csv")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String header = example.substring(0, example.indexOf("\r\n") + 2);
        String row = example.lines().filter(l -> l.contains(",PROV.79,")).findFirst().orElseThrow()
                .replace("TAX-20261119-0001", batchId) + "\r\n";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < rows; i++) {
            data.writeBytes(edit.apply(row).getBytes(StandardCharsets.UTF_8));
        }
        byte[] rowsBytes = data.toByteArray();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        file.writeBytes(rowsBytes);
        file.writeBytes(("#TRAILER," + rows + "," + IngressPipeline.sha256(rowsBytes) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return file.toByteArray();
    }

    private FlowSupport.Response post(String agency, String contentType, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .header("Authorization", Tokens.bearer(agency)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new FlowSupport.Response(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verified receipt of a REST submission (its signed header). */
    private JsonNode restReceipt(FlowSupport.Response response) {
        assertThat(response.status()).as(response.body()).isIn(202, 422);
        return SignedReceipts.verified(port, response.receiptJws());
    }

    private static void jmsSendBytes(String queue, String agency, byte[] body) throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            BytesMessage message = s.createBytesMessage();
            message.writeBytes(body);
            message.setStringProperty("Authorization", Tokens.bearer(agency));
            p.send(message);
        }
    }

    private static void jmsSendText(String queue, String agency, String text) throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            TextMessage message = s.createTextMessage(text);
            message.setStringProperty("Authorization", Tokens.bearer(agency));
            p.send(message);
        }
    }

    private static void jmsSendObject(String queue, String agency, java.io.Serializable object) throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            Message message = s.createObjectMessage(object);
            message.setStringProperty("Authorization", Tokens.bearer(agency));
            p.send(message);
        }
    }

    /** The receipts on a queue for the cases, matched by the SHA-256 of their bytes. */
    private Map<Case, JsonNode> jmsReceipts(String queue, List<Case> cases) throws Exception {
        Map<String, Case> bySha = new HashMap<>();
        cases.forEach(c -> bySha.put(c.sha256(), c));
        Map<String, List<String>> found = FlowSupport.jmsReceiveAbout(queue, Set.copyOf(bySha.keySet()), WITHIN);
        Map<Case, JsonNode> receipts = new HashMap<>();
        found.forEach((sha, texts) -> receipts.put(bySha.get(sha), SignedReceipts.verified(port, texts.get(0))));
        return receipts;
    }

    /** The next receipt on a queue about a message id. */
    private static Message jmsReceiptAbout(String queue, String id) throws Exception {
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                long deadline = System.nanoTime() + WITHIN.toNanos();
                while (System.nanoTime() < deadline) {
                    Message m = consumer.receive(1_000);
                    if (m instanceof TextMessage t && SignedReceipts.readable(t.getText()).contains(id)) {
                        return m;
                    }
                }
            }
        }
        throw new AssertionError("no receipt about " + id + " on " + queue);
    }

    /** The receipts on a topic for the cases, matched by the SHA-256 of their bytes. */
    private Map<Case, JsonNode> kafkaReceipts(String topic, List<Case> cases) {
        Map<String, Case> bySha = new HashMap<>();
        cases.forEach(c -> bySha.put(c.sha256(), c));
        Map<Case, JsonNode> receipts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TestStack.get().kafkaConsumer("matrix-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (receipts.size() < cases.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String text = new String(r.value(), StandardCharsets.US_ASCII);
                    if (!SignedReceipts.isCompactJws(text) && !SignedReceipts.isBatchReceipt(text)) {
                        continue;
                    }
                    JsonNode receipt = SignedReceipts.verified(port, text);
                    Case c = bySha.get(receipt.at("/payload/inputSha256").asText());
                    if (c != null) {
                        receipts.put(c, receipt);
                    }
                }
            }
        }
        return receipts;
    }

    /** Every record of a topic about a message id, in order. */
    private static List<ConsumerRecord<byte[], byte[]>> kafkaRecordsAbout(String topic, String id) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TestStack.get().kafkaConsumer("matrix-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            int empty = 0;
            while (empty < 5) {
                var polled = consumer.poll(Duration.ofMillis(200));
                empty = polled.isEmpty() && consumer.assignment().size() > 0 ? empty + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    Header h = r.headers().lastHeader("LienthongMessageId");
                    if (h == null && SignedReceipts.readable(new String(r.value(), StandardCharsets.UTF_8)).contains(id)) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }
}

package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.get;
import static vn.lienthong.gateway.flow.FlowSupport.notice;
import static vn.lienthong.gateway.flow.FlowSupport.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.receipts.ReceiptVerifier;
import vn.lienthong.gateway.testsupport.SignedReceipts;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Signed receipts on real servers: a receipt from every kind of channel verifies against the keys
 * the gateway publishes at {@code GET /api/v1/keys}; a tampered one, or one signed by another key,
 * does not; a duplicate gets the very same JWS.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SignedReceiptsFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Test
    void theKeysArePublishedWithoutAuthenticationAndHoldPublicKeysOnly() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(SignedReceipts.keysUrl(port)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jwk-set+json"));
        JWKSet keys = JWKSet.parse(response.body());
        assertThat(keys.getKeys()).isNotEmpty();
        for (JWK key : keys.getKeys()) {
            assertThat(key.isPrivate()).as("a private key published").isFalse();
            assertThat(key.getKeyID()).as("kid is the RFC 7638 thumbprint").isEqualTo(key.computeThumbprint().toString());
            assertThat(key.getAlgorithm()).hasToString("ES256");
        }
        assertThat(CanonicalJson.mapper().readTree(response.body()).findValues("d")).as("no private part").isEmpty();
    }

    @Test
    void aReceiptFromEveryChannelVerifiesAgainstThePublishedKeys() throws Exception {
        JWKSet keys = SignedReceipts.keys(port);

        // REST: the body is the signed payload, byte for byte; the JWS is in the header.
        ObjectNode overRest = notice("MOIT.DMS", "PROV.37");
        FlowSupport.Response rest = post(port, "/api/v1/messages", "MOIT.DMS", bytes(overRest));
        assertThat(rest.status()).as(rest.body()).isEqualTo(202);
        JsonNode restReceipt = SignedReceipts.verified(keys, rest.receiptJws());
        assertThat(rest.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(SignedReceipts.payload(rest.receiptJws()));
        assertThat(restReceipt.at("/inReplyTo").asText()).isEqualTo(overRest.get("messageId").asText());
        assertThat(restReceipt.at("/payload/status").asText()).isEqualTo("ACCEPTED");

        // JMS: a text message holding the JWS, content type application/jose, correlated with the
        // input's JMSMessageID, and none of the input's properties echoed.
        ObjectNode overJms = notice("MOIT.DMS", "PROV.37");
        String inputId;
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage input = s.createTextMessage(new String(bytes(overJms), StandardCharsets.UTF_8));
            input.setStringProperty("SenderSystemNote", "not for the receipt");
            s.createProducer(s.createQueue("flow.MOIT.DMS.in")).send(input);
            inputId = input.getJMSMessageID();
        }
        List<Message> onJms = jmsReceiptsAbout("flow.MOIT.DMS.out", overJms.get("messageId").asText(), 1);
        assertThat(onJms).hasSize(1);
        assertThat(onJms.get(0).getStringProperty("contentType")).isEqualTo("application/jose");
        assertThat(onJms.get(0).getJMSCorrelationID()).isEqualTo(inputId);
        assertThat(onJms.get(0).propertyExists("SenderSystemNote")).isFalse();
        JsonNode jmsReceipt = SignedReceipts.verified(keys, ((TextMessage) onJms.get(0)).getText());
        assertThat(jmsReceipt.at("/inReplyTo").asText()).isEqualTo(overJms.get("messageId").asText());
        assertThat(jmsReceipt.at("/payload/channel").asText()).isEqualTo("jms");

        // Kafka: a record holding the JWS, header Content-Type application/jose.
        ObjectNode overKafka = notice("MOIT.DMS", "PROV.37");
        FlowSupport.kafkaSend("flow.MOIT.DMS.topic.in", "MOIT.DMS", bytes(overKafka));
        List<ConsumerRecord<byte[], byte[]>> onKafka = FlowSupport.kafkaRecordsAbout("flow.MOIT.DMS.topic.out",
                overKafka.get("messageId").asText(), WITHIN);
        assertThat(onKafka).hasSize(1);
        Header contentType = onKafka.get(0).headers().lastHeader("Content-Type");
        assertThat(contentType).isNotNull();
        assertThat(new String(contentType.value(), StandardCharsets.UTF_8)).isEqualTo("application/jose");
        JsonNode kafkaReceipt = SignedReceipts.verified(keys, new String(onKafka.get(0).value(), StandardCharsets.US_ASCII));
        assertThat(kafkaReceipt.at("/inReplyTo").asText()).isEqualTo(overKafka.get("messageId").asText());
        assertThat(kafkaReceipt.at("/payload/channel").asText()).isEqualTo("kafka");

        // SFTP: the receipt file as before, and its .jws sidecar in done/ and outbox/.
        ObjectNode overSftp = notice("MOIT.DMS", "PROV.37");
        String name = "notice-" + overSftp.get("messageId").asText() + ".json";
        String receiptFile = name + ".receipt.json";
        try (TestStack.Sftp dms = TestStack.get().sftp("moit-dms")) {
            var done = FlowSupport.filesDone(camel, "ingress-sftp-MOIT.DMS", name);
            dms.upload("inbox/" + name, bytes(overSftp));
            assertThat(FlowSupport.done(done, WITHIN)).as("the SFTP route is done with " + name).isTrue();
            assertThat(dms.list("done")).contains(name, receiptFile, receiptFile + ".jws");
            assertThat(dms.list("outbox")).contains(receiptFile, receiptFile + ".jws");
            for (String folder : List.of("done", "outbox")) {
                List<String> lines = dms.readString(folder + "/" + receiptFile + ".jws").lines().toList();
                assertThat(lines).as(folder).hasSize(1);
                JsonNode sftpReceipt = SignedReceipts.verified(keys, lines.get(0));
                assertThat(sftpReceipt.at("/inReplyTo").asText()).isEqualTo(overSftp.get("messageId").asText());
                assertThat(sftpReceipt.at("/payload/channel").asText()).isEqualTo("sftp");
                assertThat(dms.read(folder + "/" + receiptFile)).as("the receipt file is the signed payload")
                        .isEqualTo(SignedReceipts.payload(lines.get(0)));
            }
        }
    }

    @Test
    void aTamperedReceiptOrOneSignedByAnotherKeyDoesNotVerify() throws Exception {
        FlowSupport.Response submitted = post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice("MOIT.DMS", "PROV.37")));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jws = submitted.receiptJws();
        JWKSet keys = SignedReceipts.keys(port);
        assertThat(SignedReceipts.problem(keys, jws)).isEmpty();
        String[] parts = jws.split("\\.");

        // The payload changed (ACCEPTED -> REJECTED), the gateway's signature kept.
        String altered = new String(SignedReceipts.payload(jws), StandardCharsets.UTF_8).replace("\"ACCEPTED\"", "\"REJECTED\"");
        String tampered = parts[0] + "." + Base64URL.encode(altered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(SignedReceipts.problem(keys, tampered)).hasValueSatisfying(p -> assertThat(p).contains("does not match"));

        // The same header (the gateway's kid) and payload, signed by another P-256 key.
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        JWSObject forged = new JWSObject(JWSHeader.parse(Base64URL.from(parts[0])), new Payload(Base64URL.from(parts[1])));
        forged.sign(new ECDSASigner(other));
        assertThat(SignedReceipts.problem(keys, forged.serialize())).hasValueSatisfying(p -> assertThat(p).contains("does not match"));

        // Another key under its own kid: not one the gateway publishes.
        JWSObject foreign = new JWSObject(new JWSHeader.Builder(JWSHeader.parse(Base64URL.from(parts[0])))
                .keyID(other.computeThumbprint().toString()).build(), new Payload(Base64URL.from(parts[1])));
        foreign.sign(new ECDSASigner(other));
        assertThat(SignedReceipts.problem(keys, foreign.serialize())).hasValueSatisfying(p -> assertThat(p).contains("not published"));

        // The gateway's own verifier (the receipt-verify command) agrees on all four.
        ReceiptVerifier verifier = new ReceiptVerifier(keys);
        assertThat(verifier.verify(jws)).isEqualTo(SignedReceipts.payload(jws));
        for (String bad : List.of(tampered, forged.serialize(), foreign.serialize())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier.verify(bad))
                    .isInstanceOf(ReceiptVerifier.InvalidReceiptException.class);
        }
    }

    @Test
    void aDuplicateGetsTheIdenticalSignedReceiptWhichTheSenderCanFetchAgain() throws Exception {
        ObjectNode notice = notice("MOIT.DMS", "PROV.37");
        String id = notice.get("messageId").asText();
        FlowSupport.Response first = post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));
        FlowSupport.Response again = post(port, "/api/v1/messages", "MOIT.DMS", bytes(notice));

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.receiptJws()).isEqualTo(first.receiptJws());
        assertThat(again.body()).isEqualTo(first.body());

        JsonNode asSender = get(port, "/api/v1/messages/" + id, "MOIT.DMS").json();
        assertThat(asSender.at("/receiptJws").asText()).isEqualTo(first.receiptJws());
        JsonNode asRecipient = get(port, "/api/v1/messages/" + id, "PROV.37").json();
        assertThat(asRecipient.at("/receiptJws").isMissingNode() || asRecipient.at("/receiptJws").isNull())
                .as("the sender's receipt is not the recipient's: " + asRecipient).isTrue();

        // Over JMS too: the same message twice, the same JWS twice.
        ObjectNode overJms = notice("MOIT.DMS", "PROV.37");
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", bytes(overJms));
        FlowSupport.jmsSend("flow.MOIT.DMS.in", "MOIT.DMS", bytes(overJms));
        List<Message> receipts = jmsReceiptsAbout("flow.MOIT.DMS.out", overJms.get("messageId").asText(), 2);
        assertThat(receipts).hasSize(2);
        String firstJms = ((TextMessage) receipts.get(0)).getText();
        assertThat(((TextMessage) receipts.get(1)).getText()).isEqualTo(firstJms);
        assertThat(SignedReceipts.verified(port, firstJms).at("/payload/status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void aRejectionIsSignedTooAndTheJwsCanBeTheBody() throws Exception {
        byte[] notJson = "<edXMLEnvelope/>".getBytes(StandardCharsets.UTF_8);
        FlowSupport.Response rejected = post(port, "/api/v1/messages", "MOIT.DMS", notJson);
        assertThat(rejected.status()).isEqualTo(422);
        JsonNode receipt = SignedReceipts.verified(port, rejected.receiptJws());
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.at("/payload/errors/0/code").asText()).isEqualTo("MALFORMED_JSON");

        // Accept: application/jose: the compact JWS is the body.
        ObjectNode notice = notice("MOIT.DMS", "PROV.37");
        HttpResponse<String> jose = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .header("Authorization", vn.lienthong.gateway.testsupport.Tokens.bearer("MOIT.DMS"))
                .header("Content-Type", "application/json").header("Accept", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(notice))).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        assertThat(jose.statusCode()).as(jose.body()).isEqualTo(202);
        assertThat(jose.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jose"));
        assertThat(SignedReceipts.verified(port, jose.body()).at("/inReplyTo").asText())
                .isEqualTo(notice.get("messageId").asText());
    }

    /** Receives from a queue until {@code count} receipts about the message id have come (or the time is up). */
    private static List<Message> jmsReceiptsAbout(String queue, String messageId, int count) throws Exception {
        List<Message> found = new ArrayList<>();
        try (Connection c = TestStack.get().jmsConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                long deadline = System.nanoTime() + WITHIN.toNanos();
                while (found.size() < count && System.nanoTime() < deadline) {
                    Message m = consumer.receive(200);
                    if (m instanceof TextMessage t && SignedReceipts.readable(t.getText()).contains(messageId)) {
                        found.add(m);
                    }
                }
                // A moment more: one receipt too many would show here.
                Message extra = consumer.receive(500);
                if (extra instanceof TextMessage t && SignedReceipts.readable(t.getText()).contains(messageId)) {
                    found.add(extra);
                }
            }
        }
        return found;
    }
}

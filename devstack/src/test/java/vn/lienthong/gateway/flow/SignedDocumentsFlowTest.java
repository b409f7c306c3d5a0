package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Document;
import vn.lienthong.connectors.edxml.EdxmlConnector;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.ingress.IngressPipeline;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.testsupport.Tokens;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * Signed e-documents through the gateway on real servers: the project's registry with PROV.37's edXML
 * channel set to {@code signatures: required} and PROV.79's left optional, and a signing certificate
 * made by keytool registered for PROV.37 in the folder {@code lienthong.edxml.signer-certificates}.
 * A signed document is accepted and its signer is in the journal, the audit chain and the message
 * view; an unsigned one is refused SIGNATURE_REQUIRED where signatures are required, and accepted
 * as unsigned where they are optional.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SignedDocumentsFlowTest {

    private static final String PASSWORD = "changeit";
    private static final MessageValidator VALIDATOR = new MessageValidator();
    private static final Path DIR = Path.of("target", "signed-documents-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();
    private static KeyStore keys;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) throws Exception {
        Files.createDirectories(DIR.resolve("signers"));
        keys = keyStore();
        // The gateway trusts PROV.37's certificate (formats/edxml/README.md §7): <AGENCY CODE>.pem.
        Files.writeString(DIR.resolve("signers").resolve("PROV.37.pem"), pem(certificate()));
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", SignedDocumentsFlowTest::registryRequiringProv37Signatures);
        registry.add("lienthong.edxml.signer-certificates", () -> DIR.resolve("signers").toString());
    }

    /** The project's registry, with PROV.37's edXML channel requiring signatures. */
    private static String registryRequiringProv37Signatures() {
        try {
            String yaml = Files.readString(Path.of("../config/agencies.yaml"));
            String channel = "{kind: sftp, format: edxml, folder: prov-37}";
            assertThat(yaml).contains(channel);
            Path file = DIR.resolve("agencies.yaml");
            Files.writeString(file, yaml.replace(channel, "{kind: sftp, format: edxml, folder: prov-37, signatures: required}"));
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    /** Bodies are sealed at rest: read through the gateway's cipher. */
    @Autowired
    BodyCipher cipher;

    @Autowired
    DataSource dataSource;

    @Test
    void aSignedDocumentIsAcceptedAndItsSignerShownInTheJournalTheAuditAndTheMessageView() throws Exception {
        ObjectNode notice = FlowSupport.notice("PROV.37", "MOIT.DMS");
        String id = notice.get("messageId").asText();

        FlowSupport.Response submitted = postXml("PROV.37", sign(edxml(notice)));

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(certificate().getEncoded()));
        JsonNode receipt = FlowSupport.verifiedReceipt(port, submitted.receiptJws()).at("/payload");
        assertThat(receipt.at("/status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.at("/signature")).isEqualTo(FlowSupport.json("{\"status\":\"VERIFIED\","
                + "\"signerAgency\":\"PROV.37\",\"signerSubject\":\"CN=prov37 signer,O=So Cong Thuong,C=VN\","
                + "\"signerFingerprint\":\"" + fingerprint + "\"}"));
        JsonNode signature = FlowSupport.get(port, "/api/v1/messages/" + id, "PROV.37").json().at("/signature");
        assertThat(signature.at("/status").asText()).as(signature.toString()).isEqualTo("VERIFIED");
        assertThat(signature.at("/signerAgency").asText()).isEqualTo("PROV.37");
        assertThat(signature.at("/signerSubject").asText()).isEqualTo("CN=prov37 signer,O=So Cong Thuong,C=VN");
        assertThat(signature.at("/signerFingerprint").asText()).isEqualTo(fingerprint);
        // The recipient sees it too: what it receives was signed, and by whom.
        assertThat(FlowSupport.get(port, "/api/v1/messages/" + id, "MOIT.DMS").json().at("/signature/status").asText())
                .isEqualTo("VERIFIED");

        String audit = db.queryForObject("select detail::text from audit where action = 'MESSAGE_ACCEPTED'"
                + " and subject = ?", String.class, id);
        assertThat(FlowSupport.json(audit).at("/signature")).isEqualTo(FlowSupport.json(
                "{\"status\":\"verified\",\"signerAgency\":\"PROV.37\",\"signerFingerprint\":\"" + fingerprint + "\"}"));
        assertThat(AuditLog.verify(dataSource).ok()).isTrue();
    }

    @Test
    void anUnsignedDocumentWhereSignaturesAreRequiredIsRefusedAndQuarantined() throws Exception {
        ObjectNode notice = FlowSupport.notice("PROV.37", "MOIT.DMS");
        String id = notice.get("messageId").asText();
        byte[] unsigned = edxml(notice);

        FlowSupport.Response refused = postXml("PROV.37", unsigned);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonNode receipt = FlowSupport.verifiedReceipt(port, refused.receiptJws());
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.at("/payload/errors")).hasSize(1);
        assertThat(receipt.at("/payload/errors/0/code").asText()).isEqualTo("SIGNATURE_REQUIRED");
        assertThat(receipt.at("/payload/errors/0/message").asText()).isEqualTo("PROV.37's rest input in format edxml"
                + " must be signed (registry: signatures: required on its edxml channel) and this one carries no"
                + " signature: sign it with a certificate registered for PROV.37 with the gateway, and send it again");
        String sha = IngressPipeline.sha256(unsigned);
        assertThat(cipher.open(db.queryForObject("select original from quarantine where input_sha256 = ?", byte[].class, sha)))
                .isEqualTo(unsigned);
        assertThat(db.queryForObject("select errors::text from quarantine where input_sha256 = ?", String.class, sha))
                .contains("SIGNATURE_REQUIRED");
        assertThat(db.queryForObject("select count(*) from message where message_id = ?::uuid", Integer.class, id))
                .isZero();
        assertThat(db.queryForObject("select count(*) from audit where action = 'INPUT_QUARANTINED'"
                + " and detail->>'inputSha256' = ? and detail->'errors'->0->>'code' = 'SIGNATURE_REQUIRED'",
                Integer.class, sha)).isEqualTo(1);

        // Canonical JSON on its REST channel carries no signature of its own: not held to the edXML setting.
        ObjectNode json = FlowSupport.notice("PROV.37", "MOIT.DMS");
        FlowSupport.Response accepted = FlowSupport.post(port, "/api/v1/messages", "PROV.37", FlowSupport.bytes(json));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(FlowSupport.verifiedReceipt(port, accepted.receiptJws()).at("/payload").has("signature")).isFalse();
        assertThat(FlowSupport.get(port, "/api/v1/messages/" + json.get("messageId").asText(), "PROV.37").json()
                .at("/signature/status").asText()).isEqualTo("NOT_APPLICABLE");
    }

    @Test
    void anUnsignedDocumentWhereSignaturesAreOptionalIsAcceptedAndShownUnsigned() throws Exception {
        ObjectNode notice = FlowSupport.notice("PROV.79", "MOIT.DMS");
        String id = notice.get("messageId").asText();

        FlowSupport.Response submitted = postXml("PROV.79", edxml(notice));

        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        assertThat(FlowSupport.verifiedReceipt(port, submitted.receiptJws()).at("/payload/signature"))
                .isEqualTo(FlowSupport.json("{\"status\":\"UNSIGNED\"}"));
        JsonNode signature = FlowSupport.get(port, "/api/v1/messages/" + id, "PROV.79").json().at("/signature");
        assertThat(signature.at("/status").asText()).as(signature.toString()).isEqualTo("UNSIGNED");
        assertThat(signature.at("/signerSubject").textValue()).isNull();
        String audit = db.queryForObject("select detail::text from audit where action = 'MESSAGE_ACCEPTED'"
                + " and subject = ?", String.class, id);
        assertThat(FlowSupport.json(audit).at("/signature")).isEqualTo(FlowSupport.json("{\"status\":\"unsigned\"}"));
    }

    // ---------------------------------------------------------------- helpers

    private FlowSupport.Response postXml(String agency, byte[] body) {
        HttpResponse<String> r = FlowSupport.exchange(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .header("Authorization", Tokens.bearer(agency))
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        return new FlowSupport.Response(r.statusCode(), r.body(), r.headers());
    }

    /** The province's edXML for a canonical message, as its document system would write it (unsigned). */
    private static byte[] edxml(ObjectNode canonical) {
        ValidationResult result = VALIDATOR.validate(FlowSupport.bytes(canonical));
        assertThat(result.errors()).as("the test message itself").isEmpty();
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        return new EdxmlConnector().encode(valid.message(), FlowSupport.bytes(valid.normalized()));
    }

    /** The document with an enveloped RSA-SHA256 signature over all of it, by PROV.37's key. */
    private static byte[] sign(byte[] document) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(document));
        XMLSignatureFactory xf = XMLSignatureFactory.getInstance("DOM");
        Reference reference = xf.newReference("", xf.newDigestMethod(DigestMethod.SHA256, null),
                List.of(xf.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                        xf.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
        SignedInfo info = xf.newSignedInfo(xf.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                (C14NMethodParameterSpec) null), xf.newSignatureMethod(SignatureMethod.RSA_SHA256, null), List.of(reference));
        KeyInfoFactory kf = xf.getKeyInfoFactory();
        xf.newXMLSignature(info, kf.newKeyInfo(List.of(kf.newX509Data(List.of(certificate())))))
                .sign(new DOMSignContext((PrivateKey) keys.getKey("prov37", PASSWORD.toCharArray()), d.getDocumentElement()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(d), new StreamResult(out));
        return out.toByteArray();
    }

    private static X509Certificate certificate() throws Exception {
        return (X509Certificate) keys.getCertificate("prov37");
    }

    /** A PKCS#12 store with an RSA key and its self-signed certificate, made by the JDK's keytool. */
    private static KeyStore keyStore() throws Exception {
        Path store = DIR.resolve("keys.p12");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "prov37", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=prov37 signer, O=So Cong Thuong, C=VN", "-validity", "3650",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}

package vn.lienthong.connectors.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.ORGANS;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.decode;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.resource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.ValidationResult;

/**
 * XML-DSig in edXML (README §7), with keys and self-signed certificates made by the JDK's keytool:
 * a valid signature is accepted and its signer named, a changed document, an unknown signer, SHA-1
 * and other algorithms, partial or external references are refused; no signature reads as unsigned.
 */
class EdxmlSignatureTest {

    static final String PLAIN = "formats/edxml/examples/plain/thong-bao-vi-pham-ninh-binh.edxml";
    static final String PROFILE = "formats/edxml/examples/violation.notice-smuggled-cigarettes.edxml";
    static final String PASSWORD = "changeit";
    static final String SIGNATURE = "/edXML/Signature";

    static Path dir;
    static KeyStore keys;

    @BeforeAll
    static void keys() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "edxml-signers");
        Path store = dir.resolve("keys.p12");
        keytool(store, "prov37", "RSA", "SHA256withRSA", "-keysize", "2048");
        keytool(store, "prov37-ec", "EC", "SHA256withECDSA", "-groupname", "secp256r1");
        keytool(store, "stranger", "RSA", "SHA256withRSA", "-keysize", "2048");
        keytool(store, "prov37-expired", "RSA", "SHA256withRSA", "-keysize", "2048", "-startdate", "-2y");
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
    }

    private static void keytool(Path store, String alias, String algorithm, String sigalg, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", algorithm, "-sigalg", sigalg,
                "-dname", "CN=" + alias + " test signer, O=lienthong tests, C=VN",
                "-validity", alias.endsWith("expired") ? "30" : "3650", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
    }

    static X509Certificate certificate(String alias) throws Exception {
        return (X509Certificate) keys.getCertificate(alias);
    }

    static PrivateKey key(String alias) throws Exception {
        return (PrivateKey) keys.getKey(alias, PASSWORD.toCharArray());
    }

    /** PROV.37 may sign with its RSA, EC and expired keys; "stranger" is nobody's. */
    static EdxmlConnector connector() throws Exception {
        SignerTrust trust = SignerTrust.of(Map.of("PROV.37",
                List.of(certificate("prov37"), certificate("prov37-ec"), certificate("prov37-expired"))));
        return new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE, ORGANS, trust, Clock.systemUTC());
    }

    /** The document with an enveloped signature over all of it, appended to the root element. */
    static byte[] sign(byte[] document, String alias, String signatureMethod, String digestMethod) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(document));
        XMLSignatureFactory xf = XMLSignatureFactory.getInstance("DOM");
        Reference reference = xf.newReference("", xf.newDigestMethod(digestMethod, null),
                List.of(xf.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                        xf.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
        SignedInfo info = xf.newSignedInfo(xf.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                (C14NMethodParameterSpec) null), xf.newSignatureMethod(signatureMethod, null), List.of(reference));
        KeyInfoFactory kf = xf.getKeyInfoFactory();
        xf.newXMLSignature(info, kf.newKeyInfo(List.of(kf.newX509Data(List.of(certificate(alias))))))
                .sign(new DOMSignContext(key(alias), d.getDocumentElement()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(d), new StreamResult(out));
        return out.toByteArray();
    }

    static Decoded only(byte[] edxml) throws Exception {
        List<Decoded> items = decode(connector(), edxml);
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    static Decoded.Failure refused(byte[] edxml) throws Exception {
        Decoded item = only(edxml);
        assertThat(item).as(item.toString()).isInstanceOf(Decoded.Failure.class);
        return (Decoded.Failure) item;
    }

    static Decoded.Canonical accepted(byte[] edxml) throws Exception {
        Decoded item = only(edxml);
        assertThat(item).as(item.toString()).isInstanceOf(Decoded.Canonical.class);
        return (Decoded.Canonical) item;
    }

    @Test
    void aValidRsaSignatureIsVerifiedAndItsSignerNamed() throws Exception {
        Decoded.Canonical item = accepted(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA256));
        assertThat(item.signature().status()).isEqualTo(Decoded.Signature.Status.VERIFIED);
        assertThat(item.signature().signer()).startsWith("PROV.37 (CN=prov37 test signer,O=lienthong tests,C=VN, SHA-256 ")
                .contains(SignatureCheck.fingerprint(certificate("prov37")));
        // The signature changes nothing in the message.
        assertThat(item.json()).isEqualTo(accepted(resource(PLAIN)).json());
    }

    @Test
    void aValidEcdsaSignatureOfALienthongMessageIsVerified() throws Exception {
        Decoded.Canonical item = accepted(sign(resource(PROFILE), "prov37-ec", SignatureMethod.ECDSA_SHA256, DigestMethod.SHA256));
        assertThat(item.signature().status()).isEqualTo(Decoded.Signature.Status.VERIFIED);
        assertThat(item.location()).isEqualTo("/edXML/AttachmentEncoded/Attachment");
    }

    @Test
    void aDocumentWithoutSignatureIsReadAndMarkedUnsigned() throws Exception {
        Decoded.Canonical item = accepted(resource(PLAIN));
        assertThat(item.signature()).isEqualTo(Decoded.Signature.UNSIGNED);
    }

    @Test
    void aDocumentChangedAfterSigningIsRefused() throws Exception {
        String signed = new String(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA256),
                StandardCharsets.UTF_8);
        String changed = signed.replace("<lt:Cccd>035190004321</lt:Cccd>", "<lt:Cccd>035190004322</lt:Cccd>");
        assertThat(changed).isNotEqualTo(signed);
        Decoded.Failure f = refused(changed.getBytes(StandardCharsets.UTF_8));
        assertThat(f.location()).as(f.message()).isEqualTo(SIGNATURE + "/SignedInfo/Reference/DigestValue");
        assertThat(f.message()).isEqualTo("the document was changed after it was signed: the SHA-256 digest of the"
                + " document does not match the signed one");

        // A changed signature value: the digest holds, the signature does not.
        int at = signed.indexOf("SignatureValue>") + "SignatureValue>".length() + 20;
        char c = signed.charAt(at);
        assertThat(String.valueOf(c)).matches("[A-Za-z0-9+/]");
        String forged = signed.substring(0, at) + (c == 'A' ? 'B' : 'A') + signed.substring(at + 1);
        Decoded.Failure g = refused(forged.getBytes(StandardCharsets.UTF_8));
        assertThat(g.location()).as(g.message()).isEqualTo(SIGNATURE + "/SignatureValue");
        assertThat(g.message()).isEqualTo("the SignatureValue does not verify with the key of the signer certificate");
    }

    @Test
    void anUnknownSignerIsRefused() throws Exception {
        Decoded.Failure f = refused(sign(resource(PLAIN), "stranger", SignatureMethod.RSA_SHA256, DigestMethod.SHA256));
        assertThat(f.location()).as(f.message()).isEqualTo(SIGNATURE + "/KeyInfo");
        assertThat(f.message()).isEqualTo("the signer certificate (CN=stranger test signer,O=lienthong tests,C=VN,"
                + " SHA-256 " + SignatureCheck.fingerprint(certificate("stranger")) + ") is not one configured for PROV.37");

        // A sender without certificates cannot have its signed documents verified.
        EdxmlConnector noTrust = new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE, ORGANS);
        Decoded.Failure g = (Decoded.Failure) decode(noTrust,
                sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA256)).get(0);
        assertThat(g.message()).startsWith("no signer certificate is configured for PROV.37");
    }

    @Test
    void anExpiredSignerCertificateIsRefused() throws Exception {
        Decoded.Failure f = refused(sign(resource(PLAIN), "prov37-expired", SignatureMethod.RSA_SHA256, DigestMethod.SHA256));
        assertThat(f.location()).as(f.message()).isEqualTo(SIGNATURE + "/KeyInfo");
        assertThat(f.message()).startsWith("the signer certificate of PROV.37 expired on ");
    }

    @Test
    void sha1AndOtherAlgorithmsAreRefused() throws Exception {
        Decoded.Failure rsaSha1 = refused(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA1, DigestMethod.SHA256));
        assertThat(rsaSha1.location()).as(rsaSha1.message()).isEqualTo(SIGNATURE + "/SignedInfo/SignatureMethod");
        assertThat(rsaSha1.message()).isEqualTo("SignatureMethod http://www.w3.org/2000/09/xmldsig#rsa-sha1 is not"
                + " accepted; RSA-SHA256 or ECDSA-SHA256 (SHA-1 and others are refused)");

        Decoded.Failure sha1Digest = refused(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA1));
        assertThat(sha1Digest.location()).as(sha1Digest.message()).isEqualTo(SIGNATURE + "/SignedInfo/Reference/DigestMethod");
        assertThat(sha1Digest.message()).startsWith("DigestMethod http://www.w3.org/2000/09/xmldsig#sha1 is not accepted");

        Decoded.Failure sha512 = refused(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA512, DigestMethod.SHA256));
        assertThat(sha512.message()).startsWith("SignatureMethod http://www.w3.org/2001/04/xmldsig-more#rsa-sha512 is not accepted");
    }

    @Test
    void onlyTheWholeDocumentMaySignedAndNothingOutsideItIsFetched() throws Exception {
        String signed = new String(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA256),
                StandardCharsets.UTF_8);
        assertThat(signed).contains("URI=\"\"");
        // A listener that would see a fetch: the reference is refused before anything is dereferenced.
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(1);
            String external = signed.replace("URI=\"\"", "URI=\"http://127.0.0.1:" + listener.getLocalPort() + "/evil.xml\"");
            Decoded.Failure f = refused(external.getBytes(StandardCharsets.UTF_8));
            assertThat(f.location()).as(f.message()).isEqualTo(SIGNATURE + "/SignedInfo/Reference");
            assertThat(f.message()).startsWith("Reference URI 'http://127.0.0.1:" + listener.getLocalPort()
                    + "/evil.xml' is not accepted: only URI=\"\" (the whole document) is");
            org.assertj.core.api.Assertions.assertThatThrownBy(listener::accept)
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
        Decoded.Failure partial = refused(signed.replace("URI=\"\"", "URI=\"#part\"").getBytes(StandardCharsets.UTF_8));
        assertThat(partial.message()).startsWith("Reference URI '#part' is not accepted");

        String twice = signed.replaceAll("(?s)(<(?:[a-zA-Z]+:)?Signature .*</(?:[a-zA-Z]+:)?Signature>)", "$1$1");
        Decoded.Failure two = refused(twice.getBytes(StandardCharsets.UTF_8));
        assertThat(two.location()).as(two.message()).isEqualTo("/edXML/Signature[2]");
        assertThat(two.message()).isEqualTo("2 XML signatures; one enveloped signature over the whole document is expected");
    }

    @Test
    void signerCertificatesAreReadFromAFolderOrAKeyStore() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Files.writeString(folder.resolve("PROV.37-2026.pem"), pem(certificate("prov37")) + pem(certificate("prov37-ec")));
        Files.write(folder.resolve("MOIT.DMS.cer"), certificate("stranger").getEncoded());
        Files.writeString(folder.resolve("README.txt"), "not a certificate");
        SignerTrust fromFolder = SignerTrust.fromDirectory(folder);
        assertThat(fromFolder.agencies()).containsExactly("MOIT.DMS", "PROV.37");
        assertThat(fromFolder.certificates("PROV.37")).containsExactly(certificate("prov37"), certificate("prov37-ec"));
        EdxmlConnector c = new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE, ORGANS, fromFolder, Clock.systemUTC());
        Decoded item = decode(c, sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA256)).get(0);
        assertThat(((Decoded.Canonical) item).signature().status()).isEqualTo(Decoded.Signature.Status.VERIFIED);

        Files.writeString(folder.resolve("PROV.79.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignerTrust.fromDirectory(folder))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PROV.79.pem");

        SignerTrust fromStore = SignerTrust.fromKeyStore(keys);
        assertThat(fromStore.agencies()).contains("PROV37", "STRANGER");
        KeyStore named = KeyStore.getInstance("PKCS12");
        named.load(null, null);
        named.setCertificateEntry("PROV.37:rsa", certificate("prov37"));
        assertThat(SignerTrust.fromKeyStore(named).certificates("PROV.37")).containsExactly(certificate("prov37"));
    }

    @Test
    void aVerifiedPlainDocumentIsStillTheGoldenMessage() throws Exception {
        Decoded.Canonical item = accepted(sign(resource(PLAIN), "prov37", SignatureMethod.RSA_SHA256, DigestMethod.SHA256));
        ValidationResult r = EdxmlFixtures.VALIDATOR.validate(item.json());
        assertThat(r.errors()).isEmpty();
        assertThat(CanonicalJson.mapper().readTree(item.json()))
                .isEqualTo(CanonicalJson.mapper().readTree(resource(PLAIN.replace(".edxml", ".json"))));
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}

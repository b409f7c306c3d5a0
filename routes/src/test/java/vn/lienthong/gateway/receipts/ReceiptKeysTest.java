package vn.lienthong.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receipt keys: where they come from, which one signs, which are published, and the failures an operator sees. */
class ReceiptKeysTest {

    private static final char[] PASSWORD = "store-pass-123".toCharArray();
    private static final byte[] RECEIPT = "{\"type\":\"receipt\",\"payload\":{\"status\":\"ACCEPTED\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void withoutAKeyStoreTheGatewayRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> ReceiptKeys.configured("", "", "", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no receipt signing key")
                .hasMessageContaining("lienthong.receipts.key-store")
                .hasMessageContaining("LIENTHONG_RECEIPTS_KEY_STORE");
        assertThatThrownBy(() -> ReceiptKeys.configured(dir.resolve("absent.p12").toString(), "x", "", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("absent.p12").hasMessageContaining("does not exist");
    }

    @Test
    void theEmbeddedKeyIsGeneratedOnceAndKeptAcrossRestarts() throws Exception {
        Path store = dir.resolve("embedded").resolve("receipt-signing.p12");
        ReceiptKeys first = ReceiptKeys.configured(store.toString(), new String(PASSWORD), "", true);
        ReceiptKeys second = ReceiptKeys.configured(store.toString(), new String(PASSWORD), "", true);

        assertThat(Files.isRegularFile(store)).isTrue();
        assertThat(second.signingPublicKey().getKeyID()).isEqualTo(first.signingPublicKey().getKeyID());
        assertThat(first.signingPublicKey().getAlgorithm()).hasToString("ES256");
        String jws = new String(new ReceiptSigner(first).sign(RECEIPT), StandardCharsets.US_ASCII);
        assertThat(new ReceiptVerifier(second.publicKeys()).verify(jws)).isEqualTo(RECEIPT);
    }

    @Test
    void theSignedReceiptCarriesTheAgreedHeaderAndTheExactPayload() throws Exception {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("k.p12"), PASSWORD);
        byte[] jws = new ReceiptSigner(keys).sign(RECEIPT);

        JWSObject parsed = JWSObject.parse(new String(jws, StandardCharsets.US_ASCII));
        assertThat(parsed.getHeader().getAlgorithm()).hasToString("ES256");
        assertThat(parsed.getHeader().getKeyID()).isEqualTo(keys.signingPublicKey().computeThumbprint().toString());
        assertThat(parsed.getHeader().getType()).hasToString("lienthong-receipt+jws");
        assertThat(parsed.getHeader().getContentType()).isEqualTo("application/json");
        assertThat(ReceiptSigner.payload(jws)).isEqualTo(RECEIPT);
        assertThatThrownBy(() -> ReceiptSigner.payload("not.a.jws.at.all".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void afterARolloverOnlyTheConfiguredAliasSignsAndEveryKeyIsPublished() throws Exception {
        Path store = dir.resolve("rollover.p12");
        keytool(store, "receipts-2025", "EC", "256");
        keytool(store, "receipts-2026", "EC", "256");
        ReceiptKeys before = ReceiptKeys.load(store, PASSWORD, "receipts-2025");
        byte[] oldReceipt = new ReceiptSigner(before).sign(RECEIPT);

        ReceiptKeys after = ReceiptKeys.load(store, PASSWORD, "receipts-2026");

        assertThat(after.signingAlias()).isEqualTo("receipts-2026");
        assertThat(after.publicKeys().getKeys()).hasSize(2).noneMatch(JWK::isPrivate);
        assertThat(after.publicKeys().getKeys()).extracting(JWK::getKeyID)
                .containsExactlyInAnyOrder(before.signingPublicKey().getKeyID(), after.signingPublicKey().getKeyID());
        byte[] newReceipt = new ReceiptSigner(after).sign(RECEIPT);
        assertThat(JWSObject.parse(new String(newReceipt, StandardCharsets.US_ASCII)).getHeader().getKeyID())
                .isEqualTo(after.signingPublicKey().getKeyID());
        ReceiptVerifier verifier = new ReceiptVerifier(after.publicKeys());
        assertThat(verifier.verify(new String(oldReceipt, StandardCharsets.US_ASCII))).as("signed before the rollover")
                .isEqualTo(RECEIPT);
        assertThat(verifier.verify(new String(newReceipt, StandardCharsets.US_ASCII))).isEqualTo(RECEIPT);
        assertThatThrownBy(() -> ReceiptKeys.load(store, PASSWORD, ""))
                .hasMessageContaining("2 private keys").hasMessageContaining("lienthong.receipts.key-alias");
        assertThatThrownBy(() -> ReceiptKeys.load(store, PASSWORD, "receipts-2027"))
                .hasMessageContaining("no entry receipts-2027").hasMessageContaining("receipts-2026");
    }

    @Test
    void anRsaKeySignsWithRs256() throws Exception {
        Path store = dir.resolve("rsa.p12");
        keytool(store, "receipts-rsa", "RSA", "2048");
        ReceiptKeys keys = ReceiptKeys.load(store, PASSWORD, "");

        byte[] jws = new ReceiptSigner(keys).sign(RECEIPT);

        assertThat(JWSObject.parse(new String(jws, StandardCharsets.US_ASCII)).getHeader().getAlgorithm()).hasToString("RS256");
        assertThat(new ReceiptVerifier(keys.publicKeys()).verify(new String(jws, StandardCharsets.US_ASCII))).isEqualTo(RECEIPT);
    }

    @Test
    void aWrongPasswordIsNamedWithoutTheSecret() throws Exception {
        Path store = dir.resolve("pw.p12");
        keytool(store, "receipts", "EC", "256");
        assertThatThrownBy(() -> ReceiptKeys.configured(store.toString(), "the-wrong-secret", "", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pw.p12").hasMessageContaining("password")
                .hasMessageNotContaining("the-wrong-secret").hasMessageNotContaining(new String(PASSWORD));
    }

    /** An entry added to a PKCS12 store with the JDK's keytool, as an operator would. */
    private static void keytool(Path store, String alias, String algorithm, String size) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-noprompt", "-alias", alias,
                "-keyalg", algorithm, "-keysize", size, "-dname", "CN=" + alias, "-validity", "365",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}

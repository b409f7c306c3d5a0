package vn.lienthong.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receipt-verify command: receipts in a file, keys from a saved copy of GET /api/v1/keys. */
class ReceiptVerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void validReceiptsPassAndATamperedOneFails() throws Exception {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("k.p12"), "verify-test-pass".toCharArray());
        ReceiptSigner signer = new ReceiptSigner(keys);
        Path keySet = Files.writeString(dir.resolve("keys.json"), keys.publicKeys().toString());
        String a = new String(signer.sign("{\"n\":1}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
        String b = new String(signer.sign("{\"n\":2}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
        Path good = Files.write(dir.resolve("good.jws"), List.of(a, b), StandardCharsets.US_ASCII);
        String[] parts = b.split("\\.");
        String tampered = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode("{\"n\":3}") + "." + parts[2];
        Path bad = Files.write(dir.resolve("bad.jws"), List.of(a, tampered), StandardCharsets.US_ASCII);

        Run ok = run(good.toString(), keySet.toString());
        Run notOk = run(bad.toString(), keySet.toString());
        Run usage = run(good.toString());

        assertThat(ok.status()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("receipt 1: signature valid", "{\"n\":1}", "receipt 2: signature valid", "{\"n\":2}");
        assertThat(notOk.status()).isEqualTo(1);
        assertThat(notOk.out()).contains("receipt 1: signature valid", "receipt 2: NOT VALID").doesNotContain("{\"n\":3}");
        assertThat(usage.status()).isEqualTo(2);
    }

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReceiptVerifyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }
}

package vn.lienthong.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
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

    @Test
    void batchReceiptsPassAndOneWithAnAlteredReceiptOrPathFails() throws Exception {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("k.p12"), "verify-test-pass".toCharArray());
        ReceiptSigner signer = new ReceiptSigner(keys);
        Path keySet = Files.writeString(dir.resolve("keys.json"), keys.publicKeys().toString());
        List<String> batch = signer.signBatch(List.of("{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                "{\"n\":2}".getBytes(StandardCharsets.UTF_8), "{\"n\":3}".getBytes(StandardCharsets.UTF_8)))
                .stream().map(r -> new String(r, StandardCharsets.US_ASCII)).toList();
        Path good = Files.write(dir.resolve("batch.jws"), batch, StandardCharsets.US_ASCII);
        BatchReceipt second = BatchReceipt.parse(batch.get(1).getBytes(StandardCharsets.US_ASCII));
        String otherReceipt = new String(BatchReceipt.write("{\"n\":4}".getBytes(StandardCharsets.UTF_8),
                second.path(), second.rootJws()), StandardCharsets.US_ASCII);
        String otherPath = new String(BatchReceipt.write(second.receipt(),
                List.of(new ReceiptTree.Step(new byte[32], false)), second.rootJws()), StandardCharsets.US_ASCII);
        Path bad = Files.write(dir.resolve("bad.jws"), List.of(batch.get(0), otherReceipt, otherPath),
                StandardCharsets.US_ASCII);

        Run ok = run(good.toString(), keySet.toString());
        Run notOk = run(bad.toString(), keySet.toString());

        assertThat(batch).allSatisfy(r -> assertThat(r).startsWith("{").doesNotContain("\n"));
        assertThat(ok.status()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("receipt 1: signature valid", "{\"n\":1}", "receipt 3: signature valid",
                "{\"n\":3}");
        assertThat(notOk.status()).isEqualTo(1);
        assertThat(notOk.out()).contains("receipt 1: signature valid", "receipt 2: NOT VALID", "receipt 3: NOT VALID")
                .contains("do not lead to the signed root").doesNotContain("{\"n\":4}");
    }

    @Test
    void theKeysCanBeFetchedFromTheKeysUrl() throws Exception {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("k.p12"), "verify-test-pass".toCharArray());
        String jws = new String(new ReceiptSigner(keys).sign("{\"n\":1}".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.US_ASCII);
        Path file = Files.write(dir.resolve("r.jws"), List.of(jws), StandardCharsets.US_ASCII);
        byte[] keySet = keys.publicKeys().toString().getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, keySet.length);
            exchange.getResponseBody().write(keySet);
            exchange.close();
        });
        server.start();
        try {
            Run ok = run(file.toString(), "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/keys");
            Run unreachable = run(file.toString(), "http://127.0.0.1:" + server.getAddress().getPort() + "/nothing");
            assertThat(ok.status()).as(ok.out()).isZero();
            assertThat(unreachable.status()).as(unreachable.out()).isEqualTo(2);
        } finally {
            server.stop(0);
        }
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

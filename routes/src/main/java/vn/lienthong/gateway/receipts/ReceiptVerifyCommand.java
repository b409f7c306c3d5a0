package vn.lienthong.gateway.receipts;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;

/**
 * Verifies signed receipts from the command line: {@code receipt-verify <jws-file> <keys>}, where
 * the file holds one receipt per line (a compact JWS or a batch receipt, {@link BatchReceipt}) (a JMS or Kafka receipt saved to a file, a REST
 * {@code Lienthong-Receipt-Jws} header, an SFTP {@code .jws} sidecar) and {@code keys} is the
 * gateway's {@code /api/v1/keys} URL or a saved copy of it. Prints each verified receipt's JSON;
 * exit 0 when every receipt verifies, 1 when one does not, 2 when it could not check.
 */
public final class ReceiptVerifyCommand {

    private ReceiptVerifyCommand() {
    }

    /** Runs the check and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the check; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("usage: receipt-verify <jws-file> <keys-url-or-file>"
                    + "   e.g. receipt-verify receipt.jws http://127.0.0.1:8080/api/v1/keys");
            return 2;
        }
        List<String> receipts;
        JWKSet keys;
        try {
            receipts = Files.readAllLines(Path.of(args[0]), StandardCharsets.US_ASCII).stream()
                    .map(String::trim).filter(line -> !line.isEmpty()).toList();
            keys = args[1].startsWith("http://") || args[1].startsWith("https://")
                    ? JWKSet.load(new URL(args[1]), 10_000, 10_000, 1024 * 1024)
                    : JWKSet.load(Path.of(args[1]).toFile());
        } catch (IOException | ParseException | IllegalArgumentException e) {
            err.println("receipts not verified: " + e.getMessage());
            return 2;
        }
        if (receipts.isEmpty()) {
            err.println("receipts not verified: " + args[0] + " holds no receipt");
            return 2;
        }
        ReceiptVerifier verifier = new ReceiptVerifier(keys);
        int failed = 0;
        for (int i = 0; i < receipts.size(); i++) {
            try {
                byte[] payload = verifier.verify(receipts.get(i));
                out.println("receipt " + (i + 1) + ": signature valid");
                out.println(new String(payload, StandardCharsets.UTF_8));
            } catch (ReceiptVerifier.InvalidReceiptException e) {
                failed++;
                out.println("receipt " + (i + 1) + ": NOT VALID: " + e.getMessage());
            }
        }
        return failed == 0 ? 0 : 1;
    }
}

package vn.lienthong.gateway.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lienthong.gateway.receipts.ReceiptKeys;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.receipts.ReceiptVerifier;
import vn.lienthong.schemas.validation.CanonicalJson;

/** Download links: signed with the gateway's key, for one file and one agency, until they expire. */
class DownloadLinksTest {

    private static final String SHA = "1520d0280079440bd83483b19a55266b755ccd1fdfb29e0f2836056a1789862c";
    private static final UUID MESSAGE = UUID.fromString("5d312cef-c9df-43c4-9d47-ebd0d5701609");

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));

    private DownloadLinks links() {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("keys.p12"), "pass-1234".toCharArray());
        ReceiptSigner signer = new ReceiptSigner(keys);
        ReceiptVerifier verifier = new ReceiptVerifier(keys.publicKeys());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new DownloadLinks(signer::sign, verifier::verify, () -> "https://lienthong.example/", Duration.ofHours(72),
                clock);
    }

    @Test
    void aLinkGrantsItsFileToItsAgencyUntilItExpires() {
        DownloadLinks links = links();
        String link = links.link(MESSAGE, SHA, "MPS.C03");
        assertThat(link).startsWith("https://lienthong.example/api/v1/attachments/" + SHA + "?sig=");
        String sig = link.substring(link.indexOf("?sig=") + 5);

        assertThat(links.verify(SHA, sig)).hasValueSatisfying(g -> {
            assertThat(g.agency()).isEqualTo("MPS.C03");
            assertThat(g.messageId()).isEqualTo(MESSAGE);
            assertThat(g.expires()).isEqualTo(Instant.parse("2026-12-10T10:00:00Z"));
        });
        assertThat(links.verify("0".repeat(64), sig)).as("another file").isEmpty();
        assertThat(links.verify(SHA, sig.substring(0, sig.length() - 2) + "xx")).as("altered").isEmpty();
        assertThat(links.verify(SHA, "")).isEmpty();

        now.set(Instant.parse("2026-12-10T10:00:00Z"));
        assertThat(links.verify(SHA, sig)).as("expired").isEmpty();
    }

    @Test
    void aReceiptSignedByTheSameKeyIsNoLink() {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("keys.p12"), "pass-1234".toCharArray());
        String receipt = new String(new ReceiptSigner(keys).sign(("{\"sha256\":\"" + SHA + "\",\"agency\":\"MPS.C03\","
                + "\"messageId\":\"" + MESSAGE + "\",\"exp\":4102444800}").getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.US_ASCII);
        assertThat(links().verify(SHA, receipt)).isEmpty();
    }

    @Test
    void aDeliveredMessageCarriesItsRecipientsLinksAndAMessageWithoutAttachmentsIsUntouched() throws Exception {
        DownloadLinks links = links();
        byte[] canonical = ("{\"messageId\":\"" + MESSAGE + "\",\"attachments\":[{\"name\":\"a.pdf\",\"mediaType\":"
                + "\"application/pdf\",\"size\":3,\"sha256\":\"" + SHA + "\",\"ref\":\"att:" + SHA + "/a.pdf\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode delivered = CanonicalJson.mapper().readTree(links.withLinks(canonical, MESSAGE, "MPS.C03"));
        String ref = delivered.at("/attachments/0/ref").asText();
        assertThat(ref).startsWith("https://lienthong.example/api/v1/attachments/" + SHA + "?sig=");
        assertThat(links.verify(SHA, ref.substring(ref.indexOf("?sig=") + 5)).map(DownloadLinks.Grant::agency))
                .hasValue("MPS.C03");

        byte[] none = ("{\"messageId\":\"" + MESSAGE + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(links.withLinks(none, MESSAGE, "MPS.C03")).isSameAs(none);
    }
}

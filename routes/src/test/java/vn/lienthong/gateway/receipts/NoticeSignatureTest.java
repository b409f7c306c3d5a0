package vn.lienthong.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's notices and pushed deliveries are signed with the receipts' key under types of
 * their own, and detached signatures verify over the bytes they came beside — and over no others.
 */
class NoticeSignatureTest {

    @TempDir
    Path dir;

    @Test
    void aDetachedNoticeSignatureVerifiesOverItsBodyOnly() throws Exception {
        ReceiptKeys keys = ReceiptKeys.loadOrGenerate(dir.resolve("k.p12"), "notice-test-pass".toCharArray());
        byte[] body = "{\"type\":\"delivery.abandoned\"}".getBytes(StandardCharsets.UTF_8);
        String detached = ReceiptSigner.forNotices(keys).signDetached(body);
        assertThat(detached).matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");

        ReceiptVerifier notices = new ReceiptVerifier(keys.publicKeys(), ReceiptSigner.NOTICE_TYPE);
        assertThat(notices.verifyDetached(detached, body)).isEqualTo(body);
        assertThatThrownBy(() -> notices.verifyDetached(detached, "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ReceiptVerifier.InvalidReceiptException.class).hasMessageContaining("does not match");
        // Neither a receipt nor a pushed delivery: each typ is checked.
        assertThatThrownBy(() -> new ReceiptVerifier(keys.publicKeys()).verifyDetached(detached, body))
                .isInstanceOf(ReceiptVerifier.InvalidReceiptException.class).hasMessageContaining("typ");
        String pushed = new String(ReceiptSigner.forDeliveries(keys).sign(body), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> notices.verify(pushed)).isInstanceOf(ReceiptVerifier.InvalidReceiptException.class);
        assertThat(new ReceiptVerifier(keys.publicKeys(), ReceiptSigner.DELIVERY_TYPE).verify(pushed)).isEqualTo(body);
    }
}

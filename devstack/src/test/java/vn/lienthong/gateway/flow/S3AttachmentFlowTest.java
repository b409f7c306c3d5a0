package vn.lienthong.gateway.flow;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.testsupport.S3Server;

/**
 * {@link AttachmentFlowTest} with the attachments in an S3-compatible store (S3Proxy on 127.0.0.1,
 * {@code lienthong.attachments.store=s3}, the bucket created at start): the 50 MB case file through
 * REST and SFTP, delivered and downloaded with the same SHA-256, a tampered one refused, and the raw
 * S3 object sealed.
 */
class S3AttachmentFlowTest extends AttachmentFlowTest {

    private static final String BUCKET = "lienthong-flow-attachments";

    @DynamicPropertySource
    static void s3Store(DynamicPropertyRegistry registry) {
        S3Server.shared().gatewayProperties(BUCKET).forEach((k, v) -> registry.add(k, () -> v));
    }

    /** The raw S3 object, read with the server's own client. */
    @Override
    byte[] rawStored(String sha256) {
        try (var s3 = S3Server.shared().client()) {
            return s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(sha256.substring(0, 2) + "/" + sha256)).asByteArray();
        }
    }
}

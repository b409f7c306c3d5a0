package vn.lienthong.gateway.attachments;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Attachments ({@code lienthong.attachments.*}).
 *
 * @param folder where the file store keeps the blobs (relative: under the working directory, as the
 *     other data of the embedded default)
 * @param maxBytes the largest file one upload may carry (413 beyond); the schema allows up to 10 GiB
 * @param linkLifetime how long a delivered download link stays valid (longer than the dispatch's
 *     give-up time, so a late delivery still carries a usable link)
 * @param publicUrl the gateway's base URL as recipients reach it, for download links; empty: the
 *     HTTP server's own address and port
 * @param requireStored whether the ingress refuses a message whose attachments the gateway does
 *     not hold (off only for tests whose example messages name files nobody uploaded)
 * @param store where the blobs are kept: {@code file} (under {@code folder}) or {@code s3} (see {@code s3})
 * @param s3 the S3-compatible store, when {@code store} is {@code s3}
 * @param sealed whether stored blobs are sealed at rest (AES-GCM streaming under the attachment data
 *     keys); on by default, off only for tools that must read the store's files as they are
 */
@ConfigurationProperties(prefix = "lienthong.attachments")
public record AttachmentSettings(
        @DefaultValue("data/attachments") String folder,
        @DefaultValue("209715200") long maxBytes,
        @DefaultValue("72h") Duration linkLifetime,
        @DefaultValue("") String publicUrl,
        @DefaultValue("true") boolean requireStored,
        @DefaultValue("file") String store,
        @DefaultValue S3 s3,
        @DefaultValue("true") boolean sealed) {

    /**
     * The S3-compatible store ({@code lienthong.attachments.s3.*}); requests are path-style, so any
     * S3-compatible server works.
     *
     * @param endpoint the server's URL (blank: AWS S3 of {@code region})
     * @param region the signing region
     * @param bucket the bucket
     * @param prefix what object names start with ("" or ending in "/")
     * @param accessKey the access key (blank: the AWS SDK's default chain, e.g. the environment's
     *     {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY})
     * @param secretKey its secret
     * @param createBucket whether the gateway creates the bucket at start when it is absent
     */
    public record S3(
            @DefaultValue("") String endpoint,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("") String bucket,
            @DefaultValue("") String prefix,
            @DefaultValue("") String accessKey,
            @DefaultValue("") String secretKey,
            @DefaultValue("false") boolean createBucket) {

        /** Never the secret. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                    + ", accessKey=" + (accessKey.isBlank() ? "(default chain)" : "(set)") + ", createBucket="
                    + createBucket + "]";
        }
    }
}

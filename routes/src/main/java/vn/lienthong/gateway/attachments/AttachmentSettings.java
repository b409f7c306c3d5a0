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
 */
@ConfigurationProperties(prefix = "lienthong.attachments")
public record AttachmentSettings(
        @DefaultValue("data/attachments") String folder,
        @DefaultValue("209715200") long maxBytes,
        @DefaultValue("72h") Duration linkLifetime,
        @DefaultValue("") String publicUrl,
        @DefaultValue("true") boolean requireStored) {
}

package vn.lienthong.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's own settings ({@code lienthong.*}); brokers and the database use Spring's and
 * Camel's usual properties.
 *
 * @param registry the agency registry file
 * @param maxMessageBytes the largest accepted message (attachments travel by reference)
 * @param journal batching of the journal's commits
 * @param dispatch the outbox poller and its retry policy
 * @param ingress channel consumers
 * @param sftp the SFTP server the gateway reads drops from and writes deliveries to
 * @param receipts the key that signs receipts
 */
@ConfigurationProperties(prefix = "lienthong")
public record GatewaySettings(
        @DefaultValue("config/agencies.yaml") String registry,
        @DefaultValue("5242880") int maxMessageBytes,
        @DefaultValue Journal journal,
        @DefaultValue Dispatch dispatch,
        @DefaultValue Ingress ingress,
        @DefaultValue Sftp sftp,
        @DefaultValue Receipts receipts) {

    /** Group commit: a batch is whatever is waiting, up to maxBatch inputs. */
    public record Journal(@DefaultValue("500") int maxBatch) {
    }

    /** The outbox poller; disabled, the gateway records but does not deliver (maintenance). */
    public record Dispatch(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200") int batchSize,
            @DefaultValue("200ms") Duration pollInterval,
            @DefaultValue("8") int maxAttempts,
            @DefaultValue("1s") Duration initialDelay,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("5m") Duration maxDelay) {
    }

    /** Channel consumers. */
    public record Ingress(
            @DefaultValue("16") int jmsConcurrentConsumers,
            @DefaultValue("500") int kafkaMaxPollRecords,
            @DefaultValue("1s") Duration sftpPollInterval,
            @DefaultValue("lienthong-gateway") String kafkaGroupId) {
    }

    /** The gateway's own account on the SFTP server; it sees every agency's folder. */
    public record Sftp(
            @DefaultValue("127.0.0.1") String host,
            @DefaultValue("2222") int port,
            @DefaultValue("gateway") String username,
            @DefaultValue("") String password) {
    }

    /**
     * The receipt signing key: a PKCS12 key store, its password, and the alias of the signing key
     * (blank if the store holds one key). {@code generate} (the embedded default only) creates the
     * store with a new EC P-256 key when the file does not exist yet.
     */
    public record Receipts(
            @DefaultValue("") String keyStore,
            @DefaultValue("") String keyStorePassword,
            @DefaultValue("") String keyAlias,
            @DefaultValue("false") boolean generate) {

        /** Never the password. */
        @Override
        public String toString() {
            return "Receipts[keyStore=" + keyStore + ", keyAlias=" + keyAlias + ", generate=" + generate + "]";
        }
    }
}

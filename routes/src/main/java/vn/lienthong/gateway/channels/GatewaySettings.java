package vn.lienthong.gateway.channels;

import java.time.Duration;
import java.util.List;
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
 * @param identity the Keycloak realm that vouches for the agencies
 * @param receipts the key that signs receipts
 * @param channelLimits the largest message, as encoded for its recipient, each kind of channel carries
 */
@ConfigurationProperties(prefix = "lienthong")
public record GatewaySettings(
        @DefaultValue("config/agencies.yaml") String registry,
        @DefaultValue("5242880") int maxMessageBytes,
        @DefaultValue Journal journal,
        @DefaultValue Dispatch dispatch,
        @DefaultValue Ingress ingress,
        @DefaultValue Sftp sftp,
        @DefaultValue Identity identity,
        @DefaultValue Receipts receipts,
        @DefaultValue ChannelLimits channelLimits) {

    /**
     * The largest message, in bytes as encoded in the recipient's format, that a kind of channel
     * carries to a recipient; a message larger for one of its recipients is refused at ingress
     * ({@code TOO_LARGE_FOR_RECIPIENT}). Kafka's is kept under the broker's default record limit
     * (1 MiB, {@code message.max.bytes}) with room for headers and record overhead: the gateway's
     * producer allows {@code kafka} plus {@link #KAFKA_RECORD_OVERHEAD} ({@code max.request.size});
     * raise the topics' {@code max.message.bytes} before raising it.
     */
    public record ChannelLimits(
            @DefaultValue("10485760") int rest,
            @DefaultValue("10485760") int jms,
            @DefaultValue("983040") int kafka,
            @DefaultValue("104857600") int sftp) {

        /** Headroom of the Kafka producer's request size over the body limit: headers, batch and record overhead. */
        public static final int KAFKA_RECORD_OVERHEAD = 64 * 1024;
    }

    /** Group commit: a batch is whatever is waiting, up to maxBatch inputs. */
    public record Journal(@DefaultValue("500") int maxBatch) {
    }

    /**
     * The outbox poller (disabled, the gateway records but does not deliver: maintenance) and the
     * default retry policy: 1 s doubling to 5 min between attempts, FAILED 24 h after acceptance
     * (maxAttempts 0: no limit by count), so that a recipient's outage of hours is ridden out. An
     * agency's {@code retry} in the registry overrides parts of it for deliveries to that agency.
     */
    public record Dispatch(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("200") int batchSize,
            @DefaultValue("200ms") Duration pollInterval,
            @DefaultValue("0") int maxAttempts,
            @DefaultValue("1s") Duration initialDelay,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("5m") Duration maxDelay,
            @DefaultValue("24h") Duration giveUpAfter,
            @DefaultValue("30s") Duration kafkaTransactionTimeout,
            @DefaultValue("30s") Duration kafkaSettleMargin,
            @DefaultValue("2") int kafkaProducers) {

        /**
         * Kafka deliveries are exactly once (README "Kafka deliveries exactly once"): a round's Kafka
         * deliveries are one Kafka transaction of at most {@code kafkaTransactionTimeout}; a delivery
         * whose round was interrupted is left alone for the settle time ({@link #kafkaSettle()}),
         * then looked up on its topic before it is sent again; {@code kafkaProducers} transactional
         * producers serve concurrent rounds (the poller's and the urgent wake's).
         */
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Dispatch {
        }

        /** The settings before Kafka transactions, with their defaults (tests). */
        public Dispatch(boolean enabled, int batchSize, Duration pollInterval, int maxAttempts, Duration initialDelay,
                double multiplier, Duration maxDelay, Duration giveUpAfter) {
            this(enabled, batchSize, pollInterval, maxAttempts, initialDelay, multiplier, maxDelay, giveUpAfter,
                    Duration.ofSeconds(30), Duration.ofSeconds(30), 2);
        }

        /**
         * How long a Kafka delivery of an interrupted round waits before it is looked up: the Kafka
         * transaction timeout (the coordinator aborts a transaction left open that long) plus the
         * margin (the broker's check for timed-out transactions runs every 10 s by default; a round's
         * first send may wait up to 5 s for the topic's metadata).
         */
        public Duration kafkaSettle() {
            return kafkaTransactionTimeout.plus(kafkaSettleMargin);
        }
    }

    /**
     * Channel consumers.
     *
     * @param jmsConcurrentConsumers consumers of a JMS inbound queue taken one message at a time
     *     (unused while JMS inputs are consumed in batches)
     * @param jmsBatchSize the most JMS inputs taken, recorded and committed as one batch
     * @param jmsBatchTimeout how long a JMS batch waits for more inputs after its first
     * @param jmsBatchConsumers batch consumers (each its own session) per JMS inbound queue
     */
    public record Ingress(
            @DefaultValue("16") int jmsConcurrentConsumers,
            @DefaultValue("500") int kafkaMaxPollRecords,
            @DefaultValue("1s") Duration sftpPollInterval,
            @DefaultValue("lienthong-gateway") String kafkaGroupId,
            @DefaultValue("500") int jmsBatchSize,
            @DefaultValue("50ms") Duration jmsBatchTimeout,
            @DefaultValue("4") int jmsBatchConsumers) {
    }

    /** The gateway's own account on the SFTP server; it sees every agency's folder. */
    public record Sftp(
            @DefaultValue("127.0.0.1") String host,
            @DefaultValue("2222") int port,
            @DefaultValue("gateway") String username,
            @DefaultValue("") String password,
            @DefaultValue("") String knownHostsFile) {
    }

    /**
     * The Keycloak realm agencies' tokens come from, and the gateway's own client for reading
     * which agencies are enabled.
     *
     * @param issuer the realm's issuer URL ({@code <keycloak>/realms/lienthong}), matched exactly
     * @param audience what every accepted token's {@code aud} must contain
     * @param adminUrl Keycloak's base URL for the admin API; empty: the issuer's base
     * @param gatewayClientId the gateway's confidential client (views clients and users)
     * @param gatewayClientSecret its secret
     * @param directoryRefresh how often the gateway asks which agencies are enabled (at most 30s:
     *     a disabled agency is refused within 60s)
     * @param allowedAlgorithms JWS algorithms accepted on tokens (asymmetric only)
     * @param maxQueuedAge the longest an input may wait in a broker for its token to be checked as
     *     of the broker's acceptance time; an input that waited longer is NOT_AUTHENTICATED
     * @param jmsIngressTimestamp whether the JMS broker stamps the agencies' inbound addresses with
     *     the time it accepted each message (Artemis {@code enable-ingress-timestamp}, which
     *     overwrites a producer's {@code _AMQ_INGRESS_TIMESTAMP}); only then is that time trusted,
     *     otherwise JMS tokens are checked at processing time
     * @param consoleClientId the confidential client people's browsers log in through (authorization code)
     * @param consoleClientSecret its secret
     */
    public record Identity(
            @DefaultValue("") String issuer,
            @DefaultValue("lienthong-gateway") String audience,
            @DefaultValue("") String adminUrl,
            @DefaultValue("lienthong-gateway") String gatewayClientId,
            @DefaultValue("") String gatewayClientSecret,
            @DefaultValue("20s") Duration directoryRefresh,
            @DefaultValue({"RS256", "PS256", "ES256"}) List<String> allowedAlgorithms,
            @DefaultValue("7d") Duration maxQueuedAge,
            @DefaultValue("false") boolean jmsIngressTimestamp,
            @DefaultValue("lienthong-console") String consoleClientId,
            @DefaultValue("") String consoleClientSecret) {

        /** The secrets are not shown: settings get logged. */
        @Override
        public String toString() {
            return "Identity[issuer=" + issuer + ", audience=" + audience + ", adminUrl=" + adminUrl
                    + ", gatewayClientId=" + gatewayClientId + ", directoryRefresh=" + directoryRefresh
                    + ", allowedAlgorithms=" + allowedAlgorithms + ", maxQueuedAge=" + maxQueuedAge
                    + ", jmsIngressTimestamp=" + jmsIngressTimestamp + ", consoleClientId=" + consoleClientId + "]";
        }
    }

    /**
     * The receipt signing key: a PKCS12 key store, its password, and the alias of the signing key
     * (blank if the store holds one key). {@code generate} (the embedded default only) creates the
     * store with a new EC P-256 key when the file does not exist yet. {@code batchSignatures}: the
     * receipts of a batch of queued inputs (a JMS batch, a Kafka poll) are signed with one signature
     * over their Merkle tree (README, "Batch receipts"); false signs each one.
     */
    public record Receipts(
            @DefaultValue("") String keyStore,
            @DefaultValue("") String keyStorePassword,
            @DefaultValue("") String keyAlias,
            @DefaultValue("false") boolean generate,
            @DefaultValue("true") boolean batchSignatures) {

        /** Never the password. */
        @Override
        public String toString() {
            return "Receipts[keyStore=" + keyStore + ", keyAlias=" + keyAlias + ", generate=" + generate + "]";
        }
    }
}

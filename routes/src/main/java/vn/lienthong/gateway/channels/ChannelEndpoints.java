package vn.lienthong.gateway.channels;

import static org.apache.camel.builder.endpoint.StaticEndpointBuilders.jms;
import static org.apache.camel.builder.endpoint.StaticEndpointBuilders.kafka;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.camel.component.jms.JmsMessageType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every Camel endpoint URI of the agencies' channels, built in one place from configuration: the
 * routes name a queue, topic or folder, never a URI. JMS and Kafka endpoints are written with
 * Camel's endpoint DSL (typed options: a misspelt one does not compile); the values that vary by
 * deployment come from {@link GatewaySettings}.
 */
public final class ChannelEndpoints {

    /** The header that tells the SFTP consumer where to move a processed file (done or error). */
    public static final String SFTP_OUTCOME_FOLDER = "LienthongOutcomeFolder";

    /**
     * The bean (a Camel {@code GenericFileFilter}) that lets the SFTP inboxes be read only while
     * the gateway can tell whether agencies are enabled: otherwise files wait in inbox/ instead of
     * being refused for the gateway's own trouble.
     */
    public static final String SFTP_INBOX_FILTER = "sftpInboxFilter";

    private final GatewaySettings settings;

    /** Endpoints under the given settings. */
    public ChannelEndpoints(GatewaySettings settings) {
        this.settings = settings;
    }

    /**
     * An agency's inbound queue: transacted, so a message is acknowledged only with the route's
     * commit; the body is the JMS message, unconverted.
     */
    public String jmsInbound(String queue) {
        int consumers = settings.ingress().jmsConcurrentConsumers();
        // mapJmsMessage(false): the JMS message itself as body, its bytes read as sent (JmsBodies), an
        // ObjectMessage never deserialized.
        return jms("queue:" + queue).transacted(true).cacheLevelName("CACHE_CONSUMER")
                .concurrentConsumers(consumers).maxConcurrentConsumers(consumers).advanced().mapJmsMessage(false).getRawUri();
    }

    /**
     * An agency's inbound queue consumed in batches ({@link JmsBatchComponent}): up to
     * {@code jms-batch-size} messages, collected for at most {@code jms-batch-timeout}, on one
     * transacted session each, by {@code jms-batch-consumers} threads.
     */
    public String jmsInboundBatches(String queue) {
        GatewaySettings.Ingress ingress = settings.ingress();
        return JmsBatchComponent.SCHEME + ":" + queue + "?size=" + ingress.jmsBatchSize() + "&timeoutMillis="
                + ingress.jmsBatchTimeout().toMillis() + "&consumers=" + ingress.jmsBatchConsumers();
    }

    /** A queue the gateway writes to (deliveries, receipts), persistent. */
    public String jmsOutbound(String queue) {
        return jms("queue:" + queue).deliveryPersistent(true).jmsMessageType(JmsMessageType.Text).getRawUri();
    }

    /**
     * An agency's inbound topic, polled in batches with offsets committed by hand after the journal's
     * commit; after a failure the consumer goes back to the last committed offset. Each record gets
     * the broker's append time in a header when its topic is {@code LogAppendTime}.
     */
    public String kafkaInbound(String topic) {
        return kafka(topic).groupId(settings.ingress().kafkaGroupId()).batching(true)
                .maxPollRecords(settings.ingress().kafkaMaxPollRecords()).pollTimeoutMs(500L)
                .autoCommitEnable(false).allowManualCommit(true).breakOnFirstError(true).autoOffsetReset("earliest")
                // The record's bytes exactly as sent: a string deserializer would replace bad UTF-8.
                .keyDeserializer(ByteArrayDeserializer.class.getName())
                .valueDeserializer(ByteArrayDeserializer.class.getName())
                // The broker's append time of each record, when the topic stamps one (token expiry).
                .interceptorClasses(LogAppendTimeStamper.class.getName()).getRawUri();
    }

    /**
     * A topic the gateway writes to, acknowledged by all in-sync replicas, failing within seconds;
     * its request size fits the Kafka channel limit the ingress checks (with headroom for headers).
     */
    public String kafkaOutbound(String topic) {
        return kafka(topic).requestRequiredAcks("all").maxBlockMs(5000).deliveryTimeoutMs(15000).requestTimeoutMs(5000)
                .lingerMs(5).maxRequestSize(settings.channelLimits().kafka()
                        + GatewaySettings.ChannelLimits.KAFKA_RECORD_OVERHEAD).getRawUri();
    }

    /**
     * An agency's SFTP inbox: a file is read once its size stops changing, and moved to done/ or
     * error/ (the route's outcome header) only after the route, i.e. after the journal's commit.
     */
    public String sftpInbox(String folder) {
        return sftp(folder + "/inbox") + "&delay=" + settings.ingress().sftpPollInterval().toMillis()
                + "&readLock=changed&readLockCheckInterval=200&readLockMinAge=200&readLockTimeout=10000"
                // An empty file is read too (and refused EMPTY_BODY), not left waiting without a receipt.
                + "&readLockMinLength=0"
                + "&exclude=" + encode("^\\..*|.*\\.part$")
                + "&move=" + encode("../${header." + SFTP_OUTCOME_FOLDER + "}/${file:name}")
                + "&moveFailed=" + encode("../error/${file:name}")
                + "&maxMessagesPerPoll=100&eagerMaxMessagesPerPoll=false&filter=#" + SFTP_INBOX_FILTER
                // Downloaded to local disk, not into memory: a batch may be a million rows.
                + "&localWorkDirectory=" + encode(Path.of(System.getProperty("java.io.tmpdir"), "lienthong-sftp", folder).toString());
    }

    /** A subfolder of an agency's SFTP folder the gateway writes to, under a temporary name then renamed. */
    public String sftpWrite(String folder, String subfolder) {
        return sftp(folder + "/" + subfolder) + "&tempFileName=" + encode(".${file:name}.part") + "&fileExist=Override";
    }

    private String sftp(String path) {
        GatewaySettings.Sftp s = settings.sftp();
        if (s.knownHostsFile().isBlank()) {
            // Trusting whatever key answers would hand agencies' files to anyone on the path.
            throw new IllegalStateException("lienthong.sftp.known-hosts-file is not set (LIENTHONG_SFTP_KNOWN_HOSTS in"
                    + " production): the gateway checks the SFTP server's host key against that known_hosts file");
        }
        return "sftp://" + s.host() + ":" + s.port() + "/" + path + "?username=" + encode(s.username())
                + "&password=RAW(" + s.password() + ")&strictHostKeyChecking=yes&useUserKnownHostsFile=false"
                + "&knownHostsFile=" + encode(s.knownHostsFile())
                + "&autoCreate=true&stepwise=false&binary=true";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package vn.lienthong.devstack;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One Kafka KRaft node (broker and controller combined).
 *
 * <p>{@link EmbeddedKafkaKraftBroker#kafkaPorts} is ignored in KRaft mode, but Kafka's test kit only
 * defaults {@code listeners}, so setting it pins the port. The log directory cannot be moved: the
 * test kit always makes a fresh one under {@code java.io.tmpdir} (deleted at JVM exit), so a
 * restarted Kafka comes back on the same port but empty.
 */
final class KafkaBroker {

    private final int port;
    private final int partitions;
    private EmbeddedKafkaKraftBroker broker;

    KafkaBroker(int port, int partitions) {
        this.port = port;
        this.partitions = partitions;
    }

    int port() {
        return port;
    }

    synchronized boolean running() {
        return broker != null;
    }

    /** The bootstrap address; the test kit reports "localhost", but the listener is bound to 127.0.0.1. */
    String bootstrap() {
        return Ports.HOST + ":" + port;
    }

    synchronized void start() {
        if (broker != null) {
            return;
        }
        EmbeddedKafkaKraftBroker candidate = new EmbeddedKafkaKraftBroker(1, partitions);
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "EXTERNAL://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":0");
        props.put("auto.create.topics.enable", "true");
        props.put("num.partitions", Integer.toString(partitions));
        props.put("offsets.topic.replication.factor", "1");
        // Kafka's defaults (50 partitions each) make the first consumer group and the first
        // transaction noticeably slow on a single embedded node.
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("min.insync.replicas", "1");
        // Every topic (the agencies' inbound ones among them) keeps the broker's append time, not the
        // producer's: the gateway checks a record's token as of when the broker accepted it.
        props.put("log.message.timestamp.type", "LogAppendTime");
        candidate.brokerProperties(props);
        // Otherwise it sets the system property spring.kafka.bootstrap-servers, which would leak into
        // every Spring context of the JVM, including ones meant for another broker.
        candidate.brokerListProperty(null);
        try {
            candidate.afterPropertiesSet();
        } catch (RuntimeException e) {
            // A failed start (e.g. the port is taken) leaves the controller's threads running.
            try {
                candidate.destroy();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        broker = candidate;
    }

    synchronized void stop() {
        if (broker == null) {
            return;
        }
        try {
            broker.destroy();
        } finally {
            broker = null;
        }
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    synchronized void createTopics(String... topics) {
        if (broker == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        Map<String, Exception> results = broker.addTopicsWithResults(topics);
        results.forEach((topic, error) -> {
            if (error != null && !(rootCause(error) instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create Kafka topic " + topic + " (of "
                        + Arrays.toString(topics) + ")", error);
            }
        });
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}

package vn.lienthong.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One Kafka KRaft node (broker and controller combined), the server of the Kafka jar run in this
 * JVM, with its log directory under the stack's data folder: formatted once (a cluster id of its
 * own), then kept, so a restart of the node or of the embedded default loses nothing queued.
 */
final class KafkaBroker {

    private static final String CONTROLLER = "CONTROLLER";
    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    private final Path logDir;
    private final int port;
    private final int partitions;
    /** The controller listener's port, chosen once so the quorum's address stays the same across restarts. */
    private final int controllerPort;
    private KafkaRaftServer server;

    KafkaBroker(Path logDir, int port, int partitions) {
        this(logDir, port, partitions, Ports.free());
    }

    /** A node whose controller listens on a given port: a node run as its own process keeps it across restarts. */
    KafkaBroker(Path logDir, int port, int partitions, int controllerPort) {
        this.logDir = logDir.toAbsolutePath();
        this.port = port;
        this.partitions = partitions;
        this.controllerPort = controllerPort;
    }

    int port() {
        return port;
    }

    synchronized boolean running() {
        return server != null;
    }

    /** The bootstrap address. */
    String bootstrap() {
        return Ports.HOST + ":" + port;
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaConfig config = new KafkaConfig(properties(), false);
        format(config);
        KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            candidate.startup();
            awaitReady();
        } catch (RuntimeException e) {
            // A failed start (e.g. the port is taken) leaves the controller's threads running.
            try {
                candidate.shutdown();
                candidate.awaitShutdown();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw new IllegalStateException("Kafka did not start on " + bootstrap() + ": " + e.getMessage(), e);
        }
        server = candidate;
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    synchronized void createTopics(String... topics) {
        if (server == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        try (AdminClient admin = admin()) {
            List<NewTopic> wanted = Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            admin.createTopics(wanted).values().forEach((topic, future) -> {
                try {
                    future.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create Kafka topic " + topic + " (of "
                                + Arrays.toString(topics) + ")", e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("could not create Kafka topic " + topic, e);
                }
            });
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "0");
        props.put("controller.quorum.voters", "0@" + Ports.HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + "," + CONTROLLER + "://" + Ports.HOST + ":"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
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
        props.put("group.initial.rebalance.delay.ms", "0");
        // Every topic (the agencies' inbound ones among them) keeps the broker's append time, not the
        // producer's: the gateway checks a record's token as of when the broker accepted it.
        props.put("log.message.timestamp.type", "LogAppendTime");
        return props;
    }

    /** Formats the log directory on first use (a new cluster id); a formatted one is kept as it is. */
    private void format(KafkaConfig config) {
        if (Files.isRegularFile(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(0)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka's log directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka's log directory " + logDir, e);
        }
    }

    /** Waits until the broker answers on its client listener (the server's startup returns before it does). */
    private void awaitReady() {
        try (AdminClient admin = admin()) {
            admin.describeCluster().nodes().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer on " + bootstrap(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private AdminClient admin() {
        return AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(ADMIN_TIMEOUT_SECONDS)));
    }
}

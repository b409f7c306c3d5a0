package vn.lienthong.devstack;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.LoggerFactory;

/** An Artemis broker with its journal on disk, so messages survive a stop and start. */
final class ArtemisBroker {

    /** Artemis's audit loggers (base, resource, message: AuditLogger) and their parent. */
    static final java.util.List<String> AUDIT_LOGGERS = java.util.List.of("org.apache.activemq.audit",
            "org.apache.activemq.audit.base", "org.apache.activemq.audit.resource", "org.apache.activemq.audit.message");

    private final Path dir;
    private final int port;
    private EmbeddedActiveMQ server;

    ArtemisBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    String url() {
        return "tcp://" + Ports.HOST + ":" + port;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    synchronized boolean running() {
        return server != null;
    }

    synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        auditLoggingOff();
        EmbeddedActiveMQ candidate = new EmbeddedActiveMQ()
                .setConfiguration(configuration())
                // By default it also applies any "broker.properties" found on the class path or in the
                // working directory; the embedded broker is configured here and nowhere else.
                .setPropertiesResourcePath(null);
        candidate.start();
        // Artemis logs a port it cannot bind and runs on without it: treat that as a failed start.
        // (A configuration it refuses also leaves it running, with no acceptor at all.)
        var acceptors = candidate.getActiveMQServer().getRemotingService().getAcceptors().values();
        boolean listening = !acceptors.isEmpty() && acceptors.stream()
                .allMatch(acceptor -> acceptor instanceof NettyAcceptor netty && netty.getActualPort() == port);
        if (!listening) {
            candidate.stop();
            throw new IllegalStateException("Artemis could not listen on " + url() + " (port in use? its log says)");
        }
        server = candidate;
    }

    /**
     * Artemis's audit loggers print every message's properties (an agency's {@code Authorization}
     * among them, the whole token) and a line per operation; they are on whenever their loggers
     * are at INFO. Turned off here before the broker starts, so that no logging configuration
     * forgets it; the gateway's logback.xml says the same for when logging is configured again.
     */
    private static void auditLoggingOff() {
        for (String name : AUDIT_LOGGERS) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }

    synchronized void stop() throws Exception {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } finally {
            server = null;
        }
    }

    private Configuration configuration() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("lienthong-embedded");
        config.setBrokerInstance(dir.toFile());
        config.setPersistenceEnabled(true);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        // libaio is not there (nor usable on every file system): say NIO instead of probing and logging.
        config.setJournalType(JournalType.NIO);
        config.setNodeManagerLockDirectory(dir.resolve("lock").toString());
        // Security comes with the Keycloak issue; until then the acceptor is bound to loopback only.
        config.setSecurityEnabled(false);
        // The platform MBean server is shared with the gateway (and with a second stack in tests).
        config.setJMXManagementEnabled(false);
        // A loaded test machine must not make the analyzer log "critical" or halt the JVM.
        config.setCriticalAnalyzer(false);
        // A nearly full disk would otherwise block producers, which looks like a hang in tests.
        config.setMaxDiskUsage(-1);
        config.addAcceptorConfiguration("artemis", url());

        // Every message gets the time the broker accepted it, which a producer cannot set: the gateway
        // checks an agency's token as of it. (Artemis matches have no suffix wildcard, so "*.in" cannot
        // be singled out; a production broker sets it on the agencies' inbound addresses.)
        config.addAddressSetting("#", defaults().setEnableIngressTimestamp(true));
        config.addAddressConfiguration(anycastQueue(EmbeddedStack.ARTEMIS_DLQ));
        config.addAddressConfiguration(anycastQueue(EmbeddedStack.ARTEMIS_EXPIRY_QUEUE));
        return config;
    }

    private static AddressSettings defaults() {
        return new AddressSettings()
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true)
                // Keep auto-created queues and their backlog visible to operators when idle.
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setRedeliveryDelay(EmbeddedStack.ARTEMIS_REDELIVERY_DELAY_MS)
                .setMaxDeliveryAttempts(EmbeddedStack.ARTEMIS_MAX_DELIVERY_ATTEMPTS)
                .setDeadLetterAddress(SimpleString.of(EmbeddedStack.ARTEMIS_DLQ))
                .setExpiryAddress(SimpleString.of(EmbeddedStack.ARTEMIS_EXPIRY_QUEUE));
    }

    private static CoreAddressConfiguration anycastQueue(String name) {
        return new CoreAddressConfiguration()
                .setName(name)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
    }
}

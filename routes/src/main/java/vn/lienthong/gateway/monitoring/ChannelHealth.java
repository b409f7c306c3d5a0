package vn.lienthong.gateway.monitoring;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import jakarta.jms.Connection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import vn.lienthong.gateway.channels.GatewaySettings;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Delivery;
import vn.lienthong.gateway.registry.Registry;

/**
 * Health of each channel's server, as the gateway reaches it, for the readiness group: Artemis (a
 * connection), Kafka (the cluster described), the SFTP server (a login) — DOWN when it does not
 * answer within {@link #TIMEOUT} — and each recipient's push URL (a TCP connect).
 *
 * <p>A push URL that does not answer is {@link #UNREACHABLE}, a status the aggregation ignores:
 * it shows in the readiness details, but a recipient's outage is the recipient's (its deliveries
 * stay PENDING and are retried, see the metrics' backlog), and taking the gateway out of service
 * for it would stop every other agency's traffic. The channel servers are the gateway's own: one
 * of them DOWN does make the instance unready (never un-live: a restart would not bring it back).
 */
public final class ChannelHealth {

    /** A push URL that did not accept a connection: shown, not aggregated (not in the status order). */
    public static final Status UNREACHABLE = new Status("UNREACHABLE", "the recipient's push URL did not answer");

    /** How long a check may take: probes come every few seconds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private ChannelHealth() {
    }

    /**
     * The check when some agency of the registry has a channel of this kind; otherwise UP with
     * {@code used: false} (a deployment without, say, SFTP agencies is not unready for want of a server).
     */
    public static HealthIndicator ifUsed(Registry registry, ChannelKind kind, HealthIndicator check) {
        boolean used = registry.agencies().stream().anyMatch(a -> !a.channels(kind).isEmpty());
        return used ? check : () -> Health.up().withDetail("used", false).build();
    }

    /** The same over the registry in force, asked at each check (a reload may add the first channel of a kind). */
    public static HealthIndicator ifUsed(Supplier<Registry> registry, ChannelKind kind, HealthIndicator check) {
        return () -> uses(registry.get(), kind) ? check.health() : Health.up().withDetail("used", false).build();
    }

    private static boolean uses(Registry registry, ChannelKind kind) {
        return registry.agencies().stream().anyMatch(a -> !a.channels(kind).isEmpty());
    }

    /** Artemis: a connection opened and closed (no retries, calls bounded by {@link #TIMEOUT}). */
    public static HealthIndicator artemis(String brokerUrl, String user, String password) {
        return () -> {
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl)) {
                factory.setCallTimeout(TIMEOUT.toMillis());
                factory.setConnectionTTL(TIMEOUT.toMillis() * 5);
                factory.setInitialConnectAttempts(1);
                factory.setReconnectAttempts(0);
                try (Connection c = user == null || user.isBlank() ? factory.createConnection()
                        : factory.createConnection(user, password)) {
                    return Health.up().withDetail("broker", brokerUrl).build();
                }
            } catch (Exception e) {
                return Health.down().withDetail("broker", brokerUrl).withDetail("error", describe(e)).build();
            }
        };
    }

    /** Kafka: the cluster's nodes described through one long-lived admin client, bounded by {@link #TIMEOUT}. */
    public static KafkaIndicator kafka(String bootstrapServers, Registry registry) {
        boolean used = uses(registry, ChannelKind.KAFKA);
        return new KafkaIndicator(bootstrapServers, () -> used);
    }

    /** The same over the registry in force, asked at each check. */
    public static KafkaIndicator kafka(String bootstrapServers, Supplier<Registry> registry) {
        return new KafkaIndicator(bootstrapServers, () -> uses(registry.get(), ChannelKind.KAFKA));
    }

    /** Kafka's indicator; closes its admin client with the context. */
    public static final class KafkaIndicator implements HealthIndicator, AutoCloseable {

        private final String bootstrap;
        private final BooleanSupplier used;
        private Admin admin;

        KafkaIndicator(String bootstrap, BooleanSupplier used) {
            this.bootstrap = bootstrap;
            this.used = used;
        }

        private synchronized Admin admin() {
            if (admin == null) {
                Properties p = new Properties();
                p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                p.put(AdminClientConfig.CLIENT_ID_CONFIG, "lienthong-health");
                p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
                p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
                p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
                admin = Admin.create(p);
            }
            return admin;
        }

        @Override
        public Health health() {
            if (!used.getAsBoolean()) {
                return Health.up().withDetail("used", false).build();
            }
            try {
                int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                        .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
                return Health.up().withDetail("bootstrap", bootstrap).withDetail("nodes", nodes).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down().withDetail("bootstrap", bootstrap).withDetail("error", "interrupted").build();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                return Health.down().withDetail("bootstrap", bootstrap).withDetail("error", describe(e)).build();
            }
        }

        @Override
        public synchronized void close() {
            if (admin != null) {
                admin.close(TIMEOUT);
                admin = null;
            }
        }
    }

    /** The SFTP server: the gateway's own account logs in (host key checked when a known_hosts file is set). */
    public static HealthIndicator sftp(GatewaySettings.Sftp settings) {
        return () -> {
            String server = settings.host() + ":" + settings.port();
            Session session = null;
            try {
                JSch jsch = new JSch();
                if (!settings.knownHostsFile().isBlank()) {
                    jsch.setKnownHosts(settings.knownHostsFile());
                }
                session = jsch.getSession(settings.username(), settings.host(), settings.port());
                session.setPassword(settings.password());
                session.setConfig("StrictHostKeyChecking", settings.knownHostsFile().isBlank() ? "no" : "yes");
                session.setConfig("PreferredAuthentications", "password");
                session.connect((int) TIMEOUT.toMillis());
                return Health.up().withDetail("server", server).build();
            } catch (JSchException e) {
                // JSch's messages name the server and the step (auth fail, timeout), never the password.
                return Health.down().withDetail("server", server).withDetail("error", describe(e)).build();
            } finally {
                if (session != null) {
                    session.disconnect();
                }
            }
        };
    }

    /** One component per agency with a push URL: UP when it accepts a TCP connection, else {@link #UNREACHABLE}. */
    public static HealthContributor recipients(Registry registry) {
        Map<String, HealthIndicator> byAgency = pushChecks(registry);
        if (byAgency.isEmpty()) {
            return (HealthIndicator) () -> Health.up().withDetail("pushRecipients", 0).build();
        }
        return CompositeHealthContributor.fromMap(byAgency);
    }

    /**
     * The same over the registry in force: its components are the push recipients of the registry
     * the latest reload put in force ({@code checks}, made once per registry by
     * {@link vn.lienthong.gateway.registry.LiveRegistry#derived}); none, and the component is left out.
     */
    public static CompositeHealthContributor recipients(Supplier<Map<String, HealthIndicator>> checks) {
        return new CompositeHealthContributor() {
            @Override
            public HealthContributor getContributor(String name) {
                return checks.get().get(name);
            }

            @Override
            public java.util.Iterator<org.springframework.boot.actuate.health.NamedContributor<HealthContributor>> iterator() {
                return checks.get().entrySet().stream()
                        .map(e -> org.springframework.boot.actuate.health.NamedContributor.<HealthContributor>of(e.getKey(), e.getValue())).iterator();
            }
        };
    }

    /** One reachability check per agency of {@code registry} with a push URL. */
    public static Map<String, HealthIndicator> pushChecks(Registry registry) {
        Map<String, HealthIndicator> byAgency = new LinkedHashMap<>();
        for (Agency agency : registry.agencies()) {
            for (Channel channel : agency.channels()) {
                if (channel.delivery().orElse(null) == Delivery.PUSH && channel.url().isPresent()) {
                    byAgency.putIfAbsent(agency.code(), push(channel.url().get()));
                }
            }
        }
        return byAgency;
    }

    private static HealthIndicator push(URI url) {
        return () -> {
            int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
            // Scheme, host and port only: a URL's path or query may carry what the recipient gave us.
            String where = url.getScheme() + "://" + url.getHost() + ":" + port;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(url.getHost(), port), (int) TIMEOUT.toMillis());
                return Health.up().withDetail("url", where).build();
            } catch (IOException e) {
                return Health.status(UNREACHABLE).withDetail("url", where).withDetail("error", describe(e)).build();
            }
        };
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}

package vn.lienthong.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.identity.SftpLogin;

/**
 * Real Artemis, Kafka (KRaft), SFTP and PostgreSQL servers started in-process on 127.0.0.1, and
 * optionally a Keycloak server as a child process, each of them stoppable and restartable on its own.
 *
 * <p>Every server keeps its port for the life of the stack, and its files under
 * {@link Options#dataDir()}, so a test can stop one and start it again with its data (Kafka too:
 * its log directory is formatted once and kept).
 */
public final class EmbeddedStack implements AutoCloseable {

    /** The Artemis address and queue that messages go to after {@link #ARTEMIS_MAX_DELIVERY_ATTEMPTS}. */
    public static final String ARTEMIS_DLQ = "DLQ";
    /** The Artemis address and queue of expired messages. */
    public static final String ARTEMIS_EXPIRY_QUEUE = "ExpiryQueue";
    /** Deliveries of one message (the first included) before Artemis moves it to {@link #ARTEMIS_DLQ}. */
    public static final int ARTEMIS_MAX_DELIVERY_ATTEMPTS = 10;
    /** Delay before Artemis redelivers a rolled-back message; small, so failure tests stay quick. */
    public static final long ARTEMIS_REDELIVERY_DELAY_MS = 100;
    /** The receipt key store the gateway generates in the data directory (see {@link #springProperties()}). */
    public static final String RECEIPT_KEY_STORE = "receipt-signing.p12";
    /** Its password: a demo value, as the store only ever holds the embedded default's own key. */
    public static final String RECEIPT_KEY_STORE_PASSWORD = "lienthong-embedded-receipts";
    /** Failed SFTP logins allowed: 20 a minute per source address, 10 a minute per user (then refused until refilled). */
    static final vn.lienthong.gateway.identity.LoginThrottle.Limit SFTP_PER_SOURCE =
            new vn.lienthong.gateway.identity.LoginThrottle.Limit(20, java.time.Duration.ofMinutes(1));
    static final vn.lienthong.gateway.identity.LoginThrottle.Limit SFTP_PER_USER =
            new vn.lienthong.gateway.identity.LoginThrottle.Limit(10, java.time.Duration.ofMinutes(1));
    private final vn.lienthong.gateway.identity.LoginThrottle sftpLoginLimits =
            new vn.lienthong.gateway.identity.LoginThrottle(SFTP_PER_SOURCE, SFTP_PER_USER);
    /** The key store of the key-encryption key the gateway generates once in the data directory (bodies at rest). */
    public static final String AT_REST_KEY_STORE = "at-rest-keys.p12";
    /** Its password (the embedded default is a demo; production configures its own store). */
    public static final String AT_REST_KEY_STORE_PASSWORD = "lienthong-embedded-at-rest";
    /** The database the stack creates in PostgreSQL. */
    public static final String DATABASE = "lienthong";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    /** The identity the gateway's tokens must be issued for ({@code aud}). */
    public static final String GATEWAY_AUDIENCE = "lienthong-gateway";
    /** The gateway's own Keycloak client (reads agencies' clients and roles through the admin API). */
    public static final String GATEWAY_CLIENT_ID = "lienthong-gateway";
    /** Its secret in the demo realm (embedded default and tests only). */
    public static final String GATEWAY_CLIENT_DEMO_SECRET = "lienthong-gateway-demo-secret";
    /** The confidential client people's browsers log in through (realm file). */
    public static final String CONSOLE_CLIENT_ID = "lienthong-console";
    /** Its secret in the demo realm. */
    public static final String CONSOLE_CLIENT_DEMO_SECRET = "lienthong-console-demo-secret";

    /** The components, in start order; {@link #close()} stops them in reverse. */
    private final List<String> components;

    private final Options options;
    private final ArtemisBroker artemis;
    private final KafkaBroker kafka;
    private final SftpServer sftp;
    private final PostgresServer postgres;
    /** Null when the options ask for no Keycloak. */
    private final KeycloakServer keycloak;
    private final int httpPort;
    /** Passwords of the default {@link SftpLogin}; concurrent because users may be added while running. */
    private final Map<String, String> sftpPasswords = new ConcurrentHashMap<>();
    private final Map<String, Duration> startupTimes = new ConcurrentHashMap<>();

    /**
     * Prepares the stack: resolves the ports (0 becomes a free port, kept for the stack's life) and
     * creates the SFTP folders. Nothing is started.
     */
    public EmbeddedStack(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        Path data = options.dataDir();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + data, e);
        }
        Set<Integer> ports = new HashSet<>();
        this.artemis = new ArtemisBroker(data.resolve("artemis"), Ports.orFree(options.artemisPort(), ports));
        this.kafka = new KafkaBroker(data.resolve("kafka"), Ports.orFree(options.kafkaPort(), ports), options.kafkaPartitions());
        sftpPasswords.putAll(options.sftpUsers());
        sftpPasswords.put(options.gatewaySftpUser(), options.gatewaySftpPassword());
        SftpLogin login = options.sftpLogin() != null ? options.sftpLogin() : SftpLogin.ofPasswords(sftpPasswords);
        // Brute force: failed logins limited per source address and per user (as the gateway's REST channel).
        login = sftpLoginLimits.sftp(login);
        this.sftp = new SftpServer(data.resolve("sftp"), data.resolve("sftp-hostkey.ser"),
                Ports.orFree(options.sftpPort(), ports), login);
        this.postgres = new PostgresServer(data.resolve("pg"), Ports.orFree(options.postgresPort(), ports), DATABASE);
        KeycloakOptions kc = options.keycloak();
        this.keycloak = kc == null ? null : new KeycloakServer(data.resolve("keycloak"), Optional.ofNullable(kc.distribution()),
                kc.realmFile(), Ports.orFree(kc.port(), ports), Ports.orFree(kc.managementPort(), ports), kc.storage(),
                kc.adminUsername(), kc.adminPassword());
        this.components = keycloak == null ? List.of("Artemis", "Kafka", "SFTP", "PostgreSQL")
                : List.of("Artemis", "Kafka", "SFTP", "PostgreSQL", "Keycloak");
        this.httpPort = options.httpPort();
        try {
            sftp.addRootUser(options.gatewaySftpUser());
            for (Map.Entry<String, String> user : options.sftpFolders().entrySet()) {
                sftp.addUser(user.getKey(), user.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the SFTP folders under " + sftp.root(), e);
        }
    }

    /** Creates and starts a stack. */
    public static EmbeddedStack start(Options options) {
        return new EmbeddedStack(options).start();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts every component that is not running, in parallel (they do not depend on each other).
     * If one fails, the ones this call started are stopped again and the failure is thrown.
     */
    public synchronized EmbeddedStack start() {
        long begin = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(components.size(), runnable -> {
            Thread thread = new Thread(runnable, "embedded-stack-start");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, Future<?>> starts = new LinkedHashMap<>();
        try {
            for (String component : components) {
                if (!running(component)) {
                    starts.put(component, pool.submit(() -> {
                        startComponent(component);
                        return null;
                    }));
                }
            }
            RuntimeException failure = null;
            List<String> started = new ArrayList<>();
            for (Map.Entry<String, Future<?>> start : starts.entrySet()) {
                try {
                    start.getValue().get();
                    started.add(start.getKey());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = addFailure(failure, "interrupted while starting " + start.getKey(), e);
                } catch (ExecutionException e) {
                    failure = addFailure(failure, start.getKey() + " did not start", e.getCause());
                }
            }
            if (failure != null) {
                Collections.reverse(started);
                for (String component : started) {
                    try {
                        stopComponent(component);
                    } catch (Exception e) {
                        failure.addSuppressed(e);
                    }
                }
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
        startupTimes.put("stack", Duration.ofNanos(System.nanoTime() - begin));
        return this;
    }

    /** Stops every component, in reverse start order; one failing to stop does not keep the others running. */
    @Override
    public synchronized void close() {
        List<String> reverse = new ArrayList<>(components);
        Collections.reverse(reverse);
        RuntimeException failure = null;
        for (String component : reverse) {
            try {
                stopComponent(component);
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly", component, e);
                failure = addFailure(failure, component + " did not stop cleanly", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Starts the Artemis broker (no-op if running); its journal and port are those of the previous run. */
    public void startArtemis() {
        startComponent("Artemis");
    }

    /** Stops the Artemis broker; persistent messages stay in its journal. */
    public void stopArtemis() {
        stopComponent("Artemis");
    }

    /** Starts Kafka (no-op if running), on the same port as before, with its topics and records. */
    public void startKafka() {
        startComponent("Kafka");
    }

    /** Stops Kafka; its topics and records stay in its log directory under the data folder. */
    public void stopKafka() {
        stopComponent("Kafka");
    }

    /** Starts the SFTP server (no-op if running), on the same port and host key as before. */
    public void startSftp() {
        startComponent("SFTP");
    }

    /** Stops the SFTP server; the files stay on disk. */
    public void stopSftp() {
        stopComponent("SFTP");
    }

    /** Starts PostgreSQL (no-op if running), on the same port and data directory as before. */
    public void startPostgres() {
        startComponent("PostgreSQL");
    }

    /** Stops PostgreSQL (fast shutdown: open sessions are ended, committed data stays). */
    public void stopPostgres() {
        stopComponent("PostgreSQL");
    }

    /**
     * Starts Keycloak (no-op if running), on the same ports as before; with
     * {@link KeycloakServer.Storage#FILE} its realm is the one it had, otherwise imported afresh.
     *
     * @throws IllegalStateException if the options ask for no Keycloak
     */
    public void startKeycloak() {
        requireKeycloak();
        startComponent("Keycloak");
    }

    /** Stops Keycloak. */
    public void stopKeycloak() {
        requireKeycloak();
        stopComponent("Keycloak");
    }

    /** Whether Keycloak is running (false when the options ask for none). */
    public boolean keycloakRunning() {
        return keycloak != null && keycloak.running();
    }

    /** The Keycloak server, or null when the options ask for none. */
    public KeycloakServer keycloak() {
        return keycloak;
    }

    private void requireKeycloak() {
        if (keycloak == null) {
            throw new IllegalStateException("this stack was made without Keycloak (Options.keycloak is null)");
        }
    }

    /** Whether the Artemis broker is running. */
    public boolean artemisRunning() {
        return artemis.running();
    }

    /** Whether Kafka is running. */
    public boolean kafkaRunning() {
        return kafka.running();
    }

    /** Whether the SFTP server is running. */
    public boolean sftpRunning() {
        return sftp.running();
    }

    /** Whether PostgreSQL is running. */
    public boolean postgresRunning() {
        return postgres.running();
    }

    /** How long each component took at its last start, and "stack" for the last {@link #start()}. */
    public Map<String, Duration> startupTimes() {
        return Collections.unmodifiableMap(new TreeMap<>(startupTimes));
    }

    private boolean running(String component) {
        return switch (component) {
            case "Artemis" -> artemis.running();
            case "Kafka" -> kafka.running();
            case "SFTP" -> sftp.running();
            case "PostgreSQL" -> postgres.running();
            case "Keycloak" -> keycloak.running();
            default -> throw new IllegalArgumentException(component);
        };
    }

    private void startComponent(String component) {
        if (running(component)) {
            return;
        }
        long begin = System.nanoTime();
        try {
            switch (component) {
                case "Artemis" -> artemis.start();
                case "Kafka" -> kafka.start();
                case "SFTP" -> sftp.start();
                case "PostgreSQL" -> postgres.start();
                case "Keycloak" -> keycloak.start();
                default -> throw new IllegalArgumentException(component);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(component + " did not start", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        startupTimes.put(component, took);
        LOG.info("{} started in {} ms", component, took.toMillis());
    }

    private void stopComponent(String component) {
        try {
            switch (component) {
                case "Artemis" -> artemis.stop();
                case "Kafka" -> kafka.stop();
                case "SFTP" -> sftp.stop();
                case "PostgreSQL" -> postgres.stop();
                case "Keycloak" -> keycloak.stop();
                default -> throw new IllegalArgumentException(component);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(component + " did not stop cleanly", e);
        }
    }

    private static RuntimeException addFailure(RuntimeException failure, String message, Throwable cause) {
        if (failure == null) {
            return new IllegalStateException(message, cause);
        }
        failure.addSuppressed(cause);
        return failure;
    }

    // ---------------------------------------------------------------- addresses

    /** The options this stack was made with. */
    public Options options() {
        return options;
    }

    /** The host every server listens on. */
    public String host() {
        return Ports.HOST;
    }

    /** The Artemis acceptor, e.g. {@code tcp://127.0.0.1:61616}; the same across restarts. */
    public String artemisUrl() {
        return artemis.url();
    }

    /** The Artemis port. */
    public int artemisPort() {
        return artemis.port();
    }

    /** The Kafka bootstrap address, e.g. {@code 127.0.0.1:9092}; the same across restarts. */
    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** The Kafka port. */
    public int kafkaPort() {
        return kafka.port();
    }

    /** Creates Kafka topics with the configured partition count; topics that exist are left alone. */
    public void createTopics(String... topics) {
        kafka.createTopics(topics);
    }

    /** The SFTP port. */
    public int sftpPort() {
        return sftp.port();
    }

    /**
     * A {@code known_hosts} file naming the SFTP server's host key (written on each call), so the
     * gateway checks the key of the server it polls even on the embedded default.
     */
    public Path sftpKnownHostsFile() {
        Path file = options.dataDir().resolve("sftp-known-hosts");
        try {
            Files.writeString(file, sftp.knownHostsLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The directory on disk that is the gateway account's SFTP root. */
    public Path sftpRoot() {
        return sftp.root();
    }

    /** The directory on disk an SFTP user is confined to (the root for the gateway), or null if unknown. */
    public Path sftpHome(String user) {
        return sftp.homeOf(user);
    }

    /**
     * Adds an agency SFTP user while the stack runs (or before it starts), confined to
     * {@code folder}, which is created with its sub-folders. The password is checked by the default
     * {@link SftpLogin}; a custom one decides for itself.
     */
    public void addSftpUser(String user, String password, String folder) {
        Options.checkUser(user);
        Options.checkFolder(folder);
        if (user.equals(options.gatewaySftpUser())) {
            throw new IllegalArgumentException("the gateway's SFTP account cannot be an agency user");
        }
        try {
            sftp.addUser(user, folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (password != null) {
            sftpPasswords.put(user, password);
        }
    }

    /** The gateway's own SFTP user name. */
    public String gatewaySftpUser() {
        return options.gatewaySftpUser();
    }

    /** The gateway's own SFTP password. */
    public String gatewaySftpPassword() {
        return options.gatewaySftpPassword();
    }

    /** The JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** The PostgreSQL port. */
    public int postgresPort() {
        return postgres.port();
    }

    /** The database user (the superuser of the embedded cluster). */
    public String dbUser() {
        return PostgresServer.USER;
    }

    /** The database password (the embedded cluster trusts loopback, so it is not checked). */
    public String dbPassword() {
        return PostgresServer.PASSWORD;
    }

    /** The port the gateway's HTTP server should use, or 0 if the application decides. */
    public int httpPort() {
        return httpPort;
    }

    /**
     * The properties that point a gateway Spring context at this stack; they stay valid across
     * restarts of any component.
     */
    public Map<String, Object> springProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", jdbcUrl());
        props.put("spring.datasource.username", dbUser());
        props.put("spring.datasource.password", dbPassword());
        props.put("spring.artemis.mode", "native");
        props.put("spring.artemis.broker-url", artemisUrl());
        // The embedded broker stamps every address with its own ingress time (ArtemisBroker).
        props.put("lienthong.identity.jms-ingress-timestamp", "true");
        props.put("camel.component.kafka.brokers", kafkaBootstrap());
        // Should spring-kafka be on the class path, Boot's own Kafka beans use this broker too.
        props.put("spring.kafka.bootstrap-servers", kafkaBootstrap());
        props.put("lienthong.sftp.host", host());
        props.put("lienthong.sftp.port", sftpPort());
        props.put("lienthong.sftp.username", gatewaySftpUser());
        props.put("lienthong.sftp.password", gatewaySftpPassword());
        props.put("lienthong.sftp.known-hosts-file", sftpKnownHostsFile().toString());
        // The gateway signs receipts with a key it generates once in the data dir and keeps across restarts.
        props.put("lienthong.receipts.key-store", options.dataDir().resolve(RECEIPT_KEY_STORE).toAbsolutePath().toString());
        props.put("lienthong.receipts.key-store-password", RECEIPT_KEY_STORE_PASSWORD);
        props.put("lienthong.receipts.generate", "true");
        // Attachments (claim check) are kept in the data dir too.
        props.put("lienthong.attachments.folder", options.dataDir().resolve("attachments").toAbsolutePath().toString());
        // Bodies are sealed under data keys wrapped by a key it generates once in the data dir, kept across restarts.
        props.put("lienthong.at-rest.key-store", options.dataDir().resolve(AT_REST_KEY_STORE).toAbsolutePath().toString());
        props.put("lienthong.at-rest.key-store-password", AT_REST_KEY_STORE_PASSWORD);
        props.put("lienthong.at-rest.generate", "true");
        // A new database is no province's lapse: the demo's inboxes do not open with a reminder each for the
        // last month (only months falling due while it runs are reminded).
        props.put("lienthong.reports.catch-up", "0");
        if (httpPort != 0) {
            props.put("server.port", httpPort);
        }
        if (keycloak != null) {
            props.put("lienthong.identity.issuer", keycloak.issuer());
            props.put("lienthong.identity.audience", GATEWAY_AUDIENCE);
            props.put("lienthong.identity.admin-url", keycloak.baseUrl());
            props.put("lienthong.identity.gateway-client-id", GATEWAY_CLIENT_ID);
            props.put("lienthong.identity.gateway-client-secret", GATEWAY_CLIENT_DEMO_SECRET);
            props.put("lienthong.identity.console-client-id", CONSOLE_CLIENT_ID);
            props.put("lienthong.identity.console-client-secret", CONSOLE_CLIENT_DEMO_SECRET);
        }
        return Collections.unmodifiableMap(props);
    }

    /** Every endpoint, one per line, for printing at start; passwords are not shown. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append("lienthong embedded stack, data in ").append(options.dataDir()).append('\n');
        text.append(String.format("  Artemis     %-48s %s  journal %s%n", artemisUrl(), state(artemis.running()),
                artemis.dir()));
        text.append(String.format("  Kafka       %-48s %s%n", kafkaBootstrap(), state(kafka.running())));
        text.append(String.format("  SFTP        %-48s %s  root %s%n", "sftp://" + host() + ":" + sftpPort(),
                state(sftp.running()), sftpRoot()));
        new TreeMap<>(sftp.homes()).forEach((user, home) -> text.append(String.format("                %-20s -> /%s%s%n",
                user, sftpRoot().relativize(home), user.equals(gatewaySftpUser()) ? "  (gateway, whole root)" : "")));
        text.append(String.format("  PostgreSQL  %-48s %s  user %s, data %s%n", jdbcUrl(), state(postgres.running()),
                dbUser(), postgres.dataDir()));
        if (keycloak != null) {
            text.append(String.format("  Keycloak    %-48s %s  realm %s, %s, log %s%n", keycloak.baseUrl(),
                    state(keycloak.running()), KeycloakServer.REALM,
                    keycloak.storage() == KeycloakServer.Storage.FILE ? "kept across restarts" : "fresh at each start",
                    keycloak.logFile()));
        }
        text.append(String.format("  HTTP        %s%n",
                httpPort != 0 ? "http://" + host() + ":" + httpPort + " (for the gateway)" : "chosen by the gateway"));
        return text.toString();
    }

    private static String state(boolean running) {
        return running ? "up  " : "down";
    }

    @Override
    public String toString() {
        return "EmbeddedStack[" + options.dataDir() + "]";
    }

    // ---------------------------------------------------------------- options

    /**
     * What to start and where: all files go below {@code dataDir}; a port of 0 means a free port
     * picked when the stack is made (for {@code httpPort}, 0 leaves the choice to the application,
     * so concurrently cached test contexts do not fight over one port).
     *
     * @param dataDir where every server keeps its files
     * @param artemisPort the Artemis acceptor port
     * @param kafkaPort the Kafka (client) listener port
     * @param sftpPort the SFTP port
     * @param httpPort the gateway's HTTP port, handed on as {@code server.port}; 0 to leave it alone
     * @param postgresPort the PostgreSQL port
     * @param kafkaPartitions partitions of auto-created Kafka topics
     * @param gatewaySftpUser the gateway's own SFTP account, which sees the whole root
     * @param gatewaySftpPassword its password
     * @param sftpUsers agency SFTP users and their passwords
     * @param sftpFolders agency SFTP users and the one folder each is confined to (default: the user name)
     * @param sftpLogin checks SFTP passwords; null checks {@code sftpUsers} and the gateway account
     * @param keycloak the Keycloak server to start as well, or null for none
     */
    public record Options(
            Path dataDir,
            int artemisPort,
            int kafkaPort,
            int sftpPort,
            int httpPort,
            int postgresPort,
            int kafkaPartitions,
            String gatewaySftpUser,
            String gatewaySftpPassword,
            Map<String, String> sftpUsers,
            Map<String, String> sftpFolders,
            SftpLogin sftpLogin,
            KeycloakOptions keycloak) {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

        /** Checks the options and fills in the default folders. */
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            dataDir = dataDir.toAbsolutePath().normalize();
            checkPort("artemisPort", artemisPort);
            checkPort("kafkaPort", kafkaPort);
            checkPort("sftpPort", sftpPort);
            checkPort("httpPort", httpPort);
            checkPort("postgresPort", postgresPort);
            if (kafkaPartitions < 1) {
                throw new IllegalArgumentException("kafkaPartitions must be at least 1");
            }
            checkUser(gatewaySftpUser);
            if (gatewaySftpPassword == null || gatewaySftpPassword.isEmpty()) {
                throw new IllegalArgumentException("the gateway's SFTP password must not be empty");
            }
            Map<String, String> users = new TreeMap<>(sftpUsers == null ? Map.of() : sftpUsers);
            Map<String, String> folders = new TreeMap<>(sftpFolders == null ? Map.of() : sftpFolders);
            users.keySet().forEach(user -> folders.putIfAbsent(user, user));
            folders.forEach((user, folder) -> {
                checkUser(user);
                checkFolder(folder);
            });
            if (folders.containsKey(gatewaySftpUser)) {
                throw new IllegalArgumentException("the gateway's SFTP account " + gatewaySftpUser
                        + " sees the whole root; it cannot also be an agency user");
            }
            sftpUsers = Collections.unmodifiableMap(users);
            sftpFolders = Collections.unmodifiableMap(folders);
        }

        /** A builder with free ports, one Kafka partition, the gateway account "gateway" with a random password, no agency users. */
        public static Builder builder(Path dataDir) {
            return new Builder(dataDir);
        }

        /** A builder holding these options. */
        public Builder toBuilder() {
            Builder builder = new Builder(dataDir)
                    .artemisPort(artemisPort)
                    .kafkaPort(kafkaPort)
                    .sftpPort(sftpPort)
                    .httpPort(httpPort)
                    .postgresPort(postgresPort)
                    .kafkaPartitions(kafkaPartitions)
                    .gatewaySftp(gatewaySftpUser, gatewaySftpPassword)
                    .sftpLogin(sftpLogin)
                    .keycloak(keycloak);
            builder.users.putAll(sftpUsers);
            builder.folders.putAll(sftpFolders);
            return builder;
        }

        /** These options with another data directory. */
        public Options withDataDir(Path dir) {
            return toBuilder().dataDir(dir).build();
        }

        /** Passwords are masked: options get logged. */
        @Override
        public String toString() {
            return "Options[dataDir=" + dataDir + ", artemisPort=" + artemisPort + ", kafkaPort=" + kafkaPort
                    + ", sftpPort=" + sftpPort
                    + ", httpPort=" + httpPort + ", postgresPort=" + postgresPort + ", kafkaPartitions="
                    + kafkaPartitions + ", gatewaySftpUser=" + gatewaySftpUser + ", sftpFolders=" + sftpFolders
                    + ", sftpLogin=" + (sftpLogin == null ? "passwords" : "custom") + ", keycloak=" + keycloak + "]";
        }

        static void checkUser(String user) {
            if (user == null || !NAME.matcher(user).matches()) {
                throw new IllegalArgumentException("bad SFTP user name: " + user);
            }
        }

        /** A folder is one plain name directly under the root: no separators, no "..". */
        static void checkFolder(String folder) {
            if (folder == null || !NAME.matcher(folder).matches() || folder.contains("..")) {
                throw new IllegalArgumentException("bad SFTP folder name: " + folder);
            }
        }

        static void checkPort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " out of range: " + port);
            }
        }

        /** Builds {@link Options}. */
        public static final class Builder {
            private Path dataDir;
            private int artemisPort;
            private int kafkaPort;
            private int sftpPort;
            private int httpPort;
            private int postgresPort;
            private int kafkaPartitions = 1;
            private String gatewaySftpUser = "gateway";
            // No well-known default password: whoever needs it reads it from the stack.
            private String gatewaySftpPassword = UUID.randomUUID().toString();
            private final Map<String, String> users = new LinkedHashMap<>();
            private final Map<String, String> folders = new LinkedHashMap<>();
            private SftpLogin sftpLogin;
            private KeycloakOptions keycloak;

            private Builder(Path dataDir) {
                this.dataDir = dataDir;
            }

            /** Where every server keeps its files. */
            public Builder dataDir(Path dir) {
                this.dataDir = dir;
                return this;
            }

            /** The Artemis port; 0 for a free one. */
            public Builder artemisPort(int port) {
                this.artemisPort = port;
                return this;
            }

            /** The Kafka port; 0 for a free one. */
            public Builder kafkaPort(int port) {
                this.kafkaPort = port;
                return this;
            }

            /** The SFTP port; 0 for a free one. */
            public Builder sftpPort(int port) {
                this.sftpPort = port;
                return this;
            }

            /** The gateway's HTTP port; 0 leaves it to the application. */
            public Builder httpPort(int port) {
                this.httpPort = port;
                return this;
            }

            /** The PostgreSQL port; 0 for a free one. */
            public Builder postgresPort(int port) {
                this.postgresPort = port;
                return this;
            }

            /** Partitions of auto-created Kafka topics. */
            public Builder kafkaPartitions(int partitions) {
                this.kafkaPartitions = partitions;
                return this;
            }

            /** The gateway's own SFTP account, which sees the whole root. */
            public Builder gatewaySftp(String user, String password) {
                this.gatewaySftpUser = user;
                this.gatewaySftpPassword = password;
                return this;
            }

            /** An agency SFTP user confined to {@code folder}. */
            public Builder sftpUser(String user, String password, String folder) {
                users.put(user, password);
                folders.put(user, folder);
                return this;
            }

            /** Agency SFTP users and their passwords (folders default to the user name). */
            public Builder sftpUsers(Map<String, String> passwords) {
                users.putAll(passwords);
                return this;
            }

            /** Agency SFTP users and their folders. */
            public Builder sftpFolders(Map<String, String> userFolders) {
                folders.putAll(userFolders);
                return this;
            }

            /** Replaces the password check (e.g. by Keycloak client credentials). */
            public Builder sftpLogin(SftpLogin login) {
                this.sftpLogin = login;
                return this;
            }

            /** Starts a Keycloak server with the stack; null (the default) for none. */
            public Builder keycloak(KeycloakOptions options) {
                this.keycloak = options;
                return this;
            }

            /** The options. */
            public Options build() {
                return new Options(dataDir, artemisPort, kafkaPort, sftpPort, httpPort, postgresPort, kafkaPartitions,
                        gatewaySftpUser, gatewaySftpPassword, users, folders, sftpLogin, keycloak);
            }
        }
    }

    /**
     * The Keycloak server of a stack.
     *
     * @param port           its HTTP port; 0 for a free one
     * @param managementPort its management (health) port; 0 for a free one
     * @param storage        whether its realm survives restarts
     * @param realmFile      the realm JSON imported when the realm does not exist yet
     * @param distribution   an unpacked distribution to use, or null for the one the build unpacked
     * @param adminUsername  the master realm's bootstrap admin
     * @param adminPassword  its password
     */
    public record KeycloakOptions(int port, int managementPort, KeycloakServer.Storage storage, Path realmFile,
            Path distribution, String adminUsername, String adminPassword) {

        /** The realm file of the repository. */
        public static final String REALM_FILE = "config/keycloak/lienthong-realm.json";

        /** Checks the ports and that the rest is given. */
        public KeycloakOptions {
            Options.checkPort("keycloak port", port);
            Options.checkPort("keycloak management port", managementPort);
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(realmFile, "realmFile");
            if (adminUsername == null || adminUsername.isBlank() || adminPassword == null || adminPassword.isEmpty()) {
                throw new IllegalArgumentException("the Keycloak admin needs a user name and a password");
            }
        }

        /**
         * Free ports, the repository's realm file (looked up in the working directory and its parent,
         * since tests run in {@code routes/}), the build's distribution and the demo admin
         * {@code admin}/{@code admin}.
         */
        public static KeycloakOptions demo(KeycloakServer.Storage storage) {
            return new KeycloakOptions(0, 0, storage, repositoryRealmFile(), null, "admin", "admin");
        }

        /** These options on other ports. */
        public KeycloakOptions withPorts(int httpPort, int healthPort) {
            return new KeycloakOptions(httpPort, healthPort, storage, realmFile, distribution, adminUsername, adminPassword);
        }

        /** The admin password is masked: options get logged. */
        @Override
        public String toString() {
            return "KeycloakOptions[port=" + port + ", managementPort=" + managementPort + ", storage=" + storage
                    + ", realmFile=" + realmFile + ", distribution=" + distribution + ", admin=" + adminUsername + "]";
        }

        /** The repository's realm file, from the working directory or its parent (tests run in routes/). */
        public static Path repositoryRealmFile() {
            for (Path candidate : List.of(Path.of(REALM_FILE), Path.of("..").resolve(REALM_FILE))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate.toAbsolutePath().normalize();
                }
            }
            return Path.of(REALM_FILE).toAbsolutePath();
        }
    }
}

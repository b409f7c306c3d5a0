package vn.lienthong.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.client.SftpClientFactory;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.identity.SftpLogin;
import vn.lienthong.gateway.identity.KeycloakSftpLogin;
import vn.lienthong.gateway.registry.Registry;

/**
 * The one {@link EmbeddedStack} shared by every test class of the JVM, with client helpers for
 * JMS, Kafka, SFTP and Keycloak.
 *
 * <p>Its Keycloak imports {@code config/keycloak/lienthong-realm.json} afresh at each test run (in
 * memory); test classes share its demo clients, so a test that changes a client (secret, enabled,
 * roles) uses a client of its own. Started on first use under {@code target/test-stack-<random>} on free ports; a shutdown hook
 * stops it and deletes its files. Tests that stop a component must start it again before they end.
 */
public final class TestStack {

    /** The gateway's own SFTP account (sees the whole root). */
    public static final String GATEWAY_USER = "gateway";
    /** Its password. */
    public static final String GATEWAY_PASSWORD = "gateway-secret";
    /**
     * The agency SFTP users every test can use; each has folder = user name. They are agencies'
     * Keycloak clients: the password is the client's demo secret, checked by Keycloak.
     */
    public static final List<String> DEFAULT_SFTP_USERS = List.of("mof-tax", "prov-37", "moit-dms");

    /**
     * SFTP users that are agency clients (client id to registry code): their logins are checked by
     * Keycloak. Filled from config/agencies.yaml; tests add fixture agencies of their own.
     */
    private static final Map<String, String> SFTP_AGENCIES = new ConcurrentHashMap<>();
    /** SFTP users that are not Keycloak clients (the gateway's account, plain test users) and their passwords. */
    private static final Map<String, String> LOCAL_SFTP_PASSWORDS = new ConcurrentHashMap<>();
    /** The shared stack's SFTP login, known once the stack (and so its Keycloak's port) is made. */
    private static final AtomicReference<SftpLogin> SFTP_LOGIN = new AtomicReference<>((user, password) -> false);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile TestStack instance;

    private final EmbeddedStack stack;
    private SshClient sshClient;

    private TestStack(EmbeddedStack stack) {
        this.stack = stack;
    }

    /** The shared stack, started on first call. */
    public static TestStack get() {
        TestStack current = instance;
        if (current != null) {
            return current;
        }
        synchronized (TestStack.class) {
            if (instance == null) {
                instance = startShared();
            }
            return instance;
        }
    }

    /**
     * The options of the shared stack: free ports, the gateway account, {@link #DEFAULT_SFTP_USERS}
     * and Keycloak with the repository's realm, in memory.
     */
    public static EmbeddedStack.Options defaultOptions(Path dataDir) {
        EmbeddedStack.Options.Builder options = EmbeddedStack.Options.builder(dataDir)
                .gatewaySftp(GATEWAY_USER, GATEWAY_PASSWORD)
                .keycloak(EmbeddedStack.KeycloakOptions.demo(KeycloakServer.Storage.MEMORY))
                // Agencies log in with their Keycloak client credentials (see SFTP_AGENCIES).
                .sftpLogin((user, password) -> SFTP_LOGIN.get().authenticate(user, password));
        for (String user : DEFAULT_SFTP_USERS) {
            options.sftpUser(user, password(user), user);
        }
        return options.build();
    }

    /**
     * The password of a test SFTP user: an agency client's demo secret ({@code <client>-demo-secret}),
     * else {@code <user>-secret}.
     */
    public static String password(String user) {
        if (GATEWAY_USER.equals(user)) {
            return GATEWAY_PASSWORD;
        }
        return agencyClients().containsKey(user) ? demoSecret(user) : user + "-secret";
    }

    /** Client id to registry code of the agencies whose SFTP logins Keycloak checks. */
    private static Map<String, String> agencyClients() {
        synchronized (SFTP_AGENCIES) {
            if (SFTP_AGENCIES.isEmpty()) {
                // Surefire runs in the module directory.
                Registry.load(Path.of("../config/agencies.yaml")).agencies()
                        .forEach(a -> SFTP_AGENCIES.put(a.keycloakClient(), a.code()));
            }
        }
        return SFTP_AGENCIES;
    }

    private static TestStack startShared() {
        // Surefire runs in the module directory, so this is the module's target/.
        Path dataDir = Path.of("target").toAbsolutePath().resolve("test-stack-" + UUID.randomUUID().toString().substring(0, 8));
        EmbeddedStack stack = new EmbeddedStack(defaultOptions(dataDir));
        LOCAL_SFTP_PASSWORDS.put(GATEWAY_USER, GATEWAY_PASSWORD);
        SftpLogin local = SftpLogin.ofPasswords(LOCAL_SFTP_PASSWORDS);
        Map<String, String> agencies = agencyClients();
        SFTP_LOGIN.set(KeycloakSftpLogin.of(stack.keycloak().issuer(), EmbeddedStack.GATEWAY_AUDIENCE,
                client -> Optional.ofNullable(agencies.get(client)),
                user -> LOCAL_SFTP_PASSWORDS.containsKey(user) ? Optional.of(local) : Optional.empty()));
        TestStack testStack = new TestStack(stack);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> testStack.shutdown(dataDir), "test-stack-shutdown"));
        stack.start();
        System.out.println(stack.describe() + "  started in " + stack.startupTimes());
        return testStack;
    }

    private void shutdown(Path dataDir) {
        try {
            synchronized (this) {
                if (sshClient != null) {
                    sshClient.stop();
                }
            }
            stack.close();
            deleteRecursively(dataDir);
        } catch (RuntimeException e) {
            System.err.println("test stack did not stop cleanly: " + e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The stack itself: addresses, {@code springProperties()}, stop and start of components. */
    public EmbeddedStack stack() {
        return stack;
    }

    /** The shared Keycloak server (realm {@value KeycloakServer#REALM}, demo clients {@code <clientId>-demo-secret}). */
    public KeycloakServer keycloak() {
        return stack.keycloak();
    }

    /** The demo secret of a client of the imported realm: {@code <clientId>-demo-secret}. */
    public static String demoSecret(String clientId) {
        return clientId + "-demo-secret";
    }

    /**
     * Asks the shared Keycloak's token endpoint for a client-credentials token; the response is
     * returned whatever its status (a refused client gets 400 or 401).
     */
    public HttpResponse<String> requestToken(String clientId, String secret) {
        return requestToken(keycloak(), clientId, secret);
    }

    /** The same request to any Keycloak server, e.g. one a test started for itself. */
    public static HttpResponse<String> requestToken(KeycloakServer server, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.tokenEndpoint()))
                .timeout(TIMEOUT)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("token request for " + clientId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A client-credentials access token (compact JWT) of a client; fails unless Keycloak issues one. */
    public String accessToken(String clientId, String secret) {
        HttpResponse<String> response = requestToken(clientId, secret);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no token for " + clientId + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client-credentials access token of a demo client of the imported realm. */
    public String accessToken(String clientId) {
        return accessToken(clientId, demoSecret(clientId));
    }

    /** The payload of a compact JWT, decoded but not verified. */
    public static JsonNode jwtClaims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a compact JWS: " + parts.length + " parts");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code stack().springProperties()}, with the reports' timers off: a reminder or an early-warning
     * digest of the shared database would land in other tests' inboxes. Tests of reports sweep themselves.
     */
    public Map<String, Object> springProperties() {
        Map<String, Object> p = new java.util.LinkedHashMap<>(stack.springProperties());
        p.put("lienthong.reports.remind", "false");
        p.put("lienthong.reports.warning.send", "false");
        return p;
    }

    /**
     * Registers an SFTP user (folder = user name) if absent, for tests that need one outside
     * {@link #DEFAULT_SFTP_USERS}: an agency client of config/agencies.yaml logs in with its demo
     * secret through Keycloak, any other user with {@code <user>-secret}.
     */
    public TestStack ensureSftpUser(String user) {
        if (!agencyClients().containsKey(user)) {
            LOCAL_SFTP_PASSWORDS.putIfAbsent(user, password(user));
        }
        if (stack.sftpHome(user) == null) {
            stack.addSftpUser(user, password(user), user);
        }
        return this;
    }

    /**
     * Registers an SFTP user that is the Keycloak client of a fixture agency (one a test added to
     * the realm and to its own registry): Keycloak checks its logins; its folder is {@code folder}.
     */
    public TestStack ensureSftpAgency(String clientId, String agencyCode, String folder) {
        agencyClients();
        SFTP_AGENCIES.put(clientId, agencyCode);
        if (stack.sftpHome(clientId) == null) {
            stack.addSftpUser(clientId, null, folder);
        }
        return this;
    }

    // ---------------------------------------------------------------- JMS

    /** A new JMS connection factory for the stack's Artemis broker (close it after use). */
    public ActiveMQConnectionFactory jmsConnectionFactory() {
        return new ActiveMQConnectionFactory(stack.artemisUrl());
    }

    // ---------------------------------------------------------------- Kafka

    /** A producer of byte keys and values that waits for the broker's acknowledgement (acks=all). */
    public KafkaProducer<byte[], byte[]> kafkaProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer of byte keys and values in a fresh group that reads topics from the beginning. */
    public KafkaConsumer<byte[], byte[]> kafkaConsumer() {
        return kafkaConsumer("test-" + UUID.randomUUID());
    }

    /** A consumer of byte keys and values in the given group, from the earliest offset, committing by hand. */
    public KafkaConsumer<byte[], byte[]> kafkaConsumer(String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // ---------------------------------------------------------------- SFTP

    /** The shared S3-compatible server (S3Proxy on 127.0.0.1), started on first call. */
    public S3Server s3() {
        return S3Server.shared();
    }

    /** An SFTP session as a test user with its {@link #password(String) test password}. */
    public Sftp sftp(String user) {
        return sftp(user, password(user));
    }

    /** An SFTP session as any user and password; throws {@link IOException} (wrapped) if the login is refused. */
    public Sftp sftp(String user, String password) {
        return sftp(stack.host(), stack.sftpPort(), user, password);
    }

    /** An SFTP session to any server, e.g. the address a test read from {@code springProperties()}. */
    public Sftp sftp(String host, int port, String user, String password) {
        ClientSession session = null;
        try {
            session = sshClient().connect(user, host, port).verify(TIMEOUT).getSession();
            session.addPasswordIdentity(password);
            session.auth().verify(TIMEOUT);
            return new Sftp(session, SftpClientFactory.instance().createSftpClient(session));
        } catch (IOException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new UncheckedIOException("SFTP login as " + user + " failed", e);
        }
    }

    private synchronized SshClient sshClient() {
        if (sshClient == null) {
            SshClient client = SshClient.setUpDefaultClient();
            // Tests trust the embedded server's generated host key.
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            sshClient = client;
        }
        return sshClient;
    }

    /** An SFTP session of one user, with the few operations tests need; paths are as the user sees them. */
    public static final class Sftp implements AutoCloseable {
        private final ClientSession session;
        private final SftpClient client;

        private Sftp(ClientSession session, SftpClient client) {
            this.session = session;
            this.client = client;
        }

        /**
         * Uploads a file atomically: written as a hidden {@code .name.part} next to it, then renamed,
         * so a poller never sees half a file (Camel skips hidden files).
         */
        public void upload(String path, byte[] content) {
            int slash = path.lastIndexOf('/');
            String temp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".part";
            try {
                try (OutputStream out = client.write(temp)) {
                    out.write(content);
                }
                client.rename(temp, path);
            } catch (IOException e) {
                throw new UncheckedIOException("upload of " + path + " failed", e);
            }
        }

        /** Uploads UTF-8 text atomically. */
        public void upload(String path, String content) {
            upload(path, content.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The names in a folder, without "." and "..", sorted. The embedded server answers "no such
         * file" to a listing when a file in the folder is renamed while it lists (the gateway writes
         * under a temporary name, then renames), so that answer is asked again a few times.
         */
        public List<String> list(String folder) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return listOnce(folder);
                } catch (SftpException e) {
                    if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE || attempt == 5) {
                        throw new UncheckedIOException("listing " + folder + " failed", e);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("listing " + folder + " failed", e);
                }
            }
        }

        private List<String> listOnce(String folder) throws IOException {
            List<String> names = new ArrayList<>();
            try {
                for (SftpClient.DirEntry entry : client.readDir(folder)) {
                    String name = entry.getFilename();
                    if (!".".equals(name) && !"..".equals(name)) {
                        names.add(name);
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the client's iterator wraps the server's answer
            }
            names.sort(null);
            return names;
        }

        /** The content of a file. */
        public byte[] read(String path) {
            try (InputStream in = client.read(path); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
                in.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + path + " failed", e);
            }
        }

        /** The content of a file as UTF-8 text. */
        public String readString(String path) {
            return new String(read(path), StandardCharsets.UTF_8);
        }

        /** The SSHD client, for anything else. */
        public SftpClient client() {
            return client;
        }

        @Override
        public void close() {
            try {
                try {
                    client.close();
                } finally {
                    session.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

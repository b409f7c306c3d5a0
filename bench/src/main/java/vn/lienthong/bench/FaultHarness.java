package vn.lienthong.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.slf4j.LoggerFactory;
import vn.lienthong.bench.FaultHarnessLedger.Channel;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.identity.provisioning.KeycloakProvisioner;
import vn.lienthong.gateway.registry.Registry;

/**
 * The fault harness of issue 14 ({@code java -jar bench/target/lienthong-bench.jar --mode=faults}):
 * N gateway instances (the gateway's own jar, child JVMs) on one PostgreSQL, one Kafka and one
 * Artemis, each of those its own process with its data kept across restarts, plus an SFTP server
 * and Keycloak; steady load on the four agency channels; meanwhile a random instance is killed
 * ({@code kill -9}) every few seconds and restarted, Artemis, Kafka and PostgreSQL are restarted
 * once each, and the push recipient answers 503 for a while. At the end it counts from the
 * agencies' side: every accepted message at each of its recipients, duplicates, a receipt for
 * every input, every refused input in quarantine, and the audit chain.
 */
public final class FaultHarness {

    private static final String REGISTRY_RESOURCE = "bench/faults-agencies.yaml";
    /** How long a gateway may take to become ready; system property {@code lienthong.bench.health-seconds}. */
    private static final Duration HEALTH = Duration.ofSeconds(Long.getLong("lienthong.bench.health-seconds", 600));
    private static final Duration SERVER_START = Duration.ofSeconds(Long.getLong("lienthong.bench.server-seconds", 300));
    /** How long the count must stand still before inputs without a receipt are sent again. */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(60);
    private static final Map<Channel, String> CLIENTS = Map.of(Channel.JMS, "fault-jms", Channel.KAFKA, "fault-kafka",
            Channel.SFTP, "fault-sftp", Channel.REST, "fault-rest");

    private final FaultHarnessSettings settings;
    private final PrintStream out;
    private final Path dataDir;
    private final long t0 = System.nanoTime();
    private final Random random;
    private final FaultHarnessLedger ledger = new FaultHarnessLedger();
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    /** Inputs sent again because their sender held no receipt, and how many per channel. */
    private final Set<String> resent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<Channel, Integer> resentFor = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ExecutorService restarts = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-gateway-start");
        t.setDaemon(true);
        return t;
    });
    private final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    private double loadMax = loadAtStart;
    private FaultHarnessServer artemis;
    private FaultHarnessServer kafka;
    private FaultHarnessServer postgres;
    private EmbeddedStack stack;
    private FaultHarnessRecipients recipients;
    private FaultHarnessLoad load;
    private Path registry;
    private Map<String, String> gatewayEnv;
    private int instanceCount;

    /** One gateway instance: its number, port and process; null process while it starts. */
    private static final class Instance {
        final int number;
        volatile GatewayProcess process;
        volatile int port;
        volatile boolean ready;

        Instance(int number) {
            this.number = number;
        }
    }

    /** What the run found; {@link #passed()} when nothing was lost and every check holds. */
    record Result(
            Map<Channel, Integer> inputs,
            Map<Channel, Integer> bad,
            Map<Channel, Integer> withoutReceipt,
            int acceptedGood,
            int refusedGood,
            int badAccepted,
            int badNotQuarantined,
            Map<String, Integer> expected,
            Map<String, Integer> lost,
            Map<String, Integer> duplicates,
            Map<String, Long> deliveriesByStatus,
            boolean auditOk,
            String audit,
            int kills,
            int brokerRestarts,
            long refusedPushes,
            String failure) {

        /** Lost 0, receipts complete, refusals all quarantined, audit verifies, the run did not fail. */
        boolean passed() {
            return failure == null && lost.values().stream().allMatch(n -> n == 0)
                    && withoutReceipt.values().stream().allMatch(n -> n == 0) && refusedGood == 0 && badAccepted == 0
                    && badNotQuarantined == 0 && auditOk
                    // The queued channels are exactly once (JMS duplicate detection, Kafka transactions
                    // and send intents); push is at least once, its duplicates only reported.
                    && duplicates.getOrDefault("FAULT.TO.JMS", 0) == 0 && duplicates.getOrDefault("FAULT.TO.KAFKA", 0) == 0;
        }
    }

    private FaultHarness(FaultHarnessSettings settings, PrintStream out, Path dataDir) {
        this.settings = settings;
        this.out = out;
        this.dataDir = dataDir;
        this.random = new Random(settings.seed());
    }

    /** The command: runs the harness and exits 0 when it passed, 1 when not, 2 for bad arguments. */
    public static void main(String[] args) {
        FaultHarnessSettings settings;
        try {
            settings = FaultHarnessSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fault harness: " + e.getMessage());
            System.err.println(FaultHarnessSettings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help()) {
            System.out.println(FaultHarnessSettings.USAGE);
            System.exit(0);
        }
        Result result = run(settings, System.out);
        // The Keycloak client and the brokers' clients leave non-daemon threads behind: exit explicitly.
        System.exit(result.passed() ? 0 : 1);
    }

    /** Runs the harness with these settings, printing progress and the table; returns what it found. */
    static Result run(FaultHarnessSettings settings, PrintStream out) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            // The clients warn at every reconnection attempt while their broker restarts: that is the point here.
            for (String noisy : List.of("org.apache.kafka", "org.apache.activemq", "org.apache.sshd")) {
                context.getLogger(noisy).setLevel(Level.ERROR);
            }
        }
        Path dir;
        try {
            dir = settings.dataDir() == null ? Files.createTempDirectory("lienthong-faults-")
                    : Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory: " + e, e);
        }
        FaultHarness harness = new FaultHarness(settings, out, dir.toAbsolutePath());
        Result result = harness.run();
        out.println("data directory kept: " + dir + " (gateway logs gateway-N.log.*, servers *.log.*)");
        return result;
    }

    private Result run() {
        out.printf(Locale.ROOT, "lienthong fault harness: %d instances, %d kills every %d s, outage %d s, %.1f inputs/s a"
                + " channel, data in %s%n", settings.instances(), settings.kills(), settings.killEvery().toSeconds(),
                settings.outage().toSeconds(), settings.rate(), dataDir);
        String failure = null;
        try {
            setUp();
            exercise();
            drain();
        } catch (BenchmarkFailure e) {
            failure = e.getMessage();
        } catch (Exception | Error e) {
            failure = e.toString();
            e.printStackTrace(out);
        }
        Result result;
        try {
            result = count(failure);
        } catch (Exception e) {
            e.printStackTrace(out);
            result = new Result(Map.of(), Map.of(), Map.of(), 0, 0, 0, 0, Map.of(), Map.of(), Map.of(), Map.of(), false,
                    "not verified: " + e, 0, 0, 0, failure == null ? "counting failed: " + e : failure);
        }
        tearDown();
        print(result);
        return result;
    }

    // ---------------------------------------------------------------- set-up

    private void setUp() throws Exception {
        int artemisPort = ThroughputBenchmark.freePort();
        int kafkaPort = ThroughputBenchmark.freePort();
        int controllerPort = ThroughputBenchmark.freePort();
        int postgresPort = ThroughputBenchmark.freePort();
        artemis = new FaultHarnessServer("artemis", List.of("--port=" + artemisPort, "--data-dir=" + dataDir.resolve("artemis")),
                dataDir.resolve("artemis.log"), SERVER_START);
        kafka = new FaultHarnessServer("kafka", List.of("--port=" + kafkaPort, "--controller-port=" + controllerPort,
                "--data-dir=" + dataDir.resolve("kafka")), dataDir.resolve("kafka.log"), SERVER_START);
        postgres = new FaultHarnessServer("postgres", List.of("--port=" + postgresPort,
                "--data-dir=" + dataDir.resolve("pg")), dataDir.resolve("postgres.log"), SERVER_START);
        recipients = new FaultHarnessRecipients(ledger, "tcp://127.0.0.1:" + artemisPort, "127.0.0.1:" + kafkaPort);
        registry = registryFile(recipients.pushUrl());
        // The stack's own brokers and database are never started: its addresses are those of the processes above.
        stack = new EmbeddedStack(EmbeddedStack.Options.builder(dataDir.resolve("stack"))
                .artemisPort(artemisPort).kafkaPort(kafkaPort).postgresPort(postgresPort)
                .gatewaySftp("gateway", UUID.randomUUID().toString())
                .sftpUser(FaultHarnessLoad.SFTP_FOLDER, UUID.randomUUID().toString(), FaultHarnessLoad.SFTP_FOLDER)
                .keycloak(ModeSupport.keycloakOptions()).build());
        ExecutorService starting = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (FaultHarnessServer server : List.of(artemis, kafka, postgres)) {
                starts.add(starting.submit(() -> {
                    server.start();
                    return null;
                }));
            }
            starts.add(starting.submit(() -> {
                stack.startSftp();
                stack.startKeycloak();
                return null;
            }));
            for (Future<?> start : starts) {
                try {
                    start.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            starting.shutdownNow();
        }
        event("servers up: Artemis " + artemisPort + ", Kafka " + kafkaPort + ", PostgreSQL " + postgresPort
                + " (own processes), SFTP " + stack.sftpPort() + ", Keycloak " + stack.keycloak().baseUrl());
        createTopics(stack.kafkaBootstrap());
        Map<Channel, String> tokens = provision();
        gatewayEnv = gatewayEnvironment();
        // The first instance alone migrates the schema; the others start together after it.
        Instance first = new Instance(instanceCount++);
        instances.add(first);
        startInstance(first);
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i < settings.instances(); i++) {
            Instance next = new Instance(instanceCount++);
            instances.add(next);
            others.add(restarts.submit(() -> {
                startInstance(next);
                return null;
            }));
        }
        for (Future<?> f : others) {
            f.get();
        }
        recipients.start();
        load = new FaultHarnessLoad(ledger, tokens, stack.artemisUrl(), stack.kafkaBootstrap(),
                stack.sftpHome(FaultHarnessLoad.SFTP_FOLDER).resolve("inbox"), this::readyPorts, settings.rate(),
                settings.badEvery());
    }

    private Path registryFile(String pushUrl) throws IOException {
        try (InputStream in = FaultHarness.class.getClassLoader().getResourceAsStream(REGISTRY_RESOURCE)) {
            if (in == null) {
                throw new BenchmarkFailure(REGISTRY_RESOURCE + " is not on the class path");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("PUSH_URL", pushUrl);
            Path file = dataDir.resolve("agencies.yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            Registry.load(file);
            return file;
        }
    }

    private static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> wanted = new ArrayList<>();
            for (String topic : List.of(FaultHarnessLoad.KAFKA_IN, FaultHarnessRecipients.KAFKA_RECEIPTS,
                    FaultHarnessRecipients.KAFKA_RECIPIENT_TOPIC, "fault.to.kafka.in")) {
                if (!existing.contains(topic)) {
                    wanted.add(new NewTopic(topic, 3, (short) 1));
                }
            }
            admin.createTopics(wanted).all().get();
        }
    }

    /** Provisions the registry's clients; the senders' tokens outlive the run (inputs wait in queues). */
    private Map<Channel, String> provision() throws IOException {
        KeycloakServer keycloak = stack.keycloak();
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(keycloak.baseUrl(), keycloak.adminUsername(),
                keycloak.adminPassword())) {
            provisioner.withDemoSecrets().sync(Registry.load(registry));
        }
        try (Keycloak admin = KeycloakBuilder.builder().serverUrl(keycloak.baseUrl()).realm("master")
                .clientId("admin-cli").grantType(OAuth2Constants.PASSWORD)
                .username(keycloak.adminUsername()).password(keycloak.adminPassword()).build()) {
            for (String clientId : CLIENTS.values()) {
                List<ClientRepresentation> found = admin.realm(KeycloakServer.REALM).clients().findByClientId(clientId);
                if (found.isEmpty()) {
                    throw new BenchmarkFailure("provisioning made no Keycloak client " + clientId);
                }
                ClientResource client = admin.realm(KeycloakServer.REALM).clients().get(found.get(0).getId());
                ClientRepresentation representation = client.toRepresentation();
                representation.getAttributes().put("access.token.lifespan", Long.toString(Duration.ofHours(4).toSeconds()));
                client.update(representation);
            }
        }
        TokenEndpoint tokens = new TokenEndpoint(keycloak.issuer(), HttpClient.newHttpClient());
        Map<Channel, String> bearer = new EnumMap<>(Channel.class);
        for (Map.Entry<Channel, String> client : CLIENTS.entrySet()) {
            bearer.put(client.getKey(), "Bearer " + tokens.clientCredentials(client.getValue(), client.getValue()
                    + "-demo-secret").orElseThrow(() -> new BenchmarkFailure("Keycloak gives " + client.getValue()
                    + " no token")).accessToken());
        }
        return bearer;
    }

    private Map<String, String> gatewayEnvironment() throws IOException {
        // One signing key and one key-encryption key, shared by every instance (as in production).
        Map<String, String> env = GatewayLaunch.environment(stack, registry, dataDir);
        env.put("LIENTHONG_CONSOLE_CLIENT_SECRET", EmbeddedStack.CONSOLE_CLIENT_DEMO_SECRET);
        // The standalone Artemis stamps every address with its ingress time, as the embedded one does.
        env.put("LIENTHONG_IDENTITY_JMS_INGRESS_TIMESTAMP", "true");
        return env;
    }

    /** Starts an instance (a new port each time) and waits until it is ready. */
    private void startInstance(Instance instance) throws IOException, InterruptedException {
        Path jar = GatewayLaunch.jar(settings.jar());
        Path java = GatewayLaunch.java();
        int port = ThroughputBenchmark.freePort();
        Path tmp = Files.createDirectories(dataDir.resolve("gateway-tmp-" + instance.number));
        List<String> jvmArgs = List.of("-Xmx" + settings.gatewayHeap(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + tmp);
        // A recipient back after its outage gets its backlog within seconds, not after a 5-minute back-off.
        List<String> appArgs = GatewayLaunch.appArgs(port, List.of("--lienthong.attachments.folder="
                + dataDir.resolve("attachments"), "--lienthong.dispatch.max-delay=10s"), settings.gatewayArgs());
        Map<String, String> env = new LinkedHashMap<>(gatewayEnv);
        env.put("LIENTHONG_HTTP_PORT", Integer.toString(port));
        int generation = (int) events.stream().filter(e -> e.contains("instance " + instance.number + " ")).count();
        Path log = dataDir.resolve("gateway-" + instance.number + ".log." + generation);
        instance.ready = false;
        instance.port = port;
        long begin = System.nanoTime();
        GatewayProcess process = GatewayProcess.start(java, jar, jvmArgs, appArgs, env, log, port);
        instance.process = process;
        process.awaitHealthy(HEALTH);
        instance.ready = true;
        event(String.format(Locale.ROOT, "instance %d ready on port %d (pid %d) in %.0f s", instance.number, port,
                process.pid(), (System.nanoTime() - begin) / 1e9));
    }

    private List<Integer> readyPorts() {
        List<Integer> ports = new ArrayList<>();
        for (Instance i : instances) {
            if (i.ready && i.process != null && i.process.alive()) {
                ports.add(i.port);
            }
        }
        return ports;
    }

    // ---------------------------------------------------------------- the faults

    private void exercise() throws Exception {
        load.start();
        long start = System.nanoTime();
        event("load started: " + settings.rate() + " inputs/s on each of JMS, Kafka, SFTP, REST");
        // The outage keeps its own time: a broker restart of minutes must not stretch it.
        Thread outage = outage(settings.killEvery().dividedBy(2), settings.outage());
        List<FaultHarnessServer> brokers = settings.brokerRestarts() ? new ArrayList<>(List.of(artemis, kafka, postgres))
                : new ArrayList<>();
        int kills = 0;
        // The broker restarts fall between kills, spread over the kills (one each after a quarter, half, three quarters).
        List<Integer> restartAfter = new ArrayList<>();
        for (int j = 1; j <= brokers.size(); j++) {
            restartAfter.add(Math.max(1, (int) Math.round(settings.kills() * j / (brokers.size() + 1.0))));
        }
        long nextFault = start + settings.killEvery().toNanos();
        long minimumEnd = start + settings.duration().toNanos();
        while (true) {
            long now = System.nanoTime();
            sampleLoad();
            if (load.failure() != null) {
                throw new BenchmarkFailure("a sender failed: " + load.failure());
            }
            boolean faultsLeft = kills < settings.kills() || !brokers.isEmpty();
            if (faultsLeft && now >= nextFault) {
                if (kills < settings.kills()) {
                    if (killOne()) {
                        kills++;
                    }
                    while (!brokers.isEmpty() && (kills >= restartAfter.get(0) || kills >= settings.kills())) {
                        restartAfter.remove(0);
                        restartBroker(brokers.remove(0));
                    }
                } else {
                    restartBroker(brokers.remove(0));
                }
                nextFault = System.nanoTime() + settings.killEvery().toNanos();
            }
            if (!faultsLeft && !outage.isAlive() && now >= minimumEnd) {
                break;
            }
            Thread.sleep(200);
        }
        // Every instance back before the load stops, so that the count is of a whole cluster.
        awaitAllReady();
        load.stopAndJoin(Duration.ofMinutes(3));
        event(String.format(Locale.ROOT, "load stopped: %,d inputs", ledger.inputs().size()));
    }

    /** Takes the push recipient away after {@code after}, for {@code length}, on a thread of its own. */
    private Thread outage(Duration after, Duration length) {
        Thread t = new Thread(() -> {
            try {
                if (length.isZero()) {
                    return;
                }
                Thread.sleep(after.toMillis());
                recipients.outage(true);
                event("push recipient FAULT.TO.PUSH down (503) for " + length.toSeconds() + " s");
                Thread.sleep(length.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                recipients.outage(false);
                if (!length.isZero()) {
                    event("push recipient back (" + recipients.refusedPushes() + " pushes answered 503 meanwhile)");
                }
            }
        }, "fault-outage");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Kills a random ready instance (kill -9) and starts a new one in its place in the background. */
    private boolean killOne() throws InterruptedException {
        List<Instance> ready = instances.stream().filter(i -> i.ready).toList();
        if (ready.isEmpty()) {
            return false;
        }
        Instance victim = ready.get(random.nextInt(ready.size()));
        GatewayProcess process = victim.process;
        victim.ready = false;
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(process.pid()).ifPresent(h -> h.onExit().join());
        process.close();
        event("killed instance " + victim.number + " (kill -9, pid " + process.pid() + ")");
        restarts.submit(() -> {
            restartInstance(victim);
            return null;
        });
        return true;
    }

    /** Starts a killed instance again; a start that fails (the database restarting under it, say) is tried again. */
    private void restartInstance(Instance instance) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                startInstance(instance);
                return;
            } catch (IOException | RuntimeException e) {
                GatewayProcess failed = instance.process;
                if (failed != null) {
                    failed.close();
                }
                event("instance " + instance.number + " did not start (attempt " + attempt + "): "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                if (attempt == 3) {
                    return;
                }
            }
        }
    }

    private void restartBroker(FaultHarnessServer server) throws Exception {
        long begin = System.nanoTime();
        event("restarting " + server.kind());
        server.restart();
        event(String.format(Locale.ROOT, "%s back after %.0f s (same port, same data)", server.kind(),
                (System.nanoTime() - begin) / 1e9));
    }

    private void awaitAllReady() throws InterruptedException {
        long deadline = System.nanoTime() + HEALTH.toNanos();
        while (instances.stream().anyMatch(i -> !i.ready)) {
            if (System.nanoTime() > deadline) {
                throw new BenchmarkFailure("an instance did not come back within " + HEALTH.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    // ---------------------------------------------------------------- the count

    /** Waits until every accepted message reached each recipient and every input has its receipt, or the drain time. */
    private void drain() throws Exception {
        long deadline = System.nanoTime() + settings.drain().toNanos();
        long nextProgress = 0;
        long still = System.nanoTime();
        int lastTotal = -1;
        while (true) {
            recipients.readSftpReceipts(sftpOutbox());
            Missing missing = missing();
            if (missing.total() == 0) {
                event("drained: every delivery and receipt is in");
                return;
            }
            if (missing.total() != lastTotal) {
                lastTotal = missing.total();
                still = System.nanoTime();
            } else if (missing.receipts() > 0 && System.nanoTime() - still > RESEND_AFTER.toNanos()) {
                resendWithoutReceipt();
                still = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                event("drain time over with " + missing);
                return;
            }
            if (System.nanoTime() >= nextProgress) {
                out.println(stamp() + "waiting for " + missing);
                nextProgress = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            }
            sampleLoad();
            Thread.sleep(1000);
        }
    }

    /**
     * What an agency does that holds no receipt for an input (the receipt goes after the input's
     * commit, and can go down with its instance or broker): it sends the same bytes again and gets
     * the original receipt back. Once per input; counted apart in the table.
     */
    private void resendWithoutReceipt() throws IOException {
        Path inbox = stack.sftpHome(FaultHarnessLoad.SFTP_FOLDER).resolve("inbox");
        int n = 0;
        for (Map.Entry<String, FaultHarnessLedger.Input> input : ledger.inputs().entrySet()) {
            String id = input.getKey();
            if (!ledger.receiptsOf(id).isEmpty() || !resent.add(id)) {
                continue;
            }
            if (input.getValue().channel() == Channel.SFTP && Files.exists(inbox.resolve(id + ".json"))) {
                // Not read yet: a backlog, not a lost receipt.
                resent.remove(id);
                continue;
            }
            try {
                load.resend(id);
                resentFor.merge(input.getValue().channel(), 1, Integer::sum);
                n++;
            } catch (Exception e) {
                resent.remove(id);
                out.println(stamp() + "resend of " + id + " failed: " + e.getMessage());
            }
        }
        if (n > 0) {
            event("resent " + n + " inputs without a receipt after " + RESEND_AFTER.toSeconds()
                    + " s without progress (same bytes, as an agency would)");
        }
    }

    private record Missing(int receipts, Map<String, Integer> deliveries) {
        int total() {
            return receipts + deliveries.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return receipts + " receipts, deliveries " + deliveries;
        }
    }

    private Missing missing() {
        int receipts = 0;
        Map<String, Integer> deliveries = new TreeMap<>();
        FaultHarnessLoad.RECIPIENTS.forEach(r -> deliveries.put(r, 0));
        for (Map.Entry<String, FaultHarnessLedger.Input> input : ledger.inputs().entrySet()) {
            Set<String> statuses = ledger.receiptsOf(input.getKey());
            if (statuses.isEmpty()) {
                receipts++;
            }
            if (statuses.contains("ACCEPTED")) {
                for (String r : FaultHarnessLoad.RECIPIENTS) {
                    if (ledger.copies(r, input.getKey()) == 0) {
                        deliveries.merge(r, 1, Integer::sum);
                    }
                }
            }
        }
        return new Missing(receipts, deliveries);
    }

    private Result count(String failure) throws Exception {
        recipients.readSftpReceipts(sftpOutbox());
        Map<Channel, Integer> inputs = new EnumMap<>(Channel.class);
        Map<Channel, Integer> bad = new EnumMap<>(Channel.class);
        Map<Channel, Integer> withoutReceipt = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            inputs.put(c, 0);
            bad.put(c, 0);
            withoutReceipt.put(c, 0);
        }
        int acceptedGood = 0;
        int refusedGood = 0;
        int badAccepted = 0;
        Set<String> accepted = new HashSet<>();
        Set<String> badIds = new HashSet<>();
        for (Map.Entry<String, FaultHarnessLedger.Input> e : ledger.inputs().entrySet()) {
            Channel c = e.getValue().channel();
            inputs.merge(c, 1, Integer::sum);
            Set<String> statuses = ledger.receiptsOf(e.getKey());
            if (statuses.isEmpty()) {
                withoutReceipt.merge(c, 1, Integer::sum);
            }
            if (e.getValue().bad()) {
                bad.merge(c, 1, Integer::sum);
                badIds.add(e.getKey());
                if (statuses.contains("ACCEPTED")) {
                    badAccepted++;
                }
            } else if (statuses.contains("ACCEPTED")) {
                acceptedGood++;
            } else if (!statuses.isEmpty()) {
                refusedGood++;
            }
            if (statuses.contains("ACCEPTED")) {
                accepted.add(e.getKey());
            }
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, Integer> lost = new LinkedHashMap<>();
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        for (String r : FaultHarnessLoad.RECIPIENTS) {
            int missing = 0;
            int extra = 0;
            for (String id : accepted) {
                int copies = ledger.copies(r, id);
                missing += copies == 0 ? 1 : 0;
                extra += Math.max(0, copies - 1);
            }
            expected.put(r, accepted.size());
            lost.put(r, missing);
            duplicates.put(r, extra);
        }
        int notQuarantined = badIds.size();
        Map<String, Long> deliveries = new TreeMap<>();
        boolean auditOk = false;
        String audit = "not verified";
        if (postgres != null) {
            try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword())) {
                try (PreparedStatement ps = c.prepareStatement(
                        "select count(distinct message_id) from quarantine where message_id::text = any(?)")) {
                    ps.setArray(1, c.createArrayOf("text", badIds.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        notQuarantined = badIds.size() - rs.getInt(1);
                    }
                }
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("select status, count(*) from delivery group by status")) {
                    while (rs.next()) {
                        deliveries.put(rs.getString(1), rs.getLong(2));
                    }
                }
                // What audit-verify (AuditVerifyCommand) runs, on the same database.
                c.setReadOnly(true);
                AuditVerification verification = AuditLog.verify(c);
                auditOk = verification.ok();
                audit = verification.describe();
            } catch (SQLException e) {
                audit = "not verified: " + e.getMessage();
            }
        }
        int kills = (int) events.stream().filter(e -> e.contains("killed instance")).count();
        int brokerRestarts = (int) events.stream().filter(e -> e.contains(" back after ")).count();
        return new Result(inputs, bad, withoutReceipt, acceptedGood, refusedGood, badAccepted, notQuarantined, expected,
                lost, duplicates, deliveries, auditOk, audit, kills, brokerRestarts,
                recipients == null ? 0 : recipients.refusedPushes(), failure);
    }

    private Path sftpOutbox() {
        return stack.sftpHome(FaultHarnessLoad.SFTP_FOLDER).resolve("outbox");
    }

    // ---------------------------------------------------------------- report

    private void print(Result r) {
        String line = "=".repeat(100);
        out.println();
        out.println(line);
        out.printf(Locale.ROOT, "lienthong fault harness (issue 14): %d instances, %d kills (kill -9) every %d s, %d broker"
                + " restarts, push outage %d s%n", settings.instances(), r.kills(), settings.killEvery().toSeconds(),
                r.brokerRestarts(), settings.outage().toSeconds());
        out.println(line);
        out.printf(Locale.ROOT, "%-10s %10s %10s %18s %14s %22s%n", "sender", "inputs", "bad", "without receipt",
                "resends", "resent for a receipt");
        for (Channel c : Channel.values()) {
            out.printf(Locale.ROOT, "%-10s %,10d %,10d %18d %,14d %22d%n", c, r.inputs().getOrDefault(c, 0),
                    r.bad().getOrDefault(c, 0), r.withoutReceipt().getOrDefault(c, 0), load == null ? 0 : load.retries(c),
                    resentFor.getOrDefault(c, 0));
        }
        out.printf(Locale.ROOT, "accepted %,d; good inputs refused %d; bad inputs accepted %d; bad inputs not in"
                + " quarantine %d%n", r.acceptedGood(), r.refusedGood(), r.badAccepted(), r.badNotQuarantined());
        out.printf(Locale.ROOT, "%-16s %-9s %10s %10s %10s %12s%n", "recipient", "channel", "expected", "delivered", "lost",
                "duplicates");
        for (String rec : r.expected().keySet()) {
            int expected = r.expected().get(rec);
            int lost = r.lost().get(rec);
            out.printf(Locale.ROOT, "%-16s %-9s %,10d %,10d %10d %12d%n", rec, channelOf(rec), expected, expected - lost,
                    lost, r.duplicates().get(rec));
        }
        out.println("deliveries in the database by status: " + r.deliveriesByStatus());
        out.println("push recipient: " + r.refusedPushes() + " pushes answered 503 during its outage");
        out.println("audit-verify: " + (r.auditOk() ? "OK " : "FAILED ") + r.audit());
        missingExamples().forEach(out::println);
        if (!ledger.unreadable().isEmpty()) {
            out.println("unreadable: " + ledger.unreadable());
        }
        out.printf(Locale.ROOT, "load average: %.2f at start, %.2f at most (1 min), %d cores; seed %d%n", loadAtStart,
                loadMax, Runtime.getRuntime().availableProcessors(), settings.seed());
        out.println("timeline:");
        events.forEach(e -> out.println("  " + e));
        out.println(line);
        out.println(r.passed() ? "PASSED: lost 0, no duplicate on JMS and Kafka, receipts complete, refusals quarantined,"
                + " audit chain verifies"
                : "FAILED" + (r.failure() == null ? "" : ": " + r.failure()));
    }

    /** A few message ids of each kind of gap, to look up in the journal. */
    private List<String> missingExamples() {
        List<String> lines = new ArrayList<>();
        for (Channel c : Channel.values()) {
            List<String> ids = ledger.inputs().entrySet().stream().filter(e -> e.getValue().channel() == c)
                    .filter(e -> ledger.receiptsOf(e.getKey()).isEmpty()).map(Map.Entry::getKey).limit(5).toList();
            if (!ids.isEmpty()) {
                lines.add("inputs on " + c + " without a receipt, e.g. " + ids);
            }
        }
        for (String r : FaultHarnessLoad.RECIPIENTS) {
            List<String> lost = new ArrayList<>();
            List<String> doubled = new ArrayList<>();
            for (String id : ledger.inputs().keySet()) {
                if (ledger.receiptsOf(id).contains("ACCEPTED")) {
                    int copies = ledger.copies(r, id);
                    if (copies == 0 && lost.size() < 5) {
                        lost.add(id);
                    } else if (copies > 1 && doubled.size() < 5) {
                        doubled.add(id);
                    }
                }
            }
            if (!lost.isEmpty()) {
                lines.add("lost at " + r + ", e.g. " + lost);
            }
            if (!doubled.isEmpty()) {
                lines.add("received twice or more at " + r + ", e.g. " + doubled);
            }
        }
        return lines;
    }

    private static String channelOf(String recipient) {
        return switch (recipient) {
            case "FAULT.TO.JMS" -> "JMS";
            case "FAULT.TO.KAFKA" -> "Kafka";
            default -> "REST push";
        };
    }

    private void event(String what) {
        String e = stamp() + what;
        events.add(e);
        out.println(e);
    }

    private String stamp() {
        return String.format(Locale.ROOT, "[%6.1f s] ", (System.nanoTime() - t0) / 1e9);
    }

    private void sampleLoad() {
        loadMax = Math.max(loadMax, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    // ---------------------------------------------------------------- tear-down

    private void tearDown() {
        quietly(() -> {
            if (load != null) {
                load.stopAndJoin(Duration.ofSeconds(30));
            }
        });
        restarts.shutdownNow();
        for (Instance i : instances) {
            quietly(() -> {
                if (i.process != null) {
                    i.process.close();
                }
            });
        }
        quietly(() -> {
            if (recipients != null) {
                recipients.close();
            }
        });
        for (FaultHarnessServer server : java.util.Arrays.asList(artemis, kafka, postgres)) {
            quietly(() -> {
                if (server != null) {
                    server.close();
                }
            });
        }
        quietly(() -> {
            if (stack != null) {
                stack.close();
            }
        });
    }

    private interface Step {
        void run() throws Exception;
    }

    private void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            out.println("tear-down: " + e);
        }
    }
}

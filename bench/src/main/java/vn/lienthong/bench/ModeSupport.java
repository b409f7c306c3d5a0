package vn.lienthong.bench;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.registry.Registry;

/**
 * What the modes of {@link BenchModes} share: their data directory, the embedded stack, the
 * registry (the project's own, with the benchmark's two agencies added), tokens, the gateway's own
 * jar as a child JVM (as {@link ThroughputBenchmark} starts it), its heap and CPU, and the lines
 * every mode prints about the machine.
 */
final class ModeSupport implements AutoCloseable {

    /** How long the gateway may take to become ready; system property {@code lienthong.bench.health-seconds}. */
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(Long.getLong("lienthong.bench.health-seconds", 180));
    private static final String BENCH_REGISTRY = "bench/agencies.yaml";

    final BenchSettings settings;
    final PrintStream out;
    final Path dataDir;
    private final boolean createdDir;
    final long deadline;
    final double loadAtStart = loadAverage();
    EmbeddedStack stack;
    ActiveMQConnectionFactory jms;
    GatewayProcess gateway;
    /** {@code Bearer <token>} of the benchmark's JMS sender (BENCH.SRC). */
    String benchAuthorization;
    private Path registry;
    private final Map<String, TokenEndpoint.Grant> grants = new ConcurrentHashMap<>();
    private long peakHeapBytes = -1;

    private ModeSupport(BenchSettings settings, PrintStream out, Path dataDir, boolean createdDir) {
        this.settings = settings;
        this.out = out;
        this.dataDir = dataDir;
        this.createdDir = createdDir;
        this.deadline = System.nanoTime() + settings.timeout().toNanos();
    }

    /** A mode's own options, taken out of the arguments (with {@link #take}) before the shared ones are read. */
    interface OwnOptions<T> {
        T take(List<String> args);
    }

    /** A mode's arguments read: its own options and the shared support, or the outcome to end with at once. */
    record Opened<T>(T options, ModeSupport support, BenchModes.Outcome outcome) {
    }

    /**
     * Reads a mode's arguments: {@code --help} prints the usage (status 0); the mode's own options,
     * then those every mode shares (see {@link #open(List, PrintStream)}); a bad one prints
     * {@code "<mode> benchmark: <what>"} and the usage on standard error (status 2).
     */
    static <T> Opened<T> open(String mode, String usage, String[] argv, PrintStream out, OwnOptions<T> own) {
        List<String> args = args(argv);
        try {
            if (args.contains("--help")) {
                out.println(usage);
                return new Opened<>(null, null, new BenchModes.Outcome(0, Map.of()));
            }
            T options = own.take(args);
            return new Opened<>(options, open(args, out), null);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println(mode + " benchmark: " + e.getMessage());
            System.err.println(usage);
            return new Opened<>(null, null, new BenchModes.Outcome(2, Map.of()));
        }
    }

    /**
     * Parses the options every mode shares (those of {@link BenchSettings}; {@code --mode=} is
     * dropped), prepares the data directory and the benchmark's log file; throws
     * IllegalArgumentException for bad arguments.
     */
    static ModeSupport open(List<String> args, PrintStream out) throws IOException {
        ThroughputBenchmark.quietLogging();
        BenchSettings settings = BenchSettings.parse(args.stream().filter(a -> !a.startsWith("--mode="))
                .toArray(String[]::new));
        DataDir dir = DataDir.prepare(settings.dataDir());
        ThroughputBenchmark.logTo(dir.path().resolve("benchmark.log"));
        return new ModeSupport(settings, out, dir.path(), dir.created());
    }

    /** A run's data directory and whether the run created it (then it removes it after a successful run). */
    record DataDir(Path path, boolean created) {

        /**
         * A fresh directory under the temp dir if none is given, else the given one, which must be new
         * or empty (IllegalArgumentException otherwise).
         */
        static DataDir prepare(Path given) throws IOException {
            if (given == null) {
                return new DataDir(Files.createTempDirectory("lienthong-bench-").toAbsolutePath(), true);
            }
            Path dataDir = given.toAbsolutePath().normalize();
            boolean created = !Files.exists(dataDir);
            if (!created) {
                try (Stream<Path> entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("--data-dir " + dataDir + " is not empty; give a new or empty one");
                    }
                }
            }
            Files.createDirectories(dataDir);
            return new DataDir(dataDir, created);
        }
    }

    /** What a mode does between starting and its report; returns why it failed, or null. */
    interface Work {
        String run() throws Exception;
    }

    /**
     * Runs a mode's work: a {@link BenchmarkFailure} is the failure's message, any other throwable its
     * name and stack trace (printed); stops what was started either way. Returns the failure or null.
     */
    String attempt(Work work) {
        try {
            return work.run();
        } catch (BenchmarkFailure e) {
            return e.getMessage();
        } catch (Exception | Error e) {
            e.printStackTrace(out);
            return e.toString();
        } finally {
            close();
        }
    }

    /**
     * Prints a mode's report (a banner {@code title} between rules {@code width} wide, the mode's
     * lines, the machine's, and {@code RUN FAILED} with the failure), removes the data directory after
     * a successful run and returns the outcome: 0 without failure, else 1.
     */
    BenchModes.Outcome report(int width, String title, Runnable lines, String failure, Map<String, Double> figures) {
        String line = "=".repeat(width);
        out.println();
        out.println(line);
        out.println(title);
        out.println(line);
        lines.run();
        printMachine();
        out.println(line);
        if (failure != null) {
            out.println();
            out.println("RUN FAILED: " + failure);
        }
        finish(failure == null);
        return new BenchModes.Outcome(failure == null ? 0 : 1, figures);
    }

    /** Takes {@code --name=value} out of the arguments: its value, or null if absent. */
    static String take(List<String> args, String name) {
        String prefix = "--" + name + "=";
        String value = null;
        for (var it = args.iterator(); it.hasNext();) {
            String arg = it.next();
            if (arg.startsWith(prefix)) {
                value = arg.substring(prefix.length());
                it.remove();
            }
        }
        return value;
    }

    /** A whole number option, at least {@code min}; {@code fallback} when absent. */
    static int number(String name, String value, int fallback, int min) {
        return value == null ? fallback : CommandLine.atLeast(name, value, min);
    }

    /** A mutable copy of the arguments. */
    static List<String> args(String[] args) {
        return new ArrayList<>(Arrays.asList(args));
    }

    /**
     * Starts the embedded stack with Keycloak, provisions the registry's clients (demo secrets; the
     * benchmark sender's tokens valid two hours) and creates the benchmark's topics.
     */
    void startStack(Consumer<EmbeddedStack.Options.Builder> options) throws IOException {
        long t0 = System.nanoTime();
        EmbeddedStack.Options.Builder builder = stackOptions(dataDir);
        options.accept(builder);
        stack = EmbeddedStack.start(builder.build());
        registry = registryFile();
        benchAuthorization = BenchIdentity.provisionAndAuthorize(stack.keycloak(), registry, Duration.ofHours(2));
        stack.createTopics(ThroughputBenchmark.BENCH_OUT, ThroughputBenchmark.BENCH_DST_IN);
        jms = new ActiveMQConnectionFactory(stack.artemisUrl());
        out.printf(Locale.ROOT, "embedded stack up in %.1f s: Artemis %s, Kafka %s, PostgreSQL %s, SFTP port %d%n",
                seconds(System.nanoTime() - t0), stack.artemisUrl(), stack.kafkaBootstrap(), stack.jdbcUrl(),
                stack.sftpPort());
    }

    /** The embedded stack every command starts: its files under {@code dataDir/stack}, the gateway's SFTP user, the demo realm. */
    static EmbeddedStack.Options.Builder stackOptions(Path dataDir) {
        return EmbeddedStack.Options.builder(dataDir.resolve("stack"))
                .gatewaySftp("gateway", UUID.randomUUID().toString())
                .keycloak(keycloakOptions());
    }

    /**
     * The demo realm in memory, on the distribution the build unpacked: found from the repository's
     * root as the benchmark runs, or from {@code bench/} as its tests run.
     */
    static EmbeddedStack.KeycloakOptions keycloakOptions() {
        EmbeddedStack.KeycloakOptions demo = EmbeddedStack.KeycloakOptions.demo(KeycloakServer.Storage.MEMORY);
        Path fromBench = Path.of("..", "devstack", "target", "keycloak", "keycloak-" + KeycloakServer.distributionVersion());
        if (Files.isRegularFile(fromBench.resolve("bin").resolve("kc.sh"))) {
            return new EmbeddedStack.KeycloakOptions(demo.port(), demo.managementPort(), demo.storage(), demo.realmFile(),
                    fromBench.toAbsolutePath().normalize(), demo.adminUsername(), demo.adminPassword());
        }
        return demo;
    }

    /**
     * The registry the gateway and Keycloak read: the project's own {@code config/agencies.yaml}
     * (from the working directory or its parent; {@code LIENTHONG_BENCH_REGISTRY} names another) with
     * the benchmark's sender and recipient appended, so the real agencies' channels (SBV's queue,
     * the tax authority's SFTP folder) and the benchmark's load share one gateway.
     */
    private Path registryFile() throws IOException {
        Path project = projectRegistry();
        String bench;
        try (InputStream in = ModeSupport.class.getClassLoader().getResourceAsStream(BENCH_REGISTRY)) {
            if (in == null) {
                throw new BenchmarkFailure(BENCH_REGISTRY + " is not on the class path");
            }
            bench = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String benchAgencies = bench.substring(bench.indexOf("\nagencies:\n") + "\nagencies:\n".length());
        String text = Files.readString(project, StandardCharsets.UTF_8);
        if (!text.contains("\nagencies:\n")) {
            throw new BenchmarkFailure(project + " has no top-level agencies: list to add the benchmark's agencies to");
        }
        Path file = dataDir.resolve("agencies.yaml");
        Files.writeString(file, text + (text.endsWith("\n") ? "" : "\n") + "\n  # --- added by the benchmark ---\n"
                + benchAgencies, StandardCharsets.UTF_8);
        // Checked here: a registry problem is clearer as a message than as a child that will not start.
        Registry.load(file);
        return file;
    }

    private static Path projectRegistry() {
        String named = System.getenv("LIENTHONG_BENCH_REGISTRY");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        for (Path candidate : List.of(Path.of("config", "agencies.yaml"), Path.of("..", "config", "agencies.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new BenchmarkFailure("cannot find config/agencies.yaml: run from the repository root"
                + " (or set LIENTHONG_BENCH_REGISTRY)");
    }

    /** {@code Bearer <token>} of an agency's Keycloak client (demo secret), reused until shortly before it expires. */
    String bearer(String client) {
        TokenEndpoint.Grant grant = grants.get(client);
        if (grant == null || grant.expiresAt().isBefore(Instant.now().plusSeconds(30))) {
            try {
                grant = new TokenEndpoint(stack.keycloak().issuer(), HttpClient.newHttpClient())
                        .clientCredentials(client, client + "-demo-secret")
                        .orElseThrow(() -> new BenchmarkFailure("Keycloak gives " + client + " no token"));
            } catch (IOException e) {
                throw new BenchmarkFailure("no token for " + client + ": " + e.getMessage());
            }
            grants.put(client, grant);
        }
        return "Bearer " + grant.accessToken();
    }

    /**
     * Starts the gateway's own jar as a child JVM on the production profile ({@link GatewayLaunch}), its
     * own reports off, with these extra Spring arguments; returns the time until its readiness probe said UP.
     */
    Duration startGateway(List<String> extraArgs, String logName) throws IOException, InterruptedException {
        // The gateway's own reports (reminders to every province, the weekly digest) would add
        // messages of their own to what a mode counts and times: off unless asked for.
        List<String> defaults = new ArrayList<>(List.of("--lienthong.reports.remind=false",
                "--lienthong.reports.warning.send=false"));
        defaults.addAll(extraArgs);
        GatewayLaunch.Started started = GatewayLaunch.start(settings, stack, registry, dataDir, defaults, logName,
                min(HEALTH_TIMEOUT, remaining()), out, "gateway ready");
        gateway = started.process();
        return started.ready();
    }

    /** The gateway's base URL. */
    String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    /** Stops the gateway (SIGTERM, forced after 30 s). */
    void stopGateway() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** Reads the gateway's heap in use now (Micrometer, over its metrics endpoint) into the peak. */
    void sampleHeap() {
        if (gateway != null) {
            gateway.heapUsedBytes().ifPresent(b -> peakHeapBytes = Math.max(peakHeapBytes, b));
        }
    }

    /** The peak of the sampled heap in bytes, -1 if never read; and starts a new peak. */
    long takePeakHeap() {
        long peak = peakHeapBytes;
        peakHeapBytes = -1;
        return peak;
    }

    /** The gateway JVM's CPU time so far (user + system, from the operating system), in nanoseconds; -1 if unknown. */
    long gatewayCpuNanos() {
        return gateway == null ? -1 : ProcessHandle.of(gateway.pid()).flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos).orElse(-1L);
    }

    /** A number from the gateway's database (the first column of the first row), -1 if unreadable. */
    long query(String sql) {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Fails the run when its bound has passed. */
    void checkDeadline(String doing) {
        if (System.nanoTime() > deadline) {
            throw new BenchmarkFailure("the run's bound of " + settings.timeout().toSeconds() + " s passed while "
                    + doing + " (--timeout=DURATION to give it longer)");
        }
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** The lines every mode ends with: the machine, the load average and the gateway's settings. */
    void printMachine() {
        out.printf("machine             %s%n", ThroughputBenchmark.machine());
        out.printf(Locale.ROOT, "load average        %.2f at start, %.2f at end (1 min; other jobs on the machine"
                + " share its cores)%n", loadAtStart, loadAverage());
        if (!settings.gatewayArgs().isEmpty() || !settings.gatewayJvmArgs().isEmpty()) {
            out.printf("gateway settings    %s%n", String.join(" ", Stream.concat(settings.gatewayArgs().stream(),
                    settings.gatewayJvmArgs().stream()).toList()));
        }
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Stops what was started and removes the data directory after a successful run (unless kept). */
    void finish(boolean ok) {
        close();
        if (ok && !settings.keepData()) {
            ThroughputBenchmark.delete(dataDir, createdDir);
        } else {
            out.println("data directory kept: " + dataDir);
        }
    }

    /** Stops the gateway, the JMS factory and the stack, each on its own. */
    @Override
    public void close() {
        step("the gateway", this::stopGateway);
        step("the JMS connection factory", () -> {
            if (jms != null) {
                jms.close();
                jms = null;
            }
        });
        step("the embedded stack", () -> {
            if (stack != null) {
                stack.close();
                stack = null;
            }
        });
    }

    /** A step of stopping something. */
    interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) {
        stopQuietly(out, what, step);
    }

    /**
     * Runs one step of stopping what a run started; a failing step is reported and must not keep the
     * others from running or hide the summary.
     */
    static void stopQuietly(PrintStream out, String what, Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // Errors too: a jar replaced under the running JVM shows up here as NoClassDefFoundError.
            out.println(what + " did not stop cleanly: " + e);
        }
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static long mb(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024 * 1024);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

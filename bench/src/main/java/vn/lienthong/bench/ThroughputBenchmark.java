package vn.lienthong.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.LoggerFactory;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.gateway.dispatch.DeliverySender;
import vn.lienthong.gateway.registry.Registry;

/**
 * The throughput benchmark of DESIGN.md §8 ({@code java -jar bench/target/lienthong-bench.jar}): N
 * persistent ~1 KB canonical messages go from a JMS queue to a Kafka topic through a raw
 * pass-through and through the whole gateway, one after the other on the same embedded brokers,
 * and it prints messages/s of both, their ratio against the target, latencies and the gateway's
 * peak heap.
 *
 * <p>The raw path runs in this JVM; the gateway runs as a child JVM of its own jar on the
 * production profile, so it is measured as deployed (its own heap, its own JIT), not as a bean in
 * the benchmark's process.
 */
public final class ThroughputBenchmark {

    /** The ratio gateway/raw that DESIGN.md §8 asks for. */
    public static final double TARGET_RATIO = 0.5;

    static final String RAW_IN = "raw.in";
    static final String RAW_OUT = "raw.out";
    // The queues and topics of src/main/resources/bench/agencies.yaml.
    static final String BENCH_IN = "bench.in";
    /** The demo realm's client for reading metrics (realm role {@code monitoring}). */
    static final String MONITORING_CLIENT = "lienthong-monitoring";
    static final String BENCH_RECEIPTS = "bench.receipts";
    static final String BENCH_OUT = "bench.out";
    static final String BENCH_DST_IN = "bench.dst.in";
    private static final String REGISTRY_RESOURCE = "bench/agencies.yaml";

    /** A path that moves no message for this long has failed, however long the overall bound. */
    private static final Duration STALL = Duration.ofSeconds(120);
    /** How long the gateway may take to become healthy; system property {@code lienthong.bench.health-seconds}. */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(Long.getLong("lienthong.bench.health-seconds", 180));
    private static final long SAMPLE_MILLIS = 200;
    private static final long PROGRESS_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long JOIN_MILLIS = 15_000;
    private static final String PRELOADED_WINDOW = "1st->last arrival, preload";

    private final BenchSettings settings;
    private final PrintStream out;
    private final long deadline;
    private EmbeddedStack stack;
    /** Each path's CPU per message by process, printed beside its rates. */
    private CpuSplit cpu;
    private final Map<String, String> cpuPerMessage = new HashMap<>();
    /** PostgreSQL's WAL and rows of the measured gateway path, from its first sample to the journal summary. */
    private PgWork pgWork;
    private PgWork.Sample pgBefore;
    /** {@code Bearer <token>} of the benchmark's sender, on every message of the gateway path. */
    private String authorization;
    private ActiveMQConnectionFactory jms;
    private BenchMessages messages;
    private GatewayProcess gateway;
    private ReceiptDrain receipts;
    /** Taken against delivered during the gateway path (issue 12 point 3). */
    private PaceLog pace;
    private long peakHeapBytes = -1;
    private long dbCommitsBefore = -1;
    private final List<String> notes = new ArrayList<>();
    private final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

    private ThroughputBenchmark(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.deadline = System.nanoTime() + settings.timeout().toNanos();
    }

    /** Runs the benchmark and exits: 0 when every message arrived, 1 when the run failed, 2 for bad arguments. */
    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--mode=search")) {
            SearchBenchmark.main(args);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--mode=faults")) {
            FaultHarness.main(args);
            return;
        }
        if (BenchModes.dispatch(args)) {
            return;
        }
        // The embedded brokers leave non-daemon threads behind: exit explicitly.
        System.exit(run(args, System.out));
    }

    /** Runs the benchmark; returns the exit status. */
    static int run(String[] args, PrintStream out) {
        quietLogging();
        BenchSettings settings;
        try {
            settings = BenchSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.err.println(BenchSettings.USAGE);
            return 2;
        }
        if (settings.help()) {
            out.println(BenchSettings.USAGE);
            return 0;
        }
        Path dataDir;
        boolean created;
        try {
            ModeSupport.DataDir dir = ModeSupport.DataDir.prepare(settings.dataDir());
            dataDir = dir.path();
            created = dir.created();
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("benchmark: cannot create the data directory: " + e);
            return 2;
        }
        logTo(dataDir.resolve("benchmark.log"));
        boolean ok = new ThroughputBenchmark(settings, out).run(dataDir);
        if (ok && !settings.keepData()) {
            delete(dataDir, created);
        } else {
            out.println("data directory kept: " + dataDir + (settings.gateway() ? " (gateway log: "
                    + dataDir.resolve("gateway.log") + ")" : ""));
        }
        return ok ? 0 : 1;
    }

    private boolean run(Path dataDir) {
        out.printf(Locale.ROOT, "lienthong throughput benchmark: %,d messages per path (+%,d warm-up), data in %s%n",
                settings.messages(), settings.warmup(), dataDir);
        PathResult raw = null;
        PathResult gw = null;
        String failure = null;
        try {
            long t0 = System.nanoTime();
            stack = EmbeddedStack.start(ModeSupport.stackOptions(dataDir).build());
            if (settings.gateway()) {
                // The sender's tokens must outlive any message's wait on the queue.
                authorization = BenchIdentity.provisionAndAuthorize(stack.keycloak(), registryFile(dataDir),
                        Duration.ofHours(2));
            }
            stack.createTopics(RAW_OUT, BENCH_OUT, BENCH_DST_IN);
            out.printf(Locale.ROOT, "embedded stack up in %.1f s: Artemis %s, Kafka %s, PostgreSQL %s%n",
                    seconds(System.nanoTime() - t0), stack.artemisUrl(), stack.kafkaBootstrap(), stack.jdbcUrl());
            jms = new ActiveMQConnectionFactory(stack.artemisUrl());
            cpu = new CpuSplit(dataDir.resolve("stack").resolve("pg"));
            pgWork = new PgWork(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
            messages = BenchMessages.of(settings.messageBytes());
            if (settings.raw()) {
                if (settings.warmup() > 0) {
                    report(rawPath(settings.warmup(), "raw warm-up"));
                }
                raw = rawPath(settings.messages(), "raw");
                report(raw);
                if (raw.failure() != null) {
                    throw new BenchmarkFailure("the raw pass-through failed: " + raw.failure());
                }
            }
            if (settings.gateway()) {
                if (settings.preload()) {
                    // Includes the gateway's start (Flyway, a few commits): it starts on the full queue.
                    dbCommitsBefore = dbCommits();
                    gw = gatewayPath(settings.messages(), "gateway", true, dataDir);
                } else {
                    startGateway(dataDir);
                    if (settings.warmup() > 0) {
                        report(gatewayPath(settings.warmup(), "gateway warm-up", false, null));
                    }
                    dbCommitsBefore = dbCommits();
                    gw = gatewayPath(settings.messages(), "gateway", true, null);
                }
                report(gw);
                journalSummary();
                if (gw.failure() != null) {
                    throw new BenchmarkFailure("the gateway path failed: " + gw.failure());
                }
            }
        } catch (BenchmarkFailure e) {
            failure = e.getMessage();
        } catch (Exception | Error e) {
            failure = e.toString();
            e.printStackTrace(out);
        } finally {
            stopAll();
        }
        printSummary(raw, gw);
        if (failure != null) {
            out.println();
            out.println("RUN FAILED: " + failure);
            return false;
        }
        return (raw == null || raw.complete()) && (gw == null || gw.complete());
    }

    // ---------------------------------------------------------------- the two paths

    private PathResult rawPath(int n, String label) throws InterruptedException {
        String[] ids = newIds(n);
        ArrivalCounter counter = new ArrivalCounter(stack.kafkaBootstrap(), RAW_OUT, n, ThroughputBenchmark::rawSeq);
        RawForwarder forwarder = new RawForwarder(jms, RAW_IN, stack.kafkaBootstrap(), RAW_OUT, n, settings.ackBatch());
        JmsLoad load = new JmsLoad(jms, RAW_IN, messages, ids, settings.producerBatch(), null);
        String failure = null;
        if (settings.preload()) {
            load.start();
            failure = awaitLoaded(label, n, load);
        }
        CpuSplit.Sample cpuBefore = cpu.sample(-1);
        if (failure == null) {
            counter.start();
            forwarder.start();
            if (!settings.preload()) {
                load.start();
            }
            failure = await(label, n, counter, load, () -> {
                if (forwarder.failure() != null) {
                    return "the forwarder failed: " + forwarder.failure();
                }
                return null;
            }, () -> "forwarded " + forwarder.committed());
        }
        load.stopAndJoin(JOIN_MILLIS);
        forwarder.stopAndJoin(JOIN_MILLIS);
        counter.stopAndJoin(JOIN_MILLIS);
        if (!label.contains("warm-up")) {
            cpuPerMessage.put("raw", cpu.sample(-1).perMessage(cpuBefore, n));
        }
        return settings.preload()
                ? result("raw pass-through", n, load, counter, counter.firstArrivalNanos(), PRELOADED_WINDOW, failure)
                : result("raw pass-through", n, load, counter, forwarder.firstConsumedNanos(),
                        "1st consumed->last arrival", failure);
    }

    /**
     * The gateway path. Without preloading the gateway is already running and the load goes in
     * while it works; with it, the queue is filled first and the gateway started after, on {@code
     * dataDir}.
     */
    private PathResult gatewayPath(int n, String label, boolean measured, Path startAfterLoading)
            throws InterruptedException, IOException {
        String[] ids = newIds(n);
        Map<String, Integer> seqOf = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            seqOf.put(ids[i], i);
        }
        ArrivalCounter counter = new ArrivalCounter(stack.kafkaBootstrap(), BENCH_OUT, n,
                record -> gatewaySeq(record, seqOf));
        JmsLoad load = new JmsLoad(jms, BENCH_IN, messages, ids, settings.producerBatch(), authorization);
        String failure = null;
        CpuSplit.Sample cpuBefore = cpu.sample(gateway == null ? -1 : gateway.pid());
        if (measured) {
            pgBefore = pgWork.sample().orElse(null);
        }
        if (startAfterLoading != null) {
            load.start();
            failure = awaitLoaded(label, n, load);
            if (failure == null) {
                // Counting from before the start: the gateway delivers while it is still becoming healthy.
                counter.start();
                startGateway(startAfterLoading);
            }
        }
        if (failure == null) {
            if (receipts == null) {
                receipts = new ReceiptDrain(jms, BENCH_RECEIPTS);
                receipts.start();
            }
            int receiptsBefore = receipts.received();
            pace = new PaceLog(() -> receipts.received() - receiptsBefore, counter::distinct, n);
            if (startAfterLoading == null) {
                counter.start();
                load.start();
            }
            failure = await(label, n, counter, load, () -> {
                if (!gateway.alive()) {
                    return "the gateway exited; its log ends with:\n" + gateway.logTail(40);
                }
                if (receipts.rejected() > 0) {
                    return receipts.rejected() + " message(s) refused by the gateway; the first receipt:\n"
                            + receipts.firstRejected();
                }
                if (measured) {
                    gateway.heapUsedBytes().ifPresent(b -> peakHeapBytes = Math.max(peakHeapBytes, b));
                }
                pace.sample(System.nanoTime());
                return null;
            }, () -> "receipts " + (receipts.received() - receiptsBefore) + ", heap "
                    + (peakHeapBytes < 0 ? "?" : mb(peakHeapBytes) + " MB peak") + "; "
                    + pace.interval(System.nanoTime()));
            if (measured) {
                pace.sample(System.nanoTime());
                notes.add(pace.summary());
            }
        }
        load.stopAndJoin(JOIN_MILLIS);
        counter.stopAndJoin(JOIN_MILLIS);
        if (measured && gateway != null) {
            gateway.heapUsedBytes().ifPresent(b -> peakHeapBytes = Math.max(peakHeapBytes, b));
            if (cpuBefore.gateway() < 0 || startAfterLoading == null) {
                cpuPerMessage.put("gateway", cpu.sample(gateway.pid()).perMessage(cpuBefore, n));
            } else {
                // Started during this path: all of its CPU so far, its start included.
                cpuPerMessage.put("gateway", cpu.sample(gateway.pid()).perMessage(
                        new CpuSplit.Sample(0, cpuBefore.bench(), cpuBefore.postgres()), n) + " (gateway start included)");
            }
        }
        return startAfterLoading != null
                ? result("gateway", n, load, counter, counter.firstArrivalNanos(), PRELOADED_WINDOW, failure)
                : result("gateway", n, load, counter, load.firstSendNanos(), "1st sent->last arrival", failure);
    }

    /** Waits until the load producer has committed everything (preloading); returns why not, or null. */
    private String awaitLoaded(String label, int n, JmsLoad load) throws InterruptedException {
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        while (load.lastCommitNanos() == 0) {
            if (load.failure() != null) {
                return "the load producer failed: " + load.failure();
            }
            if (System.nanoTime() > deadline) {
                return "the run's bound of " + settings.timeout().toSeconds() + " s passed while preloading: "
                        + load.committed() + " of " + n + " sent";
            }
            if (System.nanoTime() >= nextProgress) {
                out.printf(Locale.ROOT, "  [%s] preloading %,d/%,d%n", label, load.committed(), n);
                nextProgress = System.nanoTime() + PROGRESS_NANOS;
            }
            Thread.sleep(50);
        }
        out.printf(Locale.ROOT, "  [%s] preloaded %,d messages at %,.0f msg/s%n", label, n,
                PathResult.rate(n, load.firstSendNanos(), load.lastCommitNanos()));
        return null;
    }

    /**
     * Waits until every message arrived; returns why not (producer or counter failure, the path's own
     * check, no progress for {@link #STALL}, the overall bound), or null. Runs the path's check,
     * which also samples the gateway's heap, every {@link #SAMPLE_MILLIS}.
     */
    private String await(String label, int n, ArrivalCounter counter, JmsLoad load, Supplier<String> check,
            Supplier<String> progress) throws InterruptedException {
        long lastMove = System.nanoTime();
        int lastCount = -1;
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        while (counter.distinct() < n) {
            long now = System.nanoTime();
            String problem = load.failure() != null ? "the load producer failed: " + load.failure()
                    : counter.failure() != null ? "the Kafka counter failed: " + counter.failure()
                    : check.get();
            if (problem != null) {
                return problem + " (" + counter.distinct() + " of " + n + " arrived)";
            }
            int moved = counter.distinct() + load.committed();
            if (moved != lastCount) {
                lastCount = moved;
                lastMove = now;
            } else if (now - lastMove > STALL.toNanos()) {
                return "nothing moved for " + STALL.toSeconds() + " s: " + counter.distinct() + " of " + n
                        + " arrived, " + load.committed() + " sent";
            }
            if (now > deadline) {
                return "the run's bound of " + settings.timeout().toSeconds() + " s passed: " + counter.distinct()
                        + " of " + n + " arrived, " + load.committed() + " sent";
            }
            if (now >= nextProgress) {
                out.printf(Locale.ROOT, "  [%s] sent %,d/%,d, arrived %,d, %s%n", label, load.committed(), n,
                        counter.distinct(), progress.get());
                nextProgress = now + PROGRESS_NANOS;
            }
            Thread.sleep(SAMPLE_MILLIS);
        }
        return null;
    }

    private static PathResult result(String name, int n, JmsLoad load, ArrivalCounter counter, long startNanos,
            String window, String failure) {
        long last = counter.lastArrivalNanos();
        long[] latencies = PathResult.latencies(load.jmsTimestamps(), counter.recordTimestamps());
        return new PathResult(name, n, counter.distinct(), counter.duplicates(),
                PathResult.rate(n, startNanos, last), window,
                PathResult.rate(n, load.firstSendNanos(), last),
                PathResult.rate(n, counter.firstArrivalNanos(), last),
                PathResult.rate(n, load.firstSendNanos(), load.lastCommitNanos()),
                latencies, failure);
    }

    private static int rawSeq(ConsumerRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(RawForwarder.SEQ_HEADER);
        return h == null || h.value().length != 4 ? -1 : ByteBuffer.wrap(h.value()).getInt();
    }

    /** The gateway's deliveries carry the message id as a header; the body has it too, near its start. */
    static int gatewaySeq(ConsumerRecord<byte[], byte[]> record, Map<String, Integer> seqOf) {
        Header h = record.headers().lastHeader(DeliverySender.HEADER_MESSAGE_ID);
        String id = null;
        if (h != null) {
            id = new String(h.value(), StandardCharsets.UTF_8);
        } else if (record.value() != null) {
            String head = new String(record.value(), 0, Math.min(300, record.value().length), StandardCharsets.UTF_8);
            int at = head.indexOf("\"messageId\":\"");
            if (at >= 0 && head.length() >= at + 13 + 36) {
                id = head.substring(at + 13, at + 13 + 36);
            }
        }
        Integer seq = id == null ? null : seqOf.get(id);
        return seq == null ? -1 : seq;
    }

    private static String[] newIds(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = UUID.randomUUID().toString();
        }
        return ids;
    }

    // ---------------------------------------------------------------- the gateway as a child JVM

    /** The benchmark's registry, copied into the data directory (the gateway and Keycloak read it). */
    private static Path registryFile(Path dataDir) throws IOException {
        Path registry = dataDir.resolve("agencies.yaml");
        try (InputStream in = ThroughputBenchmark.class.getClassLoader().getResourceAsStream(REGISTRY_RESOURCE)) {
            if (in == null) {
                throw new BenchmarkFailure(REGISTRY_RESOURCE + " is not on the class path");
            }
            Files.copy(in, registry, StandardCopyOption.REPLACE_EXISTING);
        }
        // Checked here too: a registry problem is clearer as a message than as a child that will not start.
        Registry.load(registry);
        return registry;
    }

    private void startGateway(Path dataDir) throws IOException, InterruptedException {
        // The gateway's own reports (reminders, the weekly digest) are not the benchmark's traffic.
        List<String> defaults = List.of("--lienthong.ingress.jms-concurrent-consumers=16",
                "--lienthong.reports.remind=false", "--lienthong.reports.warning.send=false");
        gateway = GatewayLaunch.start(settings, stack, registryFile(dataDir), dataDir, defaults, "gateway.log",
                min(HEALTH_TIMEOUT, remaining()), out, "gateway healthy").process();
    }

    /**
     * The gateway's own jar, as deployed: {@code routes/target/lienthong-gateway.jar} under the
     * working directory, else beside this module's jar in the same build tree, else {@code ../routes/target}; null
     * if none exists.
     */
    static Path gatewayJar() {
        Path gateway = Path.of("routes", "target", "lienthong-gateway.jar");
        if (Files.isRegularFile(gateway)) {
            return gateway.toAbsolutePath();
        }
        Path running = runningJar();
        Path sibling = running == null || running.getParent() == null ? null
                : running.getParent().resolve("../../routes/target/lienthong-gateway.jar").normalize();
        if (sibling != null && Files.isRegularFile(sibling)) {
            return sibling;
        }
        // The benchmark's tests run in bench/.
        Path fromBench = Path.of("..", "routes", "target", "lienthong-gateway.jar").toAbsolutePath().normalize();
        return Files.isRegularFile(fromBench) ? fromBench : null;
    }

    /**
     * The jar this class was loaded from. Under Spring Boot's launcher the code source is a nested
     * URL such as {@code jar:nested:/path/lienthong-gateway.jar/!BOOT-INF/classes/!/}; the outer jar
     * is what to run. Falls back to {@code java.class.path}, which is the jar under {@code java -jar}.
     */
    static Path runningJar() {
        CodeSource source = ThroughputBenchmark.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            Path jar = outerJar(source.getLocation().toString());
            if (jar != null && Files.isRegularFile(jar)) {
                return jar;
            }
        }
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return Path.of(classPath).toAbsolutePath();
        }
        return null;
    }

    /** The outer jar of a code source location, or null if it names no jar. */
    static Path outerJar(String location) {
        String s = location;
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String scheme : List.of("jar:", "nested:", "file:")) {
                if (s.startsWith(scheme)) {
                    s = s.substring(scheme.length());
                    stripped = true;
                }
            }
        }
        int bang = s.indexOf('!');
        if (bang >= 0) {
            s = s.substring(0, bang);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        // file:///x and file://localhost/x name the same file as /x.
        if (s.startsWith("//localhost/")) {
            s = s.substring("//localhost".length());
        }
        while (s.startsWith("//")) {
            s = s.substring(1);
        }
        s = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        return s.endsWith(".jar") ? Path.of(s) : null;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The gateway's own account of the run, read from its database: a refusal or a stuck delivery shows here. */
    private void journalSummary() {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement st = c.createStatement()) {
            StringBuilder text = new StringBuilder("gateway journal: ");
            try (ResultSet rs = st.executeQuery("select count(*) from message")) {
                rs.next();
                text.append(String.format(Locale.ROOT, "%,d messages", rs.getLong(1)));
            }
            try (ResultSet rs = st.executeQuery("select count(*) from quarantine")) {
                rs.next();
                text.append(String.format(Locale.ROOT, ", %,d quarantined", rs.getLong(1)));
            }
            text.append("; deliveries");
            try (ResultSet rs = st.executeQuery("select status, count(*) from delivery group by status order by status")) {
                while (rs.next()) {
                    text.append(String.format(Locale.ROOT, " %s %,d", rs.getString(1), rs.getLong(2)));
                }
            }
            long commits = dbCommits();
            if (dbCommitsBefore >= 0 && commits >= dbCommitsBefore) {
                // How well the journal and the outbox batch: every commit is a WAL flush.
                text.append(String.format(Locale.ROOT, "; %,d PostgreSQL commits during the measured run",
                        commits - dbCommitsBefore));
            }
            notes.add(text.toString());
            out.println(text);
            Optional<PgWork.Sample> pgAfter = pgBefore == null ? Optional.empty() : pgWork.settledSample();
            if (pgAfter.isPresent()) {
                String work = "PostgreSQL, gateway path: " + pgAfter.get().perMessage(pgBefore, settings.messages());
                notes.add(work);
                out.println(work);
            }
        } catch (SQLException e) {
            out.println("gateway journal: not readable (" + e.getMessage() + ")");
        }
    }

    /** Transactions committed in the gateway's database so far (the statistics lag by up to a second). */
    private long dbCommits() {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select xact_commit from pg_stat_database where datname = current_database()")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- reporting

    private void report(PathResult r) {
        out.printf(Locale.ROOT, "%s: %,d of %,d arrived%s; %,.0f msg/s (%s), p50 %d ms, p99 %d ms%s%n", r.name(),
                r.arrived(), r.messages(), r.duplicates() > 0 ? " (+" + r.duplicates() + " duplicates)" : "", r.rate(),
                r.window(), r.percentile(50), r.percentile(99), r.failure() == null ? "" : "; FAILED: " + r.failure());
    }

    private void printSummary(PathResult raw, PathResult gw) {
        String line = "=".repeat(96);
        out.println();
        out.println(line);
        out.println("lienthong throughput benchmark (DESIGN.md section 8): JMS (Artemis) in -> Kafka out");
        out.println(line);
        out.printf(Locale.ROOT, "messages            %,d per path, %,d bytes each, persistent; producer commits every %,d"
                + "; %s%n", settings.messages(), messages == null ? settings.messageBytes() : messages.bytes(),
                settings.producerBatch(), settings.preload() ? "queues preloaded" : "producer alongside, warm-up "
                + String.format(Locale.ROOT, "%,d", settings.warmup()));
        out.printf(Locale.ROOT, "%-36s %26s %26s%n", "", "raw pass-through", "gateway");
        row("msg/s (headline)", raw, gw, r -> fmtRate(r.rate()));
        row("  measured over", raw, gw, PathResult::window);
        row("msg/s first sent -> last arrival", raw, gw, r -> fmtRate(r.rateFromFirstSend()));
        row("msg/s first -> last arrival", raw, gw, r -> fmtRate(r.rateBetweenArrivals()));
        row("load producer msg/s (JMS commits)", raw, gw, r -> fmtRate(r.producerRate()));
        row("latency p50 / p99 / max (ms)", raw, gw, r -> r.percentile(50) + " / " + r.percentile(99) + " / "
                + r.maxLatency());
        row("arrived (duplicates)", raw, gw, r -> String.format(Locale.ROOT, "%,d/%,d (%d)", r.arrived(), r.messages(),
                r.duplicates()));
        row("CPU ms/msg: gateway / this JVM / PG", raw, gw, r -> cpuPerMessage.getOrDefault(
                r == raw ? "raw" : "gateway", "?"));
        if (raw != null && gw != null && raw.complete() && gw.complete()) {
            double ratio = gw.rate() / raw.rate();
            out.printf(Locale.ROOT, "ratio gateway/raw   %.2f   target >= %.2f: %s%n", ratio, TARGET_RATIO,
                    ratio >= TARGET_RATIO ? "MET" : "NOT MET");
        } else {
            out.println("ratio gateway/raw   n/a (both paths must complete)");
        }
        if (gw != null) {
            out.printf(Locale.ROOT, "gateway peak heap   %s (jvm.memory.used, area heap, sampled every %d ms; -Xmx%s)%n",
                    peakHeapBytes < 0 ? "unknown" : mb(peakHeapBytes) + " MB", SAMPLE_MILLIS, settings.gatewayHeap());
            out.printf("gateway settings    %s%n", String.join(" ", gatewaySettingsShown()));
        }
        notes.forEach(n -> out.println(n));
        out.printf("machine             %s%n", machine());
        out.printf(Locale.ROOT, "load average        %.2f at start, %.2f at end (1 min; other jobs on the machine skew both paths)%n",
                loadAtStart, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println("CPU = time on the cores per message during the measured window, from the operating system: the gateway's"
                + " JVM, this JVM (Artemis, Kafka, the load producer, the counters) and PostgreSQL.");
        out.println("latency = Kafka record timestamp (CreateTime, at the forwarder's or gateway's send) minus JMSTimestamp"
                + " (at the producer's send, visible at its batch commit); under a saturating load it is mostly queueing.");
        out.println(line);
    }

    private void row(String label, PathResult raw, PathResult gw, java.util.function.Function<PathResult, String> f) {
        out.printf(Locale.ROOT, "%-36s %26s %26s%n", label, raw == null ? "-" : f.apply(raw), gw == null ? "-"
                : f.apply(gw));
    }

    private List<String> gatewaySettingsShown() {
        List<String> shown = new ArrayList<>();
        if (!settings.setsGatewayProperty("lienthong.ingress.jms-concurrent-consumers")) {
            shown.add("--lienthong.ingress.jms-concurrent-consumers=16");
        }
        shown.addAll(settings.gatewayArgs());
        shown.addAll(settings.gatewayJvmArgs());
        return shown;
    }

    static String machine() {
        StringBuilder m = new StringBuilder();
        m.append(Runtime.getRuntime().availableProcessors()).append(" cores");
        cpuModel().ifPresent(model -> m.append(" (").append(model).append(')'));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.append(String.format(Locale.ROOT, ", %.1f GB RAM", os.getTotalMemorySize() / 1e9));
        }
        m.append(", ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"));
        return m.toString();
    }

    private static Optional<String> cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String fmtRate(double rate) {
        return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%,.0f", rate);
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---------------------------------------------------------------- cleanup

    /** Stops what was started, each step on its own: a failing step must not keep the others running or hide the summary. */
    private void stopAll() {
        if (receipts != null) {
            step("the receipt reader", () -> receipts.stopAndJoin(JOIN_MILLIS));
        }
        if (gateway != null) {
            step("the gateway", gateway::close);
        }
        if (jms != null) {
            step("the JMS connection factory", jms::close);
        }
        if (stack != null) {
            step("the embedded stack", stack::close);
        }
    }

    private void step(String what, ModeSupport.Step step) {
        ModeSupport.stopQuietly(out, what, step);
    }

    static void delete(Path dir, boolean includingDir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder())
                    .filter(p -> includingDir || !p.equals(dir))
                    .forEach(p -> {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            // Best effort: a file still held open is left behind.
                        }
                    });
        } catch (IOException e) {
            // Best effort.
        }
    }

    /** Without Spring, logback would print every broker's DEBUG lines: warnings and errors only. */
    static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }

    /**
     * The brokers' warnings go to a file in the data directory, only errors to the console: the
     * console is for the benchmark's own lines, and e.g. Artemis warns about every session a
     * stopping gateway leaves behind.
     */
    static void logTo(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
            ThresholdFilter errorsOnly = new ThresholdFilter();
            errorsOnly.setLevel(Level.ERROR.levelStr);
            errorsOnly.start();
            it.next().addFilter(errorsOnly);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("benchmark-file");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
    }
}

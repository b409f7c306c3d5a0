package vn.lienthong.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway under test as a child JVM ({@code java -jar <this jar> --spring.profiles.active=production}),
 * pointed at the benchmark's stack through the environment, its output in a log file, watched over
 * its actuator endpoints on loopback.
 */
final class GatewayProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread killer;
    private final Launch launch;
    /** A bearer token for the gateway's metrics (they sit behind the people's login), or empty. */
    private Supplier<Optional<String>> metricsToken = Optional::empty;

    private GatewayProcess(Process process, Path log, int port, Launch launch) {
        this.process = process;
        this.launch = launch;
        this.log = log;
        this.port = port;
        // If the benchmark is interrupted (Ctrl-C), the gateway must not outlive it.
        this.killer = new Thread(process::destroyForcibly, "bench-gateway-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts {@code java <jvmArgs> -jar jar <appArgs>} with these extra environment variables, the way
     * production starts the gateway (README "Start-up"): when the build's extracted layout is beside
     * the runnable jar ({@code target/gateway/lienthong-gateway.jar}), that jar with its CDS archive
     * ({@link Launch}); the command line actually run is the log's first line.
     */
    static GatewayProcess start(Path java, Path jar, List<String> jvmArgs, List<String> appArgs,
            Map<String, String> environment, Path log, int port) throws IOException {
        Launch launch = Launch.of(jar, CDS, jvmArgs);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(launch.jvmArgs());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(launch.jar().toString());
        command.addAll(appArgs);
        Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().putAll(environment);
        // The child must run the production profile only, whatever the caller's environment says.
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        return new GatewayProcess(builder.start(), log, port, launch);
    }

    /** Whether the benchmark starts the gateway with its CDS archive; system property {@code lienthong.bench.cds} (default true). */
    static final boolean CDS = Boolean.parseBoolean(System.getProperty("lienthong.bench.cds", "true"));

    /**
     * The jar to run and the JVM options that go with it. Production's layout (README "Start-up"):
     * the build extracts the runnable jar into {@code target/gateway/} ({@code lienthong-gateway.jar}
     * and {@code lib/}); {@code target/gateway/lienthong-gateway.jsa} is its class data sharing
     * archive, made by one training start ({@code -XX:ArchiveClassesAtExit}, written when that JVM
     * exits) and used by every later start ({@code -XX:SharedArchiveFile}). An archive older than the
     * extracted jar belongs to an earlier build and is trained again. A training start writes to a
     * file of its own, moved into place only when it exited normally, so that concurrent starts or a
     * killed one never leave a half-written archive. With a JFR recording or a Java agent among the JVM
     * options, the extracted jar runs without the archive: on this JDK 17 (17.0.15) a dynamic archive
     * together with JFR's class-load hook crashed the JVM at start (SIGSEGV in
     * {@code KlassFactory::check_shared_class_file_load_hook}).
     *
     * @param jar the jar to start
     * @param jvmArgs JVM options for the CDS archive (none without one)
     * @param archive the archive in place, or null
     * @param training the file this start trains into (moved to {@code archive} after a clean exit), or null
     */
    record Launch(Path jar, List<String> jvmArgs, Path archive, Path training) {

        static final String ARCHIVE = "lienthong-gateway.jsa";

        static Launch of(Path runnable, boolean cds, List<String> jvmArgs) throws IOException {
            Path extracted = runnable.toAbsolutePath().resolveSibling("gateway").resolve(runnable.getFileName());
            if (!cds || !Files.isRegularFile(extracted)
                    || Files.getLastModifiedTime(extracted).compareTo(Files.getLastModifiedTime(runnable)) < 0) {
                // No extracted layout, or one from an older build than the jar asked for: the jar as given.
                return new Launch(runnable, List.of(), null, null);
            }
            if (jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:StartFlightRecording") || a.startsWith("-javaagent")
                    || a.startsWith("-agentlib") || a.startsWith("-agentpath"))) {
                return new Launch(extracted, List.of(), null, null);
            }
            Path archive = extracted.resolveSibling(ARCHIVE);
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(extracted)) > 0) {
                return new Launch(extracted, List.of("-XX:SharedArchiveFile=" + archive), archive, null);
            }
            Path training = archive.resolveSibling(ARCHIVE + "." + java.util.UUID.randomUUID() + ".training");
            return new Launch(extracted, List.of("-XX:ArchiveClassesAtExit=" + training), archive, training);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The gateway's HTTP port on loopback. */
    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code /actuator/health/readiness} says UP (the open probe: the full health is for
     * people, behind the login); fails at once if the child exits.
     */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchmarkFailure("the gateway exited with status " + process.exitValue()
                        + " before it was healthy; its log " + log + " ends with:\n" + logTail(40));
            }
            try {
                HttpResponse<String> response = get("/actuator/health/readiness");
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() == 200 && "UP".equals(body.path("status").asText())) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                last = "not listening yet";
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new BenchmarkFailure("the gateway was not healthy within " + timeout.toSeconds() + " s (last: " + last
                + "); its log " + log + " ends with:\n" + logTail(40));
    }

    /** Where the token for the gateway's metrics comes from (a client with the realm role {@code monitoring}). */
    void metricsToken(Supplier<Optional<String>> token) {
        this.metricsToken = token;
    }

    /**
     * Heap in use now: Micrometer's {@code jvm.memory.used} over the heap's pools, read from
     * {@code /actuator/metrics/jvm.memory.used?tag=area:heap} (what a monitoring client may read), if
     * the gateway answers. One meter, not a whole Prometheus scrape: read every 200 ms, a full scrape
     * cost the measured gateway about 9 % of its CPU.
     */
    OptionalLong heapUsedBytes() {
        try {
            HttpResponse<String> response = get("/actuator/metrics/jvm.memory.used?tag=area:heap");
            if (response.statusCode() != 200) {
                return OptionalLong.empty();
            }
            java.util.regex.Matcher value = HEAP_VALUE.matcher(response.body());
            return value.find() ? OptionalLong.of((long) Double.parseDouble(value.group(1))) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The VALUE measurement of the metrics endpoint's answer. */
    private static final java.util.regex.Pattern HEAP_VALUE = java.util.regex.Pattern.compile(
            "\"statistic\"\\s*:\\s*\"VALUE\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.eE+-]+)");

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).GET();
        metricsToken.get().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The last lines of the child's output. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /**
     * Stops the gateway: a graceful shutdown (SIGTERM), forced after 30 s (5 minutes for a training
     * start, which writes its CDS archive as it exits); a training start's archive is then moved into place.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(launch.training() == null ? 30 : 300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook runs anyway and is harmless.
            }
            keepTrainedArchive();
        }
    }

    /** After a training start: its archive into place if the JVM exited normally, else dropped. */
    private void keepTrainedArchive() {
        Path training = launch.training();
        if (training == null || !Files.exists(training)) {
            return;
        }
        try {
            // 143: SIGTERM's status when the JVM ends through its shutdown hooks (the archive is written then).
            int status = process.isAlive() ? -1 : process.exitValue();
            if (status == 0 || status == 143) {
                Files.move(training, launch.archive(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(training);
            }
        } catch (IOException e) {
            // The next start trains again.
        }
    }

    /** How this gateway was started (jar, CDS archive). */
    Launch launch() {
        return launch;
    }
}

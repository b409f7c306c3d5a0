package vn.lienthong.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Keycloak server (the Quarkus distribution the build unpacks) run as a child process in dev
 * mode on 127.0.0.1, with realm {@value #REALM} imported from a JSON file.
 *
 * <p>Dev mode writes into its home (the H2 database under {@code data/}, the re-augmented
 * {@code lib/quarkus/}), so each server runs from its own copy of the distribution under its
 * instance directory; the dependency jars under {@code lib/lib/} are never written and are
 * hard-linked where the file system allows. It runs on the newest JDK (17 or later) found on the
 * machine at run time.
 */
public final class KeycloakServer {

    /** The realm the gateway's agencies live in. */
    public static final String REALM = "lienthong";
    /**
     * How long a start may take before it is given up (cold starts under load take minutes): 180 s,
     * or the seconds of system property {@code lienthong.keycloak.start-timeout-seconds} on a machine
     * shared by several builds.
     */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(
            Long.getLong("lienthong.keycloak.start-timeout-seconds", 180));
    /** The oldest JDK Keycloak 26 runs on. */
    static final int MINIMUM_JDK = 17;

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakServer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String COPIED_MARKER = ".lienthong-copy-complete";
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?([0-9]+)(?:\\.([0-9]+))?[^\"\\n]*\"?");

    /** Where the realm lives between starts. */
    public enum Storage {
        /** In memory: every start imports the realm file afresh (tests). */
        MEMORY,
        /** In an H2 file in the instance home: the realm and its changes survive restarts (embedded default). */
        FILE
    }

    private final Path instanceDir;
    private final Optional<Path> configuredDistribution;
    private final Path realmFile;
    private final int port;
    private final int managementPort;
    private final Storage storage;
    private final String adminUsername;
    private final String adminPassword;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Volatile: the shutdown hook reads it without the lock, which a start may hold for minutes. */
    private volatile Process process;
    private Thread shutdownHook;

    /**
     * Prepares a server; nothing is copied or started yet.
     *
     * @param instanceDir            its own directory: the copy of the distribution, the log
     * @param configuredDistribution an unpacked distribution to use instead of the one the build unpacked
     * @param realmFile              the realm JSON imported at start (ignored if the realm already exists)
     * @param port                   the HTTP port
     * @param managementPort         the management port ({@code /health/ready})
     * @param storage                whether the realm survives a restart
     * @param adminUsername          the bootstrap admin of the master realm
     * @param adminPassword          its password
     */
    public KeycloakServer(Path instanceDir, Optional<Path> configuredDistribution, Path realmFile, int port,
            int managementPort, Storage storage, String adminUsername, String adminPassword) {
        this.instanceDir = instanceDir.toAbsolutePath().normalize();
        this.configuredDistribution = Objects.requireNonNull(configuredDistribution, "configuredDistribution");
        this.realmFile = realmFile.toAbsolutePath().normalize();
        this.port = port;
        this.managementPort = managementPort;
        this.storage = Objects.requireNonNull(storage, "storage");
        this.adminUsername = Objects.requireNonNull(adminUsername, "adminUsername");
        this.adminPassword = Objects.requireNonNull(adminPassword, "adminPassword");
    }

    // ---------------------------------------------------------------- addresses

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** The issuer of realm {@value #REALM}'s tokens: {@code <baseUrl>/realms/lienthong}. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** The realm's token endpoint. */
    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** The realm's JWKS. */
    public String jwksUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** The management port, where {@code /health/ready} answers. */
    public int managementPort() {
        return managementPort;
    }

    /** The master realm's bootstrap admin (admin console, admin API). */
    public String adminUsername() {
        return adminUsername;
    }

    /** Its password. */
    public String adminPassword() {
        return adminPassword;
    }

    /** Where the realm lives between starts. */
    public Storage storage() {
        return storage;
    }

    /** The server's output. */
    public Path logFile() {
        return instanceDir.resolve("keycloak.log");
    }

    /** The server's own copy of the distribution. */
    public Path home() {
        return instanceDir.resolve("keycloak-" + distributionVersion());
    }

    // ---------------------------------------------------------------- lifecycle

    /** Whether the child process is alive. */
    public boolean running() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /**
     * Starts the server (no-op if running) and returns once {@code /health/ready} answers UP.
     *
     * @throws IllegalStateException if the distribution or a JDK is missing, or the server exits or
     *                               is not ready within {@link #START_TIMEOUT} (the message has the log's tail)
     */
    public synchronized void start() {
        if (running()) {
            return;
        }
        Path home = prepareHome();
        Path javaHome = newestJdk();
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                "--http-host=" + Ports.HOST,
                "--http-port=" + port,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                // Without it the issuer follows each request's Host header.
                "--hostname=" + baseUrl(),
                "--db=" + (storage == Storage.MEMORY ? "dev-mem" : "dev-file"),
                "--import-realm"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(instanceDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile().toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        // Keycloak reads KC_* from the environment: only ours count.
        env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("QUARKUS_"));
        env.put("JAVA_HOME", javaHome.toString());
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        LOG.info("starting Keycloak {} on {} with {} (log {})", distributionVersion(), baseUrl(), javaHome, logFile());
        Process started;
        try {
            started = builder.start();
            process = started;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (log " + logFile() + ")", e);
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::stopQuietly, "keycloak-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
            awaitReady(started);
        } catch (RuntimeException e) {
            stopProcess();
            throw e;
        }
    }

    /** Stops the server: SIGTERM (graceful), then a forced kill of it and its children if it lingers. */
    public synchronized void stop() {
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // Called from the JVM's own shutdown: the hook is running or about to.
            }
            shutdownHook = null;
        }
    }

    private void stopQuietly() {
        try {
            stopProcess();
        } catch (RuntimeException e) {
            System.err.println("Keycloak did not stop cleanly: " + e);
        }
    }

    private void stopProcess() {
        Process current = process;
        if (current == null) {
            return;
        }
        process = null;
        // kc.sh forwards SIGTERM to its java child; a forced kill of the script would not.
        List<ProcessHandle> children = current.descendants().toList();
        current.destroy();
        boolean exited = waitFor(current.toHandle());
        for (ProcessHandle child : children) {
            if (!waitFor(child)) {
                child.destroyForcibly();
            }
        }
        if (!exited) {
            current.destroyForcibly();
            waitFor(current.toHandle());
        }
        LOG.info("Keycloak on {} stopped", baseUrl());
    }

    private static boolean waitFor(ProcessHandle handle) {
        try {
            handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (Exception e) {
            return !handle.isAlive();
        }
    }

    private void awaitReady(Process process) {
        URI health = URI.create("http://" + Ports.HOST + ":" + managementPort + "/health/ready");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with status " + process.exitValue()
                        + " while starting; log " + logFile() + " ends with:\n" + logTail());
            }
            if (ready(health)) {
                LOG.info("Keycloak ready on {}", baseUrl());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak was not ready within " + START_TIMEOUT.toSeconds()
                        + " s (" + health + "); log " + logFile() + " ends with:\n" + logTail());
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
        }
    }

    private boolean ready(URI health) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------- the home

    /** Copies the distribution into the instance directory once, then puts the realm file into data/import. */
    private Path prepareHome() {
        Path home = home();
        if (!Files.isRegularFile(realmFile)) {
            throw new IllegalStateException("the realm file " + realmFile + " was not found");
        }
        try {
            Files.createDirectories(instanceDir);
            if (!Files.exists(home.resolve(COPIED_MARKER))) {
                Path distribution = findDistribution(configuredDistribution);
                copyDistribution(distribution, home);
            }
            Path imports = home.resolve("data").resolve("import");
            Files.createDirectories(imports);
            Files.copy(realmFile, imports.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Keycloak home " + home, e);
        }
        return home;
    }

    /** Copies into a temporary sibling and renames it, so a half-made copy is never taken for a whole one. */
    private static void copyDistribution(Path distribution, Path home) throws IOException {
        Path partial = home.resolveSibling(home.getFileName() + ".partial");
        deleteRecursively(partial);
        deleteRecursively(home);
        Path sharedJars = distribution.resolve("lib").resolve("lib");
        try (Stream<Path> paths = Files.walk(distribution)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = partial.resolve(distribution.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (source.startsWith(sharedJars)) {
                    linkOrCopy(source, target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createFile(partial.resolve(COPIED_MARKER));
        Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void linkOrCopy(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /** The version of the distribution the build unpacked (from routes/pom.xml). */
    public static String distributionVersion() {
        try (InputStream in = KeycloakServer.class.getResourceAsStream("keycloak.properties")) {
            if (in == null) {
                throw new IllegalStateException("keycloak.properties is missing from the classpath: build with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.contains("@")) {
                throw new IllegalStateException("keycloak.properties was not filled in by the build: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keycloak.properties", e);
        }
    }

    /**
     * The unpacked distribution: the configured one if given, else {@code keycloak/keycloak-<version>}
     * next to the running jar, else {@code target/keycloak/keycloak-<version>} (or
     * {@code devstack/target/...}) under the working directory.
     *
     * @throws IllegalStateException naming every place looked at, if none holds {@code bin/kc.sh}
     */
    public static Path findDistribution(Optional<Path> configured) {
        List<Path> candidates = new ArrayList<>();
        String dirName = "keycloak-" + distributionVersion();
        if (configured.isPresent()) {
            candidates.add(configured.get());
        } else {
            for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                if (entry.endsWith(".jar")) {
                    Path parent = Path.of(entry).toAbsolutePath().getParent();
                    if (parent != null) {
                        candidates.add(parent.resolve("keycloak").resolve(dirName));
                    }
                }
            }
            candidates.add(Path.of("target", "keycloak", dirName));
            candidates.add(Path.of("devstack", "target", "keycloak", dirName));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("bin").resolve("kc.sh"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("the Keycloak " + distributionVersion() + " distribution was not found; looked in "
                + candidates.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + " (the build unpacks it to devstack/target/keycloak/: run mvn package or mvn test)");
    }

    // ---------------------------------------------------------------- the JDK

    /**
     * The home of the newest JDK of version {@value #MINIMUM_JDK} or later among {@code JAVA_HOME}, the
     * running JVM and the usual install folders ({@code /usr/lib/jvm}, {@code /usr/java},
     * {@code /opt/java}), by the {@code JAVA_VERSION} of each one's {@code release} file.
     */
    public static Path newestJdk() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        for (String root : List.of("/usr/lib/jvm", "/usr/java", "/opt/java")) {
            Path dir = Path.of(root);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> children = Files.list(dir)) {
                    children.sorted().forEach(candidates::add);
                } catch (IOException e) {
                    LOG.debug("cannot list {}", dir, e);
                }
            }
        }
        Path best = null;
        int bestVersion = 0;
        for (Path candidate : candidates) {
            int version = jdkVersion(candidate);
            if (version > bestVersion && Files.isExecutable(candidate.resolve("bin").resolve("java"))) {
                best = candidate;
                bestVersion = version;
            }
        }
        if (best == null || bestVersion < MINIMUM_JDK) {
            throw new IllegalStateException("Keycloak needs a JDK " + MINIMUM_JDK + " or later; looked at " + candidates);
        }
        return best.toAbsolutePath().normalize();
    }

    /** The feature version in a JDK's {@code release} file (8 for "1.8.0_x"), or 0 if there is none. */
    static int jdkVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
            if (!m.find()) {
                return 0;
            }
            int first = Integer.parseInt(m.group(1));
            return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "KeycloakServer[" + baseUrl() + ", " + storage + ", " + instanceDir + "]";
    }
}

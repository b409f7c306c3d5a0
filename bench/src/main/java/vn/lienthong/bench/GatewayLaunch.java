package vn.lienthong.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.gateway.atrest.KeyEncryptionKeys;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.receipts.ReceiptKeys;

/**
 * The one way the benchmark's commands start the gateway's own jar as a child JVM on the production
 * profile against an embedded stack: the throughput run, its modes and each instance of the fault harness.
 */
final class GatewayLaunch {

    /** A started gateway and the time until its readiness probe said UP. */
    record Started(GatewayProcess process, Duration ready) {
    }

    private GatewayLaunch() {
    }

    /** The jar to run: the one given, else the build's {@code routes/target/lienthong-gateway.jar}; fails if neither is a file. */
    static Path jar(Path given) {
        Path jar = given != null ? given.toAbsolutePath() : ThroughputBenchmark.gatewayJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new BenchmarkFailure("cannot tell which jar to start the gateway from"
                    + (jar == null ? "" : " (" + jar + " is not a file)") + "; build it (mvn package) or pass --jar=PATH");
        }
        return jar;
    }

    /** The java launcher of this JVM. */
    static Path java() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /**
     * The gateway's environment on this stack (without its HTTP port): the stack's addresses, the
     * registry, and the receipt signing key and at-rest key-encryption key, made once in {@code dataDir}
     * (production refuses to start without them).
     */
    static Map<String, String> environment(EmbeddedStack stack, Path registry, Path dataDir) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIENTHONG_DB_URL", stack.jdbcUrl());
        env.put("LIENTHONG_DB_USER", stack.dbUser());
        env.put("LIENTHONG_DB_PASSWORD", stack.dbPassword());
        env.put("LIENTHONG_ARTEMIS_URL", stack.artemisUrl());
        env.put("LIENTHONG_KAFKA_BROKERS", stack.kafkaBootstrap());
        env.put("LIENTHONG_REGISTRY", registry.toString());
        env.put("LIENTHONG_IDENTITY_ISSUER", stack.keycloak().issuer());
        env.put("LIENTHONG_IDENTITY_CLIENT_SECRET", EmbeddedStack.GATEWAY_CLIENT_DEMO_SECRET);
        env.put("LIENTHONG_SFTP_HOST", stack.host());
        env.put("LIENTHONG_SFTP_PORT", Integer.toString(stack.sftpPort()));
        env.put("LIENTHONG_SFTP_USER", stack.gatewaySftpUser());
        env.put("LIENTHONG_SFTP_PASSWORD", stack.gatewaySftpPassword());
        env.put("LIENTHONG_SFTP_KNOWN_HOSTS", stack.sftpKnownHostsFile().toString());
        env.put("LIENTHONG_HTTP_ADDRESS", "127.0.0.1");
        Path receiptKeys = dataDir.resolve(EmbeddedStack.RECEIPT_KEY_STORE).toAbsolutePath();
        ReceiptKeys.loadOrGenerate(receiptKeys, EmbeddedStack.RECEIPT_KEY_STORE_PASSWORD.toCharArray());
        env.put("LIENTHONG_RECEIPTS_KEY_STORE", receiptKeys.toString());
        env.put("LIENTHONG_RECEIPTS_KEY_STORE_PASSWORD", EmbeddedStack.RECEIPT_KEY_STORE_PASSWORD);
        Path atRestKeys = dataDir.resolve(EmbeddedStack.AT_REST_KEY_STORE).toAbsolutePath();
        KeyEncryptionKeys.configured(atRestKeys.toString(), EmbeddedStack.AT_REST_KEY_STORE_PASSWORD, "", true);
        env.put("LIENTHONG_AT_REST_KEY_STORE", atRestKeys.toString());
        env.put("LIENTHONG_AT_REST_KEY_STORE_PASSWORD", EmbeddedStack.AT_REST_KEY_STORE_PASSWORD);
        return env;
    }

    /**
     * The Spring arguments: the production profile and the port, then each of {@code defaults}
     * ({@code --name=value}) the user's {@code gatewayArgs} do not set, then the user's.
     */
    static List<String> appArgs(int port, List<String> defaults, List<String> gatewayArgs) {
        List<String> appArgs = new ArrayList<>();
        appArgs.add("--spring.profiles.active=production");
        appArgs.add("--server.port=" + port);
        for (String option : defaults) {
            if (!CommandLine.setsProperty(gatewayArgs, option.substring(2, option.indexOf('=')))) {
                appArgs.add(option);
            }
        }
        appArgs.addAll(gatewayArgs);
        return appArgs;
    }

    /**
     * Starts one gateway on a free port with the settings' heap, JVM and Spring arguments (after
     * {@code defaults}), prints its command line and, once ready, {@code "<readyLabel> in N s"}.
     */
    static Started start(BenchSettings settings, EmbeddedStack stack, Path registry, Path dataDir, List<String> defaults,
            String logName, Duration timeout, PrintStream out, String readyLabel) throws IOException, InterruptedException {
        Path jar = jar(settings.jar());
        Path java = java();
        int port = ThroughputBenchmark.freePort();
        Path tmp = Files.createDirectories(dataDir.resolve("gateway-tmp"));
        List<String> jvmArgs = new ArrayList<>();
        jvmArgs.add("-Xmx" + settings.gatewayHeap());
        jvmArgs.add("-Djava.io.tmpdir=" + tmp);
        jvmArgs.addAll(settings.gatewayJvmArgs());
        List<String> appArgs = appArgs(port, defaults, settings.gatewayArgs());
        Map<String, String> env = environment(stack, registry, dataDir);
        env.put("LIENTHONG_HTTP_PORT", Integer.toString(port));
        Path log = dataDir.resolve(logName);
        out.printf("starting the gateway: %s %s -jar %s %s%n  log: %s%n", java, String.join(" ", jvmArgs), jar,
                String.join(" ", appArgs), log);
        long t0 = System.nanoTime();
        GatewayProcess gateway = GatewayProcess.start(java, jar, jvmArgs, appArgs, env, log, port);
        try {
            gateway.metricsToken(monitoringToken(stack.keycloak().issuer()));
            gateway.awaitHealthy(timeout);
        } catch (RuntimeException | InterruptedException e) {
            gateway.close();
            throw e;
        }
        Duration ready = Duration.ofNanos(System.nanoTime() - t0);
        out.printf(Locale.ROOT, "%s in %.1f s (pid %d, http://127.0.0.1:%d)%n", readyLabel, ready.toNanos() / 1e9,
                gateway.pid(), port);
        return new Started(gateway, ready);
    }

    /**
     * Tokens of the demo realm's monitoring client, which may read the gateway's metrics (the
     * actuator is behind the people's login); one grant is reused until shortly before it expires.
     */
    static Supplier<Optional<String>> monitoringToken(String issuer) {
        TokenEndpoint tokens = new TokenEndpoint(issuer, HttpClient.newHttpClient());
        AtomicReference<TokenEndpoint.Grant> grant = new AtomicReference<>();
        return () -> {
            TokenEndpoint.Grant current = grant.get();
            if (current == null || current.expiresAt().isBefore(Instant.now().plusSeconds(30))) {
                try {
                    current = tokens.clientCredentials(ThroughputBenchmark.MONITORING_CLIENT,
                            ThroughputBenchmark.MONITORING_CLIENT + "-demo-secret").orElse(null);
                } catch (IOException e) {
                    current = null;
                }
                grant.set(current);
            }
            return Optional.ofNullable(current).map(TokenEndpoint.Grant::accessToken);
        };
    }
}

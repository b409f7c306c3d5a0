package vn.lienthong.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import vn.lienthong.devstack.StandaloneServer;

/**
 * Artemis, Kafka or PostgreSQL as its own process ({@link StandaloneServer}, run from this very
 * class path), on fixed ports and a data directory kept across its restarts, so the fault harness
 * can stop and start it under running gateways.
 */
final class FaultHarnessServer implements AutoCloseable {

    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final String kind;
    private final List<String> args;
    private final Path log;
    private final Duration startTimeout;
    private Process process;
    private int starts;
    private final Thread killer;

    FaultHarnessServer(String kind, List<String> args, Path log, Duration startTimeout) {
        this.kind = kind;
        this.args = List.copyOf(args);
        this.log = log;
        this.startTimeout = startTimeout;
        this.killer = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroy();
            }
        }, "fault-harness-" + kind + "-stopper");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    String kind() {
        return kind;
    }

    /** Starts the process and waits until the server says it listens; fails if it exits first. */
    synchronized void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.add("-Xmx384m");
        Path bootJar = ThroughputBenchmark.runningJar();
        String classPath = System.getProperty("java.class.path");
        if (bootJar != null && !classPath.contains(java.io.File.pathSeparator)
                && Path.of(classPath).toAbsolutePath().normalize().equals(bootJar.toAbsolutePath().normalize())) {
            // Under java -jar the classes sit inside the Spring Boot jar: its launcher finds them.
            command.add("-Dloader.main=" + StandaloneServer.class.getName());
            command.add("-cp");
            command.add(bootJar.toString());
            command.add(LAUNCHER);
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(StandaloneServer.class.getName());
        }
        command.add(kind);
        command.addAll(args);
        starts++;
        Path out = log.resolveSibling(log.getFileName() + "." + starts);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        process = builder.start();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            if (text.contains(StandaloneServer.READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new BenchmarkFailure(kind + " exited with status " + process.exitValue() + " before it listened;"
                        + " its output " + out + " ends with:\n" + tail(text));
            }
            if (System.nanoTime() > deadline) {
                throw new BenchmarkFailure(kind + " did not listen within " + startTimeout.toSeconds() + " s; its output "
                        + out + " ends with:\n" + tail(text));
            }
            Thread.sleep(200);
        }
    }

    /** Stops the server cleanly (SIGTERM: it closes its journal, log or database), waiting for it. */
    synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Stops and starts the server again on the same port and data. */
    void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // Shutting down already: the hook runs and finds nothing to stop.
        }
    }

    private static Path java() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }
}

package vn.lienthong.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --mode=start} (issue 12 point 4): the gateway's own jar started N times on the production
 * profile and the project's registry with the brokers, database and Keycloak already up, each
 * timed from the process start until its readiness probe says UP, then stopped; prints each run,
 * p50 and max against the target of 10 s. The first start migrates the empty database (Flyway), so
 * it is shown apart too.
 */
final class StartBenchmark {

    static final Duration TARGET = Duration.ofSeconds(10);
    /** Spring Boot's own line: "Started X in 7.1 seconds (process running for 8.0)". */
    private static final Pattern STARTED = Pattern.compile("Started \\S+ in ([0-9.]+) seconds");

    static final String USAGE = """
            usage: java -jar bench/target/lienthong-bench.jar --mode=start [options]

            Starts the gateway (its own jar, production profile, config/agencies.yaml) N times with the brokers,
            PostgreSQL and Keycloak already up; times each start until /actuator/health/readiness says UP, and
            the gateway's CPU seconds until then. Target: under 10 s. The gateway starts as production does: the
            extracted jar (routes/target/gateway/) with its CDS archive, trained by the first start when missing;
            java -Dlienthong.bench.cds=false -jar ... starts the runnable jar instead.

              --runs=N               starts (default 5; the first also migrates the empty database)
              and the options of the throughput run: --data-dir, --keep-data, --gateway-heap, --jar,
              --timeout (default 10m), --gateway-jvm-arg, --lienthong.* ...
            """;

    private StartBenchmark() {
    }

    /**
     * Runs the mode; the outcome's figures are runs, p50, max, first (s), springP50 (Spring's own figure, s) and
     * cpuP50 (the gateway's CPU seconds until ready).
     */
    static BenchModes.Outcome run(String[] argv, PrintStream out) {
        ModeSupport.Opened<Integer> opened = ModeSupport.open("start", USAGE, argv, out,
                args -> ModeSupport.number("runs", ModeSupport.take(args, "runs"), 5, 1));
        if (opened.outcome() != null) {
            return opened.outcome();
        }
        int runs = opened.options();
        ModeSupport s = opened.support();
        out.printf(Locale.ROOT, "lienthong start benchmark: %d starts of the gateway, data in %s%n", runs, s.dataDir);
        Map<String, Double> figures = new LinkedHashMap<>();
        double[] ready = new double[runs];
        double[] spring = new double[runs];
        double[] loads = new double[runs];
        double[] cpu = new double[runs];
        String[] how = new String[runs];
        int[] done = {0};
        String failure = s.attempt(() -> {
            s.startStack(b -> { });
            for (int i = 0; i < runs; i++) {
                s.checkDeadline("starting the gateway (run " + (i + 1) + ")");
                loads[i] = ModeSupport.loadAverage();
                String log = "gateway-" + (i + 1) + ".log";
                ready[i] = s.startGateway(List.of(), log).toNanos() / 1e9;
                // CPU seconds until ready: what the start costs, much less sensitive to a busy machine than the wall clock.
                cpu[i] = s.gatewayCpuNanos() / 1e9;
                how[i] = describe(s.gateway.launch());
                spring[i] = springSeconds(s.dataDir.resolve(log));
                s.stopGateway();
                done[0]++;
            }
            return null;
        });
        return s.report(96, "lienthong start benchmark (issue 12): gateway start with the brokers up, until readiness", () -> {
            for (int i = 0; i < done[0]; i++) {
                out.printf(Locale.ROOT, "start %d             %.1f s to readiness (Spring's own 'Started ... in' %.1f s),"
                        + " %.1f CPU s, load average %.2f; %s%s%n", i + 1, ready[i], spring[i], cpu[i], loads[i],
                        how[i], i == 0 ? "; migrates the empty database" : "");
            }
            if (done[0] > 0) {
                double[] sorted = Arrays.copyOf(ready, done[0]);
                Arrays.sort(sorted);
                double[] springSorted = Arrays.copyOf(spring, done[0]);
                Arrays.sort(springSorted);
                figures.put("runs", (double) done[0]);
                figures.put("first", ready[0]);
                figures.put("p50", ModeSupport.percentile(sorted, 50));
                figures.put("max", sorted[done[0] - 1]);
                figures.put("springP50", ModeSupport.percentile(springSorted, 50));
                double[] cpuSorted = Arrays.copyOf(cpu, done[0]);
                Arrays.sort(cpuSorted);
                figures.put("cpuP50", ModeSupport.percentile(cpuSorted, 50));
                out.printf(Locale.ROOT, "to readiness        p50 %.1f s, max %.1f s over %d starts   target < %d s: %s%n",
                        figures.get("p50"), figures.get("max"), done[0], TARGET.toSeconds(),
                        figures.get("p50") < TARGET.toSeconds() ? "MET (p50)" : "NOT MET");
                out.printf(Locale.ROOT, "CPU to readiness    p50 %.1f s (the gateway JVM's user + system time: less noisy than"
                        + " the wall clock on a busy machine)%n", figures.get("cpuP50"));
            }
        }, failure, figures);
    }

    /** How a start ran: the runnable jar, or the extracted one with its CDS archive (used, or trained by this start). */
    static String describe(GatewayProcess.Launch launch) {
        if (launch.archive() == null) {
            boolean extracted = launch.jar().getParent() != null && launch.jar().getParent().endsWith("gateway");
            return extracted ? "extracted jar, no CDS archive (JFR or an agent among the JVM options)" : "runnable jar, no CDS";
        }
        return launch.training() == null ? "extracted jar, CDS archive used"
                : "extracted jar, trains the CDS archive (written as it stops)";
    }

    /** Spring Boot's own start time from the log, NaN if it is not there. */
    private static double springSeconds(java.nio.file.Path log) {
        try {
            Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

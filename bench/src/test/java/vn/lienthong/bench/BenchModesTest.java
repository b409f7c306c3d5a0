package vn.lienthong.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short variants of the benchmark's modes of issue 12 point 4, each on its own embedded stack
 * and the gateway's own jar (built by the reactor's package phase before this module's tests; the
 * gateway tests are skipped, saying so, when it is not there): each mode completes and its figures
 * are sane. No timings are asserted.
 */
class BenchModesTest {

    private static final Path GATEWAY_JAR = Path.of("..", "routes", "target", "lienthong-gateway.jar");

    @Test
    void theArgumentsNameTheMode() {
        assertThat(BenchModes.modeOf(new String[] {"--mode=latency"})).isNotNull();
        assertThat(BenchModes.modeOf(new String[] {"--mode=csv", "--rows=10"})).isNotNull();
        assertThat(BenchModes.modeOf(new String[] {"--mode=start"})).isNotNull();
        assertThat(BenchModes.modeOf(new String[] {"--mode=scaling"})).isNotNull();
        // Several sizes are the scaling run; one size, or another mode, is not one of these.
        assertThat(BenchModes.modeOf(new String[] {"--messages=20000,100000"})).isNotNull();
        assertThat(BenchModes.modeOf(new String[] {"--messages=20000"})).isNull();
        assertThat(BenchModes.modeOf(new String[] {"--mode=search", "--messages=1,2"})).isNull();
        assertThat(BenchModes.modeOf(new String[] {"--mode=faults"})).isNull();
    }

    @Test
    void aBadOptionIsRefusedNamingIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(CsvBenchmark.run(new String[] {"--mode=csv", "--rows=many"}, print(out)).status()).isEqualTo(2);
        assertThat(LatencyBenchmark.run(new String[] {"--mode=latency", "--freezes=0"}, print(out)).status()).isEqualTo(2);
        assertThat(ScalingBenchmark.run(new String[] {"--mode=scaling", "--unknown=1"}, print(out)).status()).isEqualTo(2);
    }

    @Test
    void theTaxBatchCarriesItsRowCountAndTheHashOfItsRows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("b.csv");
        CsvBenchmark.writeBatch(file, "TAX-T-1", 3);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(1)).startsWith("TAX-T-1,").contains(",PROV.79,").contains(",NO_DATA,");
        int rowsStart = text.indexOf("\r\n") + 2;
        int trailerStart = text.indexOf("#TRAILER,");
        byte[] rows = text.substring(rowsStart, trailerStart).getBytes(StandardCharsets.UTF_8);
        assertThat(lines.get(4)).isEqualTo("#TRAILER,3," + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(rows)));
    }

    @Test
    void latencyTimesEveryFreezeUntilItIsOnTheStateBanksQueue() {
        requireGatewayJar();
        var outcome = BenchModes.modeOf(new String[] {"--mode=latency"}).run(args("--mode=latency", "--freezes=20",
                "--warmup-freezes=2", "--background-rate=50", "--interval=10"), print(new ByteArrayOutputStream()));
        assertThat(outcome.status()).isZero();
        assertThat(outcome.figure("freezes")).isEqualTo(20);
        assertThat(outcome.figure("p50")).isPositive().isLessThanOrEqualTo(outcome.figure("p99"));
        assertThat(outcome.figure("p99")).isLessThanOrEqualTo(outcome.figure("max"));
        // The REST answer comes before the delivery it leads to.
        assertThat(outcome.figure("acceptP50")).isPositive().isLessThanOrEqualTo(outcome.figure("max"));
        assertThat(outcome.figure("backgroundOffered")).isPositive();
        assertThat(outcome.figure("backgroundTaken")).isPositive();
    }

    @Test
    void csvGetsEveryRowAcceptedInTheResultFile() {
        requireGatewayJar();
        var outcome = CsvBenchmark.run(args("--mode=csv", "--rows=2000"), print(new ByteArrayOutputStream()));
        assertThat(outcome.status()).isZero();
        assertThat(outcome.figure("accepted")).isEqualTo(2000);
        assertThat(outcome.figure("seconds")).isPositive();
        assertThat(outcome.figure("peakHeapMb")).isPositive();
        // Every row is a message of the journal; the two requests it answers are there too.
        assertThat(outcome.figure("journalMessages")).isEqualTo(2002);
    }

    @Test
    void startTimesTheGatewayUntilReady() {
        requireGatewayJar();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var outcome = StartBenchmark.run(args("--mode=start", "--runs=1"), print(out));
        assertThat(outcome.status()).isZero();
        assertThat(outcome.figure("runs")).isEqualTo(1);
        assertThat(outcome.figure("p50")).isPositive().isEqualTo(outcome.figure("max"));
        // Spring's own figure counts from the JVM's start, so it is within the benchmark's.
        assertThat(outcome.figure("springP50")).isPositive().isLessThanOrEqualTo(outcome.figure("p50"));
        assertThat(outcome.figure("cpuP50")).isPositive();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("load average").contains("CPU to readiness");
    }

    @Test
    void scalingRunsEverySizeOnOneGrowingJournal() {
        requireGatewayJar();
        var outcome = ScalingBenchmark.run(args("--messages=300,600", "--warmup=100"), print(new ByteArrayOutputStream()));
        assertThat(outcome.status()).isZero();
        assertThat(outcome.figure("arrived.0")).isEqualTo(300);
        assertThat(outcome.figure("arrived.1")).isEqualTo(600);
        assertThat(outcome.figure("journal.0")).isEqualTo(400);
        assertThat(outcome.figure("journal.1")).isEqualTo(1000);
        for (int i = 0; i < 2; i++) {
            assertThat(outcome.figure("rate." + i)).isPositive();
            assertThat(outcome.figure("cpuMs." + i)).isPositive();
            assertThat(outcome.figure("commits." + i)).isPositive();
        }
    }

    private static void requireGatewayJar() {
        assumeTrue(Files.isRegularFile(GATEWAY_JAR), GATEWAY_JAR.toAbsolutePath()
                + " is not built (the reactor's package phase builds it): the modes run the gateway's own jar");
    }

    private static String[] args(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--jar=" + GATEWAY_JAR.toAbsolutePath().normalize();
        all[args.length + 1] = "--timeout=40m";
        return all;
    }

    /** The mode's lines to the test's output (a failure's reason shows in the report) and to {@code out}. */
    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
    }
}

package vn.lienthong.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The modes of issue 12 point 4 beside the throughput run: {@code --mode=latency}, {@code --mode=csv},
 * {@code --mode=start} and {@code --mode=scaling} (also {@code --messages=20000,100000,1000000}).
 */
final class BenchModes {

    /** What a mode measured: its exit status and its figures by name (for the tests and the summary). */
    record Outcome(int status, Map<String, Double> figures) {

        /** A figure, or NaN when the mode did not get that far. */
        double figure(String name) {
            return figures.getOrDefault(name, Double.NaN);
        }
    }

    /** A mode's entry point. */
    interface Mode {
        Outcome run(String[] args, PrintStream out);
    }

    private BenchModes() {
    }

    /** Runs the mode the arguments name and exits; false when they name none of these modes. */
    static boolean dispatch(String[] args) {
        Mode mode = modeOf(args);
        if (mode == null) {
            return false;
        }
        // The embedded brokers leave non-daemon threads behind: exit explicitly.
        System.exit(mode.run(args, System.out).status());
        return true;
    }

    /** The mode these arguments name, or null for the throughput run (and the other modes). */
    static Mode modeOf(String[] args) {
        for (String arg : args) {
            switch (arg) {
                case "--mode=latency":
                    return LatencyBenchmark::run;
                case "--mode=csv":
                    return CsvBenchmark::run;
                case "--mode=start":
                    return StartBenchmark::run;
                case "--mode=scaling":
                    return ScalingBenchmark::run;
                default:
                    break;
            }
        }
        boolean anyMode = Arrays.stream(args).anyMatch(a -> a.startsWith("--mode="));
        boolean sizes = Arrays.stream(args).anyMatch(a -> a.startsWith("--messages=") && a.contains(","));
        return !anyMode && sizes ? ScalingBenchmark::run : null;
    }
}

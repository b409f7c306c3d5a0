package vn.lienthong.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The gateway's latency trace (logger {@code vn.lienthong.gateway.latency}, lines
 * {@code latency <stage> id=<messageId> <step>=<ms> ...}) summed up over the freezes a run timed:
 * per stage and step its p50, p99 and max, so that the run says which wait on the path the time
 * goes to (REST steps, the journal's queue and commit, the wake, the dispatch round's steps).
 */
final class LatencySteps {

    /** The Spring argument that turns the trace on in the gateway. */
    static final String TRACE_ON = "--logging.level.vn.lienthong.gateway.latency=DEBUG";
    private static final String MARK = ": latency ";

    /** Values by "stage step" (e.g. "journal queued"), and how many lines each stage had, by "stage kind=...". */
    private final Map<String, List<Double>> steps = new TreeMap<>();
    private final Map<String, Integer> kinds = new TreeMap<>();

    private LatencySteps() {
    }

    /** The trace lines of {@code log} about the messages {@code ids}. */
    static LatencySteps read(Path log, Set<String> ids) throws IOException {
        LatencySteps summary = new LatencySteps();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(line -> summary.add(line, ids));
        }
        return summary;
    }

    /** Takes one log line if it is a trace line about one of {@code ids}. */
    void add(String line, Set<String> ids) {
        int at = line.indexOf(MARK);
        if (at < 0) {
            return;
        }
        String[] words = line.substring(at + MARK.length()).trim().split(" ");
        if (words.length < 2 || !words[1].startsWith("id=") || !ids.contains(words[1].substring(3))) {
            return;
        }
        String stage = words[0];
        for (int i = 2; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq < 1) {
                continue;
            }
            String key = words[i].substring(0, eq);
            String value = words[i].substring(eq + 1);
            try {
                double ms = Double.parseDouble(value);
                steps.computeIfAbsent(stage + " " + key, k -> new ArrayList<>()).add(ms);
            } catch (NumberFormatException e) {
                if (key.equals("kind") || key.equals("urgentLane")) {
                    kinds.merge(stage + " " + key + "=" + value, 1, Integer::sum);
                }
            }
        }
    }

    /** Whether no trace line matched (the gateway ran without the trace, or an older jar). */
    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The p50 of a stage's step, or NaN. */
    double p50(String stageStep) {
        return percentile(stageStep, 50);
    }

    /** The p99 of a stage's step, or NaN. */
    double p99(String stageStep) {
        return percentile(stageStep, 99);
    }

    private double percentile(String stageStep, double p) {
        List<Double> values = steps.get(stageStep);
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return ModeSupport.percentile(sorted, p);
    }

    /** Prints one line per stage and step: count, p50, p99, max (ms; counts for counted steps). */
    void print(PrintStream out) {
        out.println("steps in the gateway (its latency trace; ms, counts for claimed/batchEntries):");
        steps.forEach((step, values) -> {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "  %-24s n %4d  p50 %8.2f  p99 %8.2f  max %8.2f%n", step, sorted.length,
                    ModeSupport.percentile(sorted, 50), ModeSupport.percentile(sorted, 99), sorted[sorted.length - 1]);
        });
        kinds.forEach((kind, n) -> out.printf(Locale.ROOT, "  %-24s %d%n", kind, n));
    }
}

package vn.lienthong.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's command-line arguments.
 *
 * @param messages messages per path in the measured run
 * @param warmup messages per path sent (and awaited) before the measured run, not counted
 * @param dataDir where the stack and the gateway keep their files; null for a fresh temporary one
 * @param keepData keep the data directory even after a successful run
 * @param gatewayHeap the child gateway's {@code -Xmx}
 * @param jar the gateway jar to run as the child; null to use the jar this runs from
 * @param timeout the bound on the whole run
 * @param producerBatch messages per JMS transaction of the load producer
 * @param ackBatch messages per acknowledgement (JMS commit) of the raw pass-through
 * @param preload fill each path's queue before its consumers start, so the producer does not share the
 *     machine with the path it feeds; the rate is then taken from the first arrival to the last
 * @param messageBytes the size of each message
 * @param raw whether to run the raw pass-through
 * @param gateway whether to run the gateway path
 * @param gatewayArgs Spring arguments handed to the child ({@code --lienthong.*}, {@code --camel.*}, ...)
 * @param gatewayJvmArgs extra JVM options of the child
 * @param help print the usage and stop
 */
record BenchSettings(
        int messages,
        int warmup,
        Path dataDir,
        boolean keepData,
        String gatewayHeap,
        Path jar,
        Duration timeout,
        int producerBatch,
        int ackBatch,
        boolean preload,
        int messageBytes,
        boolean raw,
        boolean gateway,
        List<String> gatewayArgs,
        List<String> gatewayJvmArgs,
        boolean help) {

    static final String USAGE = """
            usage: java -jar bench/target/lienthong-bench.jar [options] [--lienthong.x=y ...]

            Sends N persistent canonical messages through a raw JMS->Kafka pass-through and through the
            gateway (a child JVM, production profile), on one embedded stack, and prints msg/s of both,
            their ratio (target >= 0.5, DESIGN.md section 8), p50/p99 latency and the gateway's peak heap.

              --messages=N            messages per path (default 100000)
              --warmup=N              messages per path sent first and not measured (default 0)
              --data-dir=PATH         a new or empty directory (default: a fresh one under the temp dir);
                                      deleted after a successful run unless --keep-data
              --keep-data             keep the data directory (the gateway log is in it)
              --gateway-heap=SIZE     the gateway's -Xmx (default 1g)
              --gateway-jvm-arg=OPT   an extra JVM option of the gateway (repeatable)
              --jar=PATH              the gateway jar (default: routes/target/lienthong-gateway.jar)
              --timeout=DURATION      bound on the whole run, e.g. 10m, 900s (default 10m)
              --message-bytes=N       size of each message (default 1024)
              --producer-batch=N      messages per JMS transaction of the load producer (default 1000)
              --ack-batch=N           messages per JMS commit of the raw pass-through (default 1000)
              --preload               fill each queue first, then start its consumers (the gateway is
                                      started after its queue is full); rates from first to last arrival.
                                      Without it the producer runs alongside, as a live sender would.
              --paths=raw,gateway     which paths to run (default both)
              --lienthong.*, --camel.*, --spring.*, --management.*, --logging.*
                                      handed to the gateway, e.g. --lienthong.journal.max-batch=1000
            Exit status: 0 when every message arrived (whether or not the target is met), 1 when the
            run failed, 2 for bad arguments.
            """;

    private static final Pattern SIZE = Pattern.compile("\\d+[kKmMgG]?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final List<String> CHILD_PREFIXES = List.of("--lienthong.", "--camel.", "--spring.", "--management.",
            "--logging.");

    /** Reads the arguments; throws IllegalArgumentException naming the first bad one. */
    static BenchSettings parse(String[] args) {
        int messages = 100_000;
        int warmup = 0;
        Path dataDir = null;
        boolean keepData = false;
        String heap = "1g";
        Path jar = null;
        Duration timeout = Duration.ofMinutes(10);
        int producerBatch = 1000;
        int ackBatch = 1000;
        boolean preload = false;
        int messageBytes = 1024;
        boolean raw = true;
        boolean gateway = true;
        List<String> gatewayArgs = new ArrayList<>();
        List<String> jvmArgs = new ArrayList<>();
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--keep-data")) {
                keepData = true;
                continue;
            }
            if (arg.equals("--preload")) {
                preload = true;
                continue;
            }
            if (CHILD_PREFIXES.stream().anyMatch(arg::startsWith)) {
                if (!arg.contains("=")) {
                    throw new IllegalArgumentException(arg + ": the gateway's arguments take the form --name=value");
                }
                if (arg.startsWith("--spring.profiles.active=")) {
                    throw new IllegalArgumentException("the gateway always runs the production profile");
                }
                gatewayArgs.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "messages" -> messages = positive(name, value);
                case "warmup" -> warmup = nonNegative(name, value);
                case "data-dir" -> dataDir = Path.of(value);
                case "gateway-heap" -> {
                    if (!SIZE.matcher(value).matches()) {
                        throw new IllegalArgumentException("--gateway-heap takes a size like 1g or 768m, not " + value);
                    }
                    heap = value;
                }
                case "gateway-jvm-arg" -> jvmArgs.add(value);
                case "jar" -> jar = Path.of(value);
                case "timeout" -> timeout = duration(value);
                case "producer-batch" -> producerBatch = positive(name, value);
                case "ack-batch" -> ackBatch = positive(name, value);
                case "message-bytes" -> messageBytes = positive(name, value);
                case "paths" -> {
                    List<String> paths = List.of(value.toLowerCase(Locale.ROOT).split(","));
                    if (paths.isEmpty() || !List.of("raw", "gateway").containsAll(paths)) {
                        throw new IllegalArgumentException("--paths takes raw, gateway or raw,gateway, not " + value);
                    }
                    raw = paths.contains("raw");
                    gateway = paths.contains("gateway");
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if (preload && warmup > 0 && gateway) {
            // A preloaded gateway starts on a full queue: there is no moment to warm it up first.
            throw new IllegalArgumentException("--warmup cannot be combined with --preload for the gateway path");
        }
        return new BenchSettings(messages, warmup, dataDir, keepData, heap, jar, timeout, producerBatch, ackBatch,
                preload, messageBytes, raw, gateway, List.copyOf(gatewayArgs), List.copyOf(jvmArgs), help);
    }

    /** Whether the gateway arguments already set this property (Spring would join two values with a comma). */
    boolean setsGatewayProperty(String property) {
        return gatewayArgs.stream().anyMatch(a -> a.startsWith("--" + property + "="));
    }

    private static int positive(String name, String value) {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return n;
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException("--" + name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, not " + value);
        }
    }

    private static Duration duration(String value) {
        Matcher m = DURATION.matcher(value);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            try {
                d = Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--timeout takes a duration like 10m or 900s, not " + value);
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        return d;
    }
}

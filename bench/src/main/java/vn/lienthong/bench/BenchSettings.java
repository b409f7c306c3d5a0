package vn.lienthong.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /** Reads the arguments; throws IllegalArgumentException naming the first bad one. */
    static BenchSettings parse(String[] args) {
        int messages = 100_000;
        int warmup = 0;
        Path dataDir = null;
        String heap = "1g";
        Path jar = null;
        Duration timeout = Duration.ofMinutes(10);
        int producerBatch = 1000;
        int ackBatch = 1000;
        int messageBytes = 1024;
        boolean raw = true;
        boolean gateway = true;
        List<String> jvmArgs = new ArrayList<>();
        CommandLine.Parsed line = CommandLine.parse(args, Set.of("keep-data", "preload"));
        for (CommandLine.Option option : line.options()) {
            String name = option.name();
            String value = option.value();
            switch (name) {
                case "messages" -> messages = CommandLine.positive(name, value);
                case "warmup" -> warmup = CommandLine.whole(name, value);
                case "data-dir" -> dataDir = Path.of(value);
                case "gateway-heap" -> heap = CommandLine.heap(name, value);
                case "gateway-jvm-arg" -> jvmArgs.add(value);
                case "jar" -> jar = Path.of(value);
                case "timeout" -> timeout = CommandLine.duration(name, value);
                case "producer-batch" -> producerBatch = CommandLine.positive(name, value);
                case "ack-batch" -> ackBatch = CommandLine.positive(name, value);
                case "message-bytes" -> messageBytes = CommandLine.positive(name, value);
                case "paths" -> {
                    List<String> paths = List.of(value.toLowerCase(Locale.ROOT).split(","));
                    if (paths.isEmpty() || !List.of("raw", "gateway").containsAll(paths)) {
                        throw new IllegalArgumentException("--paths takes raw, gateway or raw,gateway, not " + value);
                    }
                    raw = paths.contains("raw");
                    gateway = paths.contains("gateway");
                }
                default -> throw CommandLine.unknown(option);
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        boolean preload = line.flags().contains("preload");
        if (preload && warmup > 0 && gateway) {
            // A preloaded gateway starts on a full queue: there is no moment to warm it up first.
            throw new IllegalArgumentException("--warmup cannot be combined with --preload for the gateway path");
        }
        return new BenchSettings(messages, warmup, dataDir, line.flags().contains("keep-data"), heap, jar, timeout,
                producerBatch, ackBatch, preload, messageBytes, raw, gateway, line.gatewayArgs(), List.copyOf(jvmArgs),
                line.help());
    }

    /** Whether the gateway arguments already set this property (Spring would join two values with a comma). */
    boolean setsGatewayProperty(String property) {
        return CommandLine.setsProperty(gatewayArgs, property);
    }
}

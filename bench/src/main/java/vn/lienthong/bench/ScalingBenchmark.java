package vn.lienthong.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code --mode=scaling}, or {@code --messages=20000,100000,1000000} (issue 12 point 4): the
 * gateway path of the throughput run (tokens, signed receipts, audit; producer alongside) at each
 * size in turn, on one gateway whose journal keeps growing, and per size the cost per message:
 * msg/s, the gateway's CPU per message, PostgreSQL commits and rows read by sequential scans per
 * message, the journal's rows after it — flat columns mean no scan or lock that grows with the backlog.
 */
final class ScalingBenchmark {

    static final List<Integer> DEFAULT_SIZES = List.of(20_000, 100_000, 1_000_000);
    private static final long STALL_NANOS = 120_000_000_000L;
    private static final long SAMPLE_MILLIS = 200;

    static final String USAGE = """
            usage: java -jar bench/target/lienthong-bench.jar --mode=scaling [--messages=20000,100000,1000000] [options]

            Runs the gateway path of the throughput run (JMS in -> Kafka out, tokens, signed receipts, audit) at each
            size in turn on one gateway, the journal growing from one size to the next, and prints per size msg/s,
            the gateway's CPU per message, PostgreSQL commits and sequentially scanned rows per message, and the
            journal's rows, to see whether the cost per message stays flat.

              --messages=A,B,C       the sizes (default 20000,100000,1000000)
              --warmup=N             messages sent first, not measured (default 2000)
              and the options of the throughput run: --data-dir, --keep-data, --gateway-heap, --jar,
              --timeout (default 10m: give the 1,000,000 run hours), --producer-batch, --message-bytes,
              --gateway-jvm-arg, --lienthong.* ...
            """;

    /** One size's figures. */
    record Step(int messages, int arrived, double rate, long p50Millis, long p99Millis, double cpuMillisPerMessage,
            double commitsPerMessage, double seqRowsPerMessage, long journalMessages, long journalDeliveries,
            long auditRows, long peakHeapMb, double loadAverage) {
    }

    private ScalingBenchmark() {
    }

    /** Runs the mode; figures per size i (0-based): rate.i, cpuMs.i, commits.i, seqRows.i, arrived.i, journal.i. */
    static BenchModes.Outcome run(String[] argv, PrintStream out) {
        ModeSupport.Opened<Options> opened = ModeSupport.open("scaling", USAGE, argv, out, args -> {
            List<Integer> sizes = new ArrayList<>();
            String list = ModeSupport.take(args, "messages");
            if (list == null) {
                sizes.addAll(DEFAULT_SIZES);
            } else {
                for (String size : list.split(",")) {
                    sizes.add(ModeSupport.number("messages", size.trim(), 0, 1));
                }
            }
            return new Options(sizes, ModeSupport.number("warmup", ModeSupport.take(args, "warmup"), 2000, 0));
        });
        if (opened.outcome() != null) {
            return opened.outcome();
        }
        List<Integer> sizes = opened.options().sizes();
        int warmup = opened.options().warmup();
        ModeSupport s = opened.support();
        out.printf(Locale.ROOT, "lienthong scaling benchmark: sizes %s (+%,d warm-up) on one gateway, data in %s%n",
                sizes, warmup, s.dataDir);
        List<Step> steps = new ArrayList<>();
        Map<String, Double> figures = new LinkedHashMap<>();
        BenchMessages messages = BenchMessages.of(s.settings.messageBytes());
        String failure = s.attempt(() -> {
            s.startStack(b -> { });
            s.startGateway(List.of("--lienthong.ingress.jms-concurrent-consumers=16"), "gateway.log");
            ReceiptDrain receipts = new ReceiptDrain(s.jms, ThroughputBenchmark.BENCH_RECEIPTS);
            receipts.start();
            try {
                if (warmup > 0) {
                    step(s, messages, receipts, warmup, "warm-up");
                }
                for (int i = 0; i < sizes.size(); i++) {
                    Step step = step(s, messages, receipts, sizes.get(i), String.format(Locale.ROOT, "%,d", sizes.get(i)));
                    steps.add(step);
                    figures.put("rate." + i, step.rate());
                    figures.put("cpuMs." + i, step.cpuMillisPerMessage());
                    figures.put("commits." + i, step.commitsPerMessage());
                    figures.put("seqRows." + i, step.seqRowsPerMessage());
                    figures.put("arrived." + i, (double) step.arrived());
                    figures.put("journal." + i, (double) step.journalMessages());
                    out.printf(Locale.ROOT, "  %,d messages: %,.0f msg/s, %.2f ms gateway CPU per message%n",
                            step.messages(), step.rate(), step.cpuMillisPerMessage());
                }
            } finally {
                receipts.stopAndJoin(15_000);
            }
            return null;
        });
        return s.report(120, "lienthong scaling benchmark (issue 12): the gateway path at growing sizes, one gateway,"
                + " the journal growing", () -> {
                    out.println("| messages | msg/s | p50 / p99 ms | gateway CPU ms/msg | PG commits/msg | seq-scanned"
                            + " rows/msg | journal messages / deliveries / audit after | peak heap MB | load avg |");
                    out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                    for (Step t : steps) {
                        out.printf(Locale.ROOT, "| %,d | %,.0f | %,d / %,d | %.2f | %.3f | %.1f | %,d / %,d / %,d | %d |"
                                + " %.1f |%n", t.messages(), t.rate(), t.p50Millis(), t.p99Millis(),
                                t.cpuMillisPerMessage(), t.commitsPerMessage(), t.seqRowsPerMessage(),
                                t.journalMessages(), t.journalDeliveries(), t.auditRows(), t.peakHeapMb(),
                                t.loadAverage());
                    }
                    out.printf(Locale.ROOT, "messages of %,d bytes, persistent, producer alongside (commits every %,d);"
                            + " msg/s from the first send to the last arrival on Kafka%n", messages.bytes(),
                            s.settings.producerBatch());
                }, failure, figures);
    }

    /** The mode's own options: the sizes in order and the warm-up. */
    private record Options(List<Integer> sizes, int warmup) {
    }

    /** One size: n messages in on JMS while they are awaited on Kafka; the gateway's and database's counters around it. */
    private static Step step(ModeSupport s, BenchMessages messages, ReceiptDrain receipts, int n, String label)
            throws InterruptedException {
        String[] ids = new String[n];
        Map<String, Integer> seqOf = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            ids[i] = UUID.randomUUID().toString();
            seqOf.put(ids[i], i);
        }
        ArrivalCounter counter = new ArrivalCounter(s.stack.kafkaBootstrap(), ThroughputBenchmark.BENCH_OUT, n,
                record -> ThroughputBenchmark.gatewaySeq(record, seqOf));
        JmsLoad load = new JmsLoad(s.jms, ThroughputBenchmark.BENCH_IN, messages, ids, s.settings.producerBatch(),
                s.benchAuthorization);
        long cpu0 = s.gatewayCpuNanos();
        long commits0 = s.query("select xact_commit from pg_stat_database where datname = current_database()");
        long seqRows0 = s.query("select coalesce(sum(seq_tup_read), 0) from pg_stat_user_tables");
        s.takePeakHeap();
        counter.start();
        load.start();
        String failure = null;
        try {
            long lastMove = System.nanoTime();
            int lastCount = -1;
            long nextProgress = System.nanoTime() + 10_000_000_000L;
            while (counter.distinct() < n) {
                long now = System.nanoTime();
                if (load.failure() != null) {
                    failure = "the load producer failed: " + load.failure();
                } else if (counter.failure() != null) {
                    failure = "the Kafka counter failed: " + counter.failure();
                } else if (!s.gateway.alive()) {
                    failure = "the gateway exited; its log ends with:\n" + s.gateway.logTail(40);
                } else if (receipts.rejected() > 0) {
                    failure = receipts.rejected() + " message(s) refused; the first receipt:\n" + receipts.firstRejected();
                } else if (now > s.deadline) {
                    failure = "the run's bound of " + s.settings.timeout().toSeconds() + " s passed (--timeout=DURATION)";
                }
                int moved = counter.distinct() + load.committed();
                if (moved != lastCount) {
                    lastCount = moved;
                    lastMove = now;
                } else if (failure == null && now - lastMove > STALL_NANOS) {
                    failure = "nothing moved for " + STALL_NANOS / 1_000_000_000L + " s";
                }
                if (failure != null) {
                    throw new BenchmarkFailure(label + ": " + failure + " (" + counter.distinct() + " of " + n
                            + " arrived, " + load.committed() + " sent)");
                }
                s.sampleHeap();
                if (now >= nextProgress) {
                    s.out.printf(Locale.ROOT, "  [%s] sent %,d/%,d, arrived %,d%n", label, load.committed(), n,
                            counter.distinct());
                    nextProgress = now + 10_000_000_000L;
                }
                Thread.sleep(SAMPLE_MILLIS);
            }
        } finally {
            load.stopAndJoin(15_000);
            counter.stopAndJoin(15_000);
        }
        long cpu1 = s.gatewayCpuNanos();
        // The statistics collector lags by up to a second.
        Thread.sleep(1500);
        long commits1 = s.query("select xact_commit from pg_stat_database where datname = current_database()");
        long seqRows1 = s.query("select coalesce(sum(seq_tup_read), 0) from pg_stat_user_tables");
        long[] latencies = PathResult.latencies(load.jmsTimestamps(), counter.recordTimestamps());
        return new Step(n, counter.distinct(), PathResult.rate(n, load.firstSendNanos(), counter.lastArrivalNanos()),
                PathResult.percentile(latencies, 50), PathResult.percentile(latencies, 99),
                cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e6 / n,
                commits0 < 0 || commits1 < 0 ? Double.NaN : (double) (commits1 - commits0) / n,
                seqRows0 < 0 || seqRows1 < 0 ? Double.NaN : (double) (seqRows1 - seqRows0) / n,
                s.query("select count(*) from message"), s.query("select count(*) from delivery"),
                s.query("select count(*) from audit"), ModeSupport.mb(s.takePeakHeap()), ModeSupport.loadAverage());
    }
}

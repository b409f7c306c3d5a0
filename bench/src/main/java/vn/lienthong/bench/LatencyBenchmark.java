package vn.lienthong.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import vn.lienthong.gateway.dispatch.DeliverySender;

/**
 * {@code --mode=latency} (issue 12 point 4): urgent {@code freeze.request}s posted over REST with
 * the requester's token, one after the other, each timed until it is on the State Bank's queue (a
 * JMS consumer on SBV's outbound channel of config/agencies.yaml), while a rate-limited producer
 * puts other traffic on JMS; prints p50/p99/max against the target p99 &lt; 50 ms.
 */
final class LatencyBenchmark {

    /** The p99 the issue asks for. */
    static final Duration TARGET_P99 = Duration.ofMillis(50);
    /** SBV's outbound channel (config/agencies.yaml): where a freeze for the State Bank arrives. */
    static final String SBV_OUT = "lienthong.SBV.out";
    /** The requester: market surveillance may request freezes and has a REST channel. */
    static final String REQUESTER = "MOIT.DMS";
    static final String REQUESTER_CLIENT = "moit-dms";
    private static final String EXAMPLE = "lienthong/examples/v1/freeze.request/valid-freeze-cpc129.json";
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(60);
    /** How often a freeze answered 503 (identity unavailable) is sent again before the run fails. */
    private static final int RETRIES_ON_503 = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC_3339_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    static final String USAGE = """
            usage: java -jar bench/target/lienthong-bench.jar --mode=latency [options]

            Posts urgent freeze.requests (the example FREEZE, each with its own decision number and messageId)
            over REST as MOIT.DMS with its token, one after the other, and times each until it is on SBV's
            queue lienthong.SBV.out, while other traffic flows on JMS at a fixed rate. Target p99 < 50 ms.

              --freezes=N            timed freezes (default 1000)
              --warmup-freezes=N     freezes sent first, not timed (default 20)
              --background-rate=N    messages/s of other traffic on JMS (default 1000; 0 for none)
              --interval=MS          pause between one freeze's arrival and the next (default 50)
            The gateway runs with its latency trace on (logger vn.lienthong.gateway.latency at DEBUG): the run
            also prints, per step of the path, p50/p99/max over the timed freezes.
              and the options of the throughput run: --data-dir, --keep-data, --gateway-heap, --jar,
              --timeout (default 10m), --gateway-jvm-arg, --lienthong.* ...
            """;

    private LatencyBenchmark() {
    }

    /** The mode's own options. */
    private record Options(int freezes, int warmup, int rate, int interval) {
    }

    /** Runs the mode; the outcome's figures are p50, p99, max (ms), freezes, backgroundOffered and backgroundTaken (msg/s). */
    static BenchModes.Outcome run(String[] argv, PrintStream out) {
        ModeSupport.Opened<Options> opened = ModeSupport.open("latency", USAGE, argv, out, args -> new Options(
                ModeSupport.number("freezes", ModeSupport.take(args, "freezes"), 1000, 1),
                ModeSupport.number("warmup-freezes", ModeSupport.take(args, "warmup-freezes"), 20, 0),
                ModeSupport.number("background-rate", ModeSupport.take(args, "background-rate"), 1000, 0),
                ModeSupport.number("interval", ModeSupport.take(args, "interval"), 50, 0)));
        if (opened.outcome() != null) {
            return opened.outcome();
        }
        Options o = opened.options();
        ModeSupport s = opened.support();
        Map<String, Double> figures = new LinkedHashMap<>();
        LatencySteps[] steps = {null};
        out.printf(Locale.ROOT, "lienthong latency benchmark: %,d urgent freezes over REST to SBV's queue (+%d warm-up),"
                + " %,d msg/s of other traffic on JMS, data in %s%n", o.freezes(), o.warmup(), o.rate(), s.dataDir);
        String failure = s.attempt(() -> {
            s.startStack(b -> { });
            s.startGateway(List.of(LatencySteps.TRACE_ON), "gateway.log");
            Set<String> timed = ConcurrentHashMap.newKeySet();
            String failed = measure(s, o.freezes(), o.warmup(), o.rate(), o.interval(), figures, timed);
            if (failed == null) {
                // The last round's trace line follows its arrival on the queue by its outcome step.
                Thread.sleep(2000);
                steps[0] = LatencySteps.read(s.dataDir.resolve("gateway.log"), timed);
            }
            return failed;
        });
        return s.report(96, "lienthong latency benchmark (issue 12): urgent freeze.request over REST -> on SBV's JMS queue",
                () -> {
                    out.printf(Locale.ROOT, "freezes             %,.0f timed (+%d warm-up), %d ms apart; requester %s over"
                            + " REST, SBV's channel %s%n", figures.getOrDefault("freezes", 0.0), o.warmup(), o.interval(),
                            REQUESTER, SBV_OUT);
                    if (figures.containsKey("p50")) {
                        out.printf(Locale.ROOT, "REST accepted       p50 %.1f ms, p99 %.1f ms (POST until its 202)%n",
                                figures.get("acceptP50"), figures.get("acceptP99"));
                        if (figures.get("retries") > 0) {
                            out.printf(Locale.ROOT, "retries             %,.0f POSTs answered 503 and sent again a second"
                                    + " later (counted in the times)%n", figures.get("retries"));
                        }
                        out.printf(Locale.ROOT, "on SBV's queue      p50 %.1f ms, p99 %.1f ms, max %.1f ms   target p99 < %d"
                                + " ms: %s%n", figures.get("p50"), figures.get("p99"), figures.get("max"),
                                TARGET_P99.toMillis(), figures.get("p99") < TARGET_P99.toMillis() ? "MET" : "NOT MET");
                        out.printf(Locale.ROOT, "background          %,d msg/s asked, %,.0f msg/s put on bench.in, %,.0f msg/s"
                                + " taken by the gateway (receipts) over the timed window%n", o.rate(),
                                figures.get("backgroundOffered"), figures.get("backgroundTaken"));
                    }
                    if (steps[0] != null && !steps[0].isEmpty()) {
                        steps[0].print(out);
                    }
                }, failure, figures);
    }

    private static String measure(ModeSupport s, int freezes, int warmup, int rate, int interval,
            Map<String, Double> figures, Set<String> timed) throws Exception {
        Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
        ReceiptDrain receipts = new ReceiptDrain(s.jms, ThroughputBenchmark.BENCH_RECEIPTS);
        JmsLoad load = null;
        try (Connection connection = s.jms.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer sbv = session.createConsumer(session.createQueue(SBV_OUT));
            sbv.setMessageListener(message -> {
                long at = System.nanoTime();
                try {
                    String id = message.getStringProperty(DeliverySender.HEADER_MESSAGE_ID);
                    CompletableFuture<Long> waiting = id == null ? null : pending.remove(id);
                    if (waiting != null) {
                        waiting.complete(at);
                    }
                } catch (JMSException e) {
                    // A delivery without the id property is not one of the benchmark's freezes.
                }
            });
            connection.start();
            receipts.start();
            if (rate > 0) {
                // Enough ids for the whole bound at the asked rate; the producer is stopped when the freezes are done.
                int n = (int) Math.min(2_000_000L, Math.max(1000L, rate * Math.max(60, s.remaining().toSeconds())));
                String[] ids = new String[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = UUID.randomUUID().toString();
                }
                load = new JmsLoad(s.jms, ThroughputBenchmark.BENCH_IN, BenchMessages.of(1024), ids,
                        Math.max(1, rate / 50), s.benchAuthorization).limitRate(rate);
                load.start();
                // A few seconds of background first, so the freezes meet traffic in flight, not its start.
                Thread.sleep(3000);
                if (load.failure() != null) {
                    return "the background producer failed: " + load.failure();
                }
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            byte[] example;
            try (InputStream in = LatencyBenchmark.class.getClassLoader().getResourceAsStream(EXAMPLE)) {
                if (in == null) {
                    throw new BenchmarkFailure(EXAMPLE + " is not on the class path");
                }
                example = in.readAllBytes();
            }
            double[] accepted = new double[freezes];
            double[] arrived = new double[freezes];
            long windowStart = 0;
            int sentBefore = 0;
            int receiptsBefore = 0;
            int retries = 0;
            for (int i = -warmup; i < freezes; i++) {
                if (i == 0) {
                    windowStart = System.nanoTime();
                    sentBefore = load == null ? 0 : load.committed();
                    receiptsBefore = receipts.received();
                }
                s.checkDeadline("freeze " + (i + warmup + 1) + " of " + (freezes + warmup) + " was sent");
                if (load != null && load.failure() != null) {
                    return "the background producer failed: " + load.failure();
                }
                if (!s.gateway.alive()) {
                    return "the gateway exited; its log ends with:\n" + s.gateway.logTail(40);
                }
                String id = UUID.randomUUID().toString();
                byte[] body = freeze(example, id);
                CompletableFuture<Long> arrival = new CompletableFuture<>();
                pending.put(id, arrival);
                HttpRequest request = HttpRequest.newBuilder(URI.create(s.gatewayUrl() + "/api/v1/messages"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Authorization", s.bearer(REQUESTER_CLIENT))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                // As an integrator does: a 503 (the gateway cannot reach Keycloak just now) is sent again a second later;
                // the time counts from the first attempt.
                for (int attempt = 1; response.statusCode() == 503 && attempt <= RETRIES_ON_503; attempt++) {
                    retries++;
                    Thread.sleep(1000);
                    response = http.send(request, HttpResponse.BodyHandlers.ofString());
                }
                long t1 = System.nanoTime();
                if (response.statusCode() != 202) {
                    return "freeze " + id + " was answered HTTP " + response.statusCode() + ": " + response.body();
                }
                long at;
                try {
                    at = arrival.get(ARRIVAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    return "freeze " + id + " was accepted but not on " + SBV_OUT + " within " + ARRIVAL_TIMEOUT.toSeconds()
                            + " s";
                } catch (ExecutionException e) {
                    return "waiting for freeze " + id + " failed: " + e.getCause();
                }
                if (i >= 0) {
                    timed.add(id);
                    accepted[i] = (t1 - t0) / 1e6;
                    arrived[i] = (at - t0) / 1e6;
                    if ((i + 1) % 100 == 0) {
                        s.out.printf(Locale.ROOT, "  [latency] %,d/%,d freezes, last %.1f ms; background sent %,d,"
                                + " gateway receipts %,d%n", i + 1, freezes, arrived[i], load == null ? 0
                                : load.committed(), receipts.received());
                    }
                }
                if (interval > 0) {
                    Thread.sleep(interval);
                }
            }
            long window = System.nanoTime() - windowStart;
            Arrays.sort(accepted);
            Arrays.sort(arrived);
            figures.put("freezes", (double) freezes);
            figures.put("retries", (double) retries);
            figures.put("acceptP50", ModeSupport.percentile(accepted, 50));
            figures.put("acceptP99", ModeSupport.percentile(accepted, 99));
            figures.put("p50", ModeSupport.percentile(arrived, 50));
            figures.put("p99", ModeSupport.percentile(arrived, 99));
            figures.put("max", arrived[arrived.length - 1]);
            figures.put("backgroundOffered", load == null ? 0 : (load.committed() - sentBefore) / (window / 1e9));
            figures.put("backgroundTaken", (receipts.received() - receiptsBefore) / (window / 1e9));
            return null;
        } finally {
            if (load != null) {
                load.stopAndJoin(15_000);
            }
            receipts.stopAndJoin(15_000);
        }
    }

    /** The example FREEZE as MOIT.DMS sends it: its own id, decision number and creation time. */
    static byte[] freeze(byte[] example, String id) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(example);
        m.put("messageId", id);
        m.put("sender", REQUESTER);
        // A case of its own, as each freeze decision is: freezes of one correlationId share an order
        // key, so each would wait for the previous one's dispatch round to commit (per-key order).
        m.put("correlationId", "BENCH-" + id);
        m.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339_SECONDS));
        ObjectNode decision = (ObjectNode) m.at("/payload/decision");
        // A decision of its own: the conflict rule refuses a second FREEZE of one decision and account.
        decision.put("number", "BENCH-" + id.substring(0, 8));
        decision.with("issuer").put("agency", REQUESTER);
        decision.with("legalGround").put("code", "DECREE_296_2025");
        return JSON.writeValueAsBytes(m);
    }
}

package vn.lienthong.gateway.dispatch;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.channels.GatewaySettings;
import vn.lienthong.gateway.journal.LatencyTrace;

/**
 * The outbox poller, in the steps of DESIGN §2 so that the route console shows them: at each tick
 * (route {@value #ROUTE}), rounds until a round claims nothing; each round (route
 * {@value #ROUND_ROUTE}) is one database transaction: {@value #CLAIM} due deliveries (locked while
 * the round lasts), {@value #ENCODE} each in its recipient's format, {@value #DELIVER} to the
 * recipients' channels, {@value #OUTCOME} recorded (delivered, or a failed attempt and its retry).
 * The transaction is the Spring policy {@value #TRANSACTION}. An urgent delivery just committed
 * wakes route {@value #WAKE_ROUTE} at once, so it does not wait for the next tick nor for a round in
 * progress. Urgent deliveries have a lane of their own (DESIGN §8, issue 12: a freeze on the
 * recipient's queue in milliseconds while other traffic flows): the wake's rounds claim urgent
 * deliveries only, at most {@value #URGENT_BATCH} a round,
 * and normal rounds leave them alone, so a freeze never rides in (nor waits for) a normal round's
 * batch. Four urgent rounds may run at once, so that a wake does not wait for earlier urgent
 * rounds' outcomes and commits (their audit lock; freezes come closer together than a round
 * lasts); a wake's rounds follow each other until one claims nothing (a round's commit may make
 * the next urgent delivery of a key its head). Route
 * {@value #URGENT_TICK_ROUTE} wakes the urgent lane at each poll interval, for urgent deliveries
 * whose wake was lost or went to another instance, and urgent retries. Rows are claimed
 * with {@code skip locked} and only an order key's head is claimable, so concurrent rounds keep
 * per-key order (a key's head is in one lane or the other). Dispatch keeps pace with ingress (issue 12
 * point 3): normal rounds grow under a backlog ({@link #withMaxBatch}) and several normal pollers
 * run rounds at once ({@link #withPollers}), their claims skipping each other's locked rows.
 */
public final class DispatchRoutes extends RouteBuilder {

    /** The poller's route. */
    public static final String ROUTE = "dispatch";
    /** The route of one round, one transaction. */
    public static final String ROUND_ROUTE = "dispatch-round";
    /** Step: due deliveries claimed, locked until the round commits. */
    public static final String CLAIM = "claim";
    /** Step: each in its recipient's format. */
    public static final String ENCODE = "encode";
    /** Step: to the recipients' channels. */
    public static final String DELIVER = "deliver";
    /** Step: each outcome recorded, with its retry or FAILED. */
    public static final String OUTCOME = "outcome";
    /** The steps of a round, in this order. */
    public static final List<String> STEPS = List.of(CLAIM, ENCODE, DELIVER, OUTCOME);
    /** The route of one round run at once when an urgent delivery was committed. */
    public static final String WAKE_ROUTE = "dispatch-urgent";
    /**
     * Where a wake is sent: a queue of one, further wakes dropped while one waits (the waiting one's
     * round claims them all, urgent first).
     */
    public static final String WAKE = "seda:dispatch-wake?size=1&discardWhenFull=true&concurrentConsumers=4";
    /** The urgent lane's own poller, which wakes route {@value #WAKE_ROUTE} at each poll interval. */
    public static final String URGENT_TICK_ROUTE = "dispatch-urgent-tick";
    /** The most deliveries an urgent round claims: a freeze must not wait for a batch's sends. */
    public static final int URGENT_BATCH = 20;
    /** The name of the Spring transaction policy bean a round runs in. */
    public static final String TRANSACTION = "dispatchTransaction";

    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    /** Exchange property: how many deliveries the last round claimed. */
    private static final String CLAIMED = "lienthong.claimed";
    /** Exchange property: the round claims urgent deliveries only (set by the wake's route). */
    private static final String URGENT_ONLY = "lienthong.urgentOnly";
    /** Exchange property: the latency trace's readings of the round ({@link System#nanoTime}). */
    private static final String MARKS = "lienthong.roundMarks";
    /** Exchange property: when the commit that woke an urgent round ended ({@link System#nanoTime}). */
    private static final String WOKEN = "lienthong.woken";

    private final Outbox outbox;
    private final DeliverySender sender;
    private final GatewaySettings.Dispatch settings;
    /** The most deliveries a normal round claims under a backlog; the batch size when not set. */
    private int maxBatch;
    /** What the next normal round claims: doubled after each full round, up to {@link #maxBatch}. */
    private volatile int normalBatch;
    /** How many normal pollers run rounds at once. */
    private int pollers = 1;

    /** The poller over the outbox. */
    public DispatchRoutes(Outbox outbox, DeliverySender sender, GatewaySettings.Dispatch settings) {
        this.outbox = outbox;
        this.sender = sender;
        this.settings = settings;
        this.maxBatch = settings.batchSize();
        this.normalBatch = settings.batchSize();
    }

    /**
     * Under a backlog, normal rounds grow: a round that claimed as many as it asked for doubles the
     * next one's batch, up to {@code maxBatch} (at least the batch size); one that claimed fewer
     * goes back to the batch size. Fewer, bigger rounds: one claim, one Kafka transaction or JMS
     * commit, one outcome update and one audit link per round. Returns this.
     */
    public DispatchRoutes withMaxBatch(int maxBatch) {
        this.maxBatch = Math.max(settings.batchSize(), maxBatch);
        return this;
    }

    /**
     * {@code pollers} normal pollers (at least one): route {@value #ROUTE}, then {@value #ROUTE}-2
     * and so on, each running rounds of its own at the same time. Returns this.
     */
    public DispatchRoutes withPollers(int pollers) {
        this.pollers = Math.max(1, pollers);
        return this;
    }

    @Override
    public void configure() {
        for (int poller = 1; poller <= pollers; poller++) {
            // Pollers after the first: rounds of their own at the same time (claims skip each
            // other's locked rows, a key's head is in one round only), so one round's waits on
            // PostgreSQL and Kafka do not hold back the whole outbox.
            String id = poller == 1 ? ROUTE : ROUTE + "-" + poller;
            from("timer:" + id + "?fixedRate=false&delay=0&period=" + settings.pollInterval().toMillis())
                    .routeId(id)
                    .routeDescription("claims due deliveries round after round until a round finds none")
                    .autoStartup(settings.enabled())
                    // Until a round finds nothing: with order keys a round may claim fewer than the
                    // batch size while work remains behind them.
                    .loopDoWhile(exchange -> exchange.getProperty(CLAIMED, 1, Integer.class) > 0).id(poller == 1 ? "rounds" : id + ".rounds")
                        .to("direct:" + ROUND_ROUTE).id(poller == 1 ? "round" : id + ".round")
                    .end();
        }

        from(WAKE)
                .routeId(WAKE_ROUTE)
                .routeDescription("urgent deliveries only, at once when one was committed (and at each tick)")
                .autoStartup(settings.enabled())
                .process(exchange -> {
                    exchange.setProperty(URGENT_ONLY, true);
                    exchange.setProperty(WOKEN, exchange.getMessage().getBody(Long.class));
                    exchange.removeProperty(CLAIMED);
                }).id("urgent-only")
                // Until a round finds nothing: a burst is not left to the next tick, and a delivery
                // this round's commit made its key's head (an urgent freeze behind the previous one
                // of its key, committed while that one's round ran) is claimed at once.
                .loopDoWhile(exchange -> exchange.getProperty(CLAIMED, 1, Integer.class) > 0).id("urgent-rounds")
                    .to("direct:" + ROUND_ROUTE).id("urgent-round")
                .end();

        // A poller's tick of its own for the urgent lane (the normal poller's loop may run long):
        // urgent deliveries no commit of this instance woke it for, and urgent retries.
        from("timer:dispatch-urgent-tick?fixedRate=false&delay=0&period=" + settings.pollInterval().toMillis())
                .routeId(URGENT_TICK_ROUTE)
                .routeDescription("wakes the urgent lane at each poll interval")
                .autoStartup(settings.enabled())
                .to(WAKE).id("urgent-tick");

        from("direct:" + ROUND_ROUTE)
                .routeId(ROUND_ROUTE)
                .routeDescription("one round in one database transaction: claim, encode, deliver, outcome")
                .transacted(TRANSACTION).id("transaction")
                .process(this::claim).id(CLAIM)
                .process(exchange -> {
                    sender.encode(round(exchange));
                    mark(exchange, 2);
                }).id(ENCODE)
                .doTry().id("deliver-guard")
                    .process(exchange -> sender.deliver(round(exchange))).id(DELIVER)
                .doCatch(Exception.class)
                    .process(DispatchRoutes::deliverFailed).id("deliver-failed")
                .end()
                .process(this::outcome).id(OUTCOME);
    }

    /** The claim step: up to the batch size of due deliveries, locked in the round's transaction. */
    private void claim(Exchange exchange) {
        long start = System.nanoTime();
        boolean urgentOnly = exchange.getProperty(URGENT_ONLY, false, Boolean.class);
        List<DueDelivery> claimed;
        if (urgentOnly) {
            claimed = outbox.claimUrgent(urgentBatch());
        } else {
            int asked = normalBatch;
            claimed = outbox.claimNormal(asked);
            normalBatch = claimed.size() >= asked ? (int) Math.min(maxBatch, 2L * asked) : settings.batchSize();
        }
        exchange.setProperty(CLAIMED, claimed.size());
        exchange.getMessage().setBody(new DispatchRound(claimed));
        if (LatencyTrace.on()) {
            long[] marks = new long[5];
            marks[0] = start;
            exchange.setProperty(MARKS, marks);
            mark(exchange, 1);
        }
    }

    /** The most deliveries an urgent round claims: {@value #URGENT_BATCH}, or fewer if the batch size is smaller. */
    private int urgentBatch() {
        return Math.min(URGENT_BATCH, settings.batchSize());
    }

    /** The latency trace's reading {@code at} (1 claimed, 2 encoded, 3 delivered, 4 outcome), when on. */
    private static void mark(Exchange exchange, int at) {
        long[] marks = exchange.getProperty(MARKS, long[].class);
        if (marks != null) {
            marks[at] = System.nanoTime();
        }
    }

    /**
     * The latency trace's line for each urgent delivery of the round: since its journal commit (or
     * the commit that woke the round), then each step; the commit follows the outcome step.
     */
    private static void trace(Exchange exchange, DispatchRound round) {
        long[] marks = exchange.getProperty(MARKS, long[].class);
        if (marks == null) {
            return;
        }
        Long woken = exchange.getProperty(WOKEN, Long.class);
        boolean urgentOnly = exchange.getProperty(URGENT_ONLY, false, Boolean.class);
        for (DueDelivery d : round.claimed()) {
            if (urgentOnly || LatencyTrace.followed(d.messageId())) {
                // From the message's own commit when the journal noted it (a wake's later rounds, or
                // a tick's, claim messages committed after the exchange's wake), else from the wake.
                Long committed = LatencyTrace.committedAt(d.messageId());
                Object wake = committed != null ? LatencyTrace.ms(committed, marks[0])
                        : woken == null ? "-" : LatencyTrace.ms(woken, marks[0]);
                LatencyTrace.log("round", d.messageId(), "kind", urgentOnly ? "urgent" : "normal",
                        "wake", wake,
                        "claim", LatencyTrace.ms(marks[0], marks[1]), "encode", LatencyTrace.ms(marks[1], marks[2]),
                        "deliver", LatencyTrace.ms(marks[2], marks[3]), "outcome", LatencyTrace.ms(marks[3], marks[4]),
                        "claimed", round.claimed().size(), "recipient", d.recipient(), "channel", d.channel().yamlName());
            }
        }
    }

    /**
     * A deliver step that throws failed every delivery it had not given an outcome; the exception's
     * message may quote the payload, so only its class is kept.
     */
    private static void deliverFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String name = e == null ? "unknown" : e.getClass().getSimpleName();
        DispatchRound round = round(exchange);
        LOG.warn("deliver step failed on {} deliveries: {}", round.pending().size(), e == null ? name : e.getClass().getName());
        round.failPending("sender error: " + name);
    }

    /** The outcome step: every outcome recorded in the round's transaction, which then commits. */
    private void outcome(Exchange exchange) {
        mark(exchange, 3);
        DispatchRound round = round(exchange);
        outbox.recordOutcomes(round.claimed(), round.outcomes());
        mark(exchange, 4);
        trace(exchange, round);
    }

    private static DispatchRound round(Exchange exchange) {
        return exchange.getMessage().getBody(DispatchRound.class);
    }
}

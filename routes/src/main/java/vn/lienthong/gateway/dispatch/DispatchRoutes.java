package vn.lienthong.gateway.dispatch;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.channels.GatewaySettings;

/**
 * The outbox poller, in the steps of DESIGN §2 so that the route console shows them: at each tick
 * (route {@value #ROUTE}), rounds until a round claims nothing; each round (route
 * {@value #ROUND_ROUTE}) is one database transaction: {@value #CLAIM} due deliveries (locked while
 * the round lasts), {@value #ENCODE} each in its recipient's format, {@value #DELIVER} to the
 * recipients' channels, {@value #OUTCOME} recorded (delivered, or a failed attempt and its retry).
 * The transaction is the Spring policy {@value #TRANSACTION}. An urgent delivery just committed
 * wakes route {@value #WAKE_ROUTE} for one round at once (urgent deliveries are claimed first), so it
 * does not wait for the next tick nor for a round in progress.
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
    public static final String WAKE = "seda:dispatch-wake?size=1&discardWhenFull=true";
    /** The name of the Spring transaction policy bean a round runs in. */
    public static final String TRANSACTION = "dispatchTransaction";

    private static final Logger LOG = LoggerFactory.getLogger(DispatchRoutes.class);
    /** Exchange property: how many deliveries the last round claimed. */
    private static final String CLAIMED = "lienthong.claimed";

    private final Outbox outbox;
    private final DeliverySender sender;
    private final GatewaySettings.Dispatch settings;

    /** The poller over the outbox. */
    public DispatchRoutes(Outbox outbox, DeliverySender sender, GatewaySettings.Dispatch settings) {
        this.outbox = outbox;
        this.sender = sender;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("timer:dispatch?fixedRate=false&delay=0&period=" + settings.pollInterval().toMillis())
                .routeId(ROUTE)
                .routeDescription("claims due deliveries round after round until a round finds none")
                .autoStartup(settings.enabled())
                // Until a round finds nothing: with order keys a round may claim fewer than the
                // batch size while work remains behind them.
                .loopDoWhile(exchange -> exchange.getProperty(CLAIMED, 1, Integer.class) > 0).id("rounds")
                    .to("direct:" + ROUND_ROUTE).id("round")
                .end();

        from(WAKE)
                .routeId(WAKE_ROUTE)
                .routeDescription("one round at once when an urgent delivery was committed")
                .autoStartup(settings.enabled())
                .to("direct:" + ROUND_ROUTE).id("urgent-round");

        from("direct:" + ROUND_ROUTE)
                .routeId(ROUND_ROUTE)
                .routeDescription("one round in one database transaction: claim, encode, deliver, outcome")
                .transacted(TRANSACTION).id("transaction")
                .process(this::claim).id(CLAIM)
                .process(exchange -> sender.encode(round(exchange))).id(ENCODE)
                .doTry().id("deliver-guard")
                    .process(exchange -> sender.deliver(round(exchange))).id(DELIVER)
                .doCatch(Exception.class)
                    .process(DispatchRoutes::deliverFailed).id("deliver-failed")
                .end()
                .process(this::outcome).id(OUTCOME);
    }

    /** The claim step: up to the batch size of due deliveries, locked in the round's transaction. */
    private void claim(Exchange exchange) {
        List<DueDelivery> claimed = outbox.claim(settings.batchSize());
        exchange.setProperty(CLAIMED, claimed.size());
        exchange.getMessage().setBody(new DispatchRound(claimed));
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
        DispatchRound round = round(exchange);
        outbox.recordOutcomes(round.claimed(), round.outcomes());
    }

    private static DispatchRound round(Exchange exchange) {
        return exchange.getMessage().getBody(DispatchRound.class);
    }
}

package vn.lienthong.gateway.dispatch;

import org.apache.camel.builder.RouteBuilder;
import vn.lienthong.gateway.channels.GatewaySettings;

/**
 * The outbox poller: at each tick, claims due deliveries round after round until a round finds none,
 * sending each batch and recording its outcomes in the claiming transaction.
 */
public final class DispatchRoutes extends RouteBuilder {

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
                .routeId("dispatch")
                .autoStartup(settings.enabled())
                .process(exchange -> {
                    // Until a round finds nothing: with order keys a round may claim fewer than
                    // the batch size while work remains behind them.
                    while (outbox.dispatch(settings.batchSize(), sender::send) > 0) {
                        // next round
                    }
                });
    }
}

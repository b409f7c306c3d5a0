package vn.lienthong.gateway.tracking;

import static vn.lienthong.gateway.channels.RestCalls.json;
import static vn.lienthong.gateway.channels.RestCalls.problem;
import static vn.lienthong.gateway.channels.RestCalls.respond;

import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.registry.Agency;

/** Message tracking over REST: {@code GET /api/v1/messages/{id}}, status and each delivery, for its sender and recipients. */
public final class TrackingRoutes extends RouteBuilder {

    private final RestCalls calls;
    private final MessageTracking tracking;

    /** The tracking route over {@code tracking}. */
    public TrackingRoutes(RestCalls calls, MessageTracking tracking) {
        this.calls = calls;
        this.tracking = tracking;
    }

    @Override
    public void configure() {
        rest("/api/v1")
                .get("/messages/{id}").routeId("api-message").to("direct:api-message");

        from("direct:api-message").routeId("api-message-process").process(this::message);
    }

    private void message(Exchange exchange) {
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        Optional<UUID> id = RestCalls.uuid(exchange.getMessage().getHeader("id", String.class));
        Optional<MessageView> view = id.flatMap(i -> tracking.message(i, agency.get().code()));
        if (view.isEmpty()) {
            problem(exchange, 404, "NOT_FOUND", "no message with this id that " + agency.get().code() + " sent or receives");
            return;
        }
        respond(exchange, 200, json(view.get()));
    }
}

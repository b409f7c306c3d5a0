package vn.lienthong.gateway.ingress;

import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import vn.lienthong.gateway.dispatch.DispatchBacklog;

/**
 * The backpressure step of the queued channels' routes: waits while dispatch's backlog holds the
 * intake, and gives up waiting (the batch goes on) when its route or the gateway is stopping.
 */
final class Backpressure {

    private Backpressure() {
    }

    /** Waits before this exchange's batch is taken on, while {@code backlog} holds the intake. */
    static void await(DispatchBacklog backlog, Exchange exchange) throws InterruptedException {
        backlog.awaitRoom(() -> stopping(exchange));
    }

    private static boolean stopping(Exchange exchange) {
        var context = exchange.getContext();
        if (!context.getStatus().isStarted()) {
            return true;
        }
        String routeId = exchange.getFromRouteId();
        ServiceStatus status = routeId == null ? null : context.getRouteController().getRouteStatus(routeId);
        return status != null && !status.isStarted();
    }
}

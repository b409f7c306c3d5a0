package vn.lienthong.gateway.ingress;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.identity.AgencyDirectory;

/**
 * Suspends the agencies' ingress routes (JMS, Kafka, SFTP: ids {@code ingress-*}) while the gateway
 * cannot tell who is enabled, and resumes them once Keycloak answers: inputs wait on their broker
 * or in their folder instead of being rolled back into a dead-letter queue or refused.
 */
public final class IngressGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngressGate.class);
    private static final String INGRESS = "ingress-";

    private final CamelContext camel;
    // Suspending waits for in-flight inputs: not on the directory's thread.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ingress-gate");
        thread.setDaemon(true);
        return thread;
    });

    /** A gate on the context's ingress routes, following the directory once the routes have started. */
    public IngressGate(CamelContext camel, AgencyDirectory directory) {
        this.camel = camel;
        camel.addStartupListener((context, alreadyStarted) ->
                directory.onAvailability(available -> worker.execute(() -> apply(available))));
    }

    private void apply(boolean open) {
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            if (!id.startsWith(INGRESS)) {
                continue;
            }
            ServiceStatus status = camel.getRouteController().getRouteStatus(id);
            try {
                if (open && status == ServiceStatus.Suspended) {
                    camel.getRouteController().resumeRoute(id);
                    LOG.info("{} resumed: Keycloak answers again", id);
                } else if (!open && status == ServiceStatus.Started) {
                    camel.getRouteController().suspendRoute(id);
                    LOG.warn("{} suspended until Keycloak answers", id);
                }
            } catch (Exception e) {
                LOG.warn("{} could not be {}: {}", id, open ? "resumed" : "suspended", e.toString());
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

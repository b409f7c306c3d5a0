package vn.lienthong.gateway.ingress;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ExtendedStartupListener;
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
    /** The routes this gate took down (a consumer that cannot suspend is stopped instead). */
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    /** Of those, the ones it had to stop: only these does it start again. */
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    // Suspending waits for in-flight inputs: not on the directory's thread.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ingress-gate");
        thread.setDaemon(true);
        return thread;
    });

    /** A gate on the context's ingress routes, following the directory once the routes have started. */
    public IngressGate(CamelContext camel, AgencyDirectory directory) {
        this.camel = camel;
        try {
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // Routes are not started yet: wait for onCamelContextFullyStarted.
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    directory.onAvailability(available -> worker.execute(() -> apply(available)));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("the ingress gate cannot follow the Camel context's start", e);
        }
    }

    private void apply(boolean open) {
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            if (!id.startsWith(INGRESS)) {
                continue;
            }
            ServiceStatus status = camel.getRouteController().getRouteStatus(id);
            try {
                if (open && paused.remove(id)) {
                    if (status == ServiceStatus.Suspended) {
                        camel.getRouteController().resumeRoute(id);
                    } else if (stopped.remove(id)) {
                        camel.getRouteController().startRoute(id);
                    } else {
                        // Stopped since by someone else (an SFTP folder another instance now leads): stays so.
                        continue;
                    }
                    LOG.info("{} reads again: Keycloak answers", id);
                } else if (!open && status == ServiceStatus.Started) {
                    paused.add(id);
                    camel.getRouteController().suspendRoute(id);
                    if (camel.getRouteController().getRouteStatus(id) != ServiceStatus.Suspended) {
                        stopped.add(id);
                    }
                    LOG.warn("{} paused until Keycloak answers", id);
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

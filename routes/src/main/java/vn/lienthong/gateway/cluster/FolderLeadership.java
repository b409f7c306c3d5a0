package vn.lienthong.gateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Runs each elected route (the SFTP inbox pollers, ids {@code ingress-sftp-*}, which do not start on
 * their own) on exactly one gateway instance at a time: one Spring Integration
 * {@link LockRegistryLeaderInitiator} per route, its role the route id, over the JDBC lock registry
 * on the journal's PostgreSQL. The leader renews its lock every heartbeat; a leader that dies stops
 * renewing, and another instance takes the route over once the lock's time to live has passed
 * (at most TTL + heartbeat after the death). A leader that cannot renew (database gone) stops its
 * route at once, so two instances never poll one folder while the database answers both.
 */
public final class FolderLeadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderLeadership.class);

    private final CamelContext camel;
    private final LockRegistry locks;
    private final String routePrefix;
    private final Duration heartbeat;
    private final List<LockRegistryLeaderInitiator> initiators = new ArrayList<>();
    private final Set<String> leading = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, LockRegistryLeaderInitiator> standing = new java.util.HashMap<>();
    private volatile boolean begun;
    /** This instance's name in the logs (the lock rows hold the lock repository's own client id). */
    private final String instance = UUID.randomUUID().toString().substring(0, 8);

    /**
     * Elections for the context's routes whose id starts with {@code routePrefix}, begun once the
     * Camel context has fully started (the routes exist then, stopped).
     */
    public FolderLeadership(CamelContext camel, LockRegistry locks, String routePrefix, Duration heartbeat) {
        this.camel = camel;
        this.locks = locks;
        this.routePrefix = routePrefix;
        this.heartbeat = heartbeat;
        try {
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // Routes are not all there yet: wait for onCamelContextFullyStarted.
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    begin();
                }
            });
            // At shutdown, before the routes stop and the database goes: the folders are released at
            // once, not after the TTL. (Not a Spring SmartLifecycle: depending on the Camel context, it
            // would make Spring start Camel before its routes are added.)
            camel.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStopping(CamelContext context) {
                    close();
                }

                // A registry reload adds SFTP routes to a running context: they stand for election too.
                @Override
                public void onRoutesAdd(java.util.Collection<Route> routes) {
                    if (begun) {
                        routes.forEach(route -> stand(route.getRouteId()));
                    }
                }

                @Override
                public void onRoutesRemove(java.util.Collection<Route> routes) {
                    routes.forEach(route -> withdraw(route.getRouteId()));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("the SFTP leader election cannot follow the Camel context's start", e);
        }
    }

    private synchronized void begin() {
        begun = true;
        for (Route route : camel.getRoutes()) {
            stand(route.getRouteId());
        }
        LOG.info("instance {} stands for election to {} routes {}*", instance, initiators.size(), routePrefix);
    }

    private synchronized void stand(String id) {
        if (!id.startsWith(routePrefix) || standing.containsKey(id)) {
            return;
        }
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(locks, new RouteCandidate(id));
        initiator.setHeartBeatMillis(heartbeat.toMillis());
        initiator.setPublishFailedEvents(false);
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("leader-" + id + "-");
        executor.setDaemon(true);
        initiator.setTaskExecutor(executor);
        initiator.start();
        initiators.add(initiator);
        standing.put(id, initiator);
    }

    /** A route removed (a registry reload replaces or drops a channel): its candidacy ends, its lock is released. */
    private synchronized void withdraw(String id) {
        LockRegistryLeaderInitiator initiator = standing.remove(id);
        if (initiator != null) {
            initiators.remove(initiator);
            initiator.stop();
            leading.remove(id);
        }
    }

    /** Whether this instance leads (runs) the route now. */
    public boolean leads(String routeId) {
        return leading.contains(routeId);
    }

    /** The routes this instance leads now. */
    public Set<String> leading() {
        return Set.copyOf(leading);
    }

    /** Stops standing: each route led here is stopped and its lock released, for another instance to take. */
    @Override
    public synchronized void close() {
        for (LockRegistryLeaderInitiator initiator : initiators) {
            try {
                initiator.stop();
            } catch (RuntimeException e) {
                LOG.warn("leader election of {} did not stop cleanly: {}", initiator.getContext().getRole(), e.toString());
            }
        }
        initiators.clear();
        standing.clear();
        begun = false;
    }

    /** One route's candidacy: granted, the route starts; revoked, it stops (an input in flight finishes first). */
    private final class RouteCandidate extends DefaultCandidate {

        RouteCandidate(String routeId) {
            super(instance, routeId);
        }

        @Override
        public void onGranted(Context context) {
            String id = getRole();
            try {
                if (camel.getRouteController().getRouteStatus(id) != ServiceStatus.Started) {
                    camel.getRouteController().startRoute(id);
                }
                leading.add(id);
                LOG.info("instance {} leads {}: it polls the folder", instance, id);
            } catch (Exception e) {
                LOG.warn("instance {} was elected for {} but could not start it: {}", instance, id, e.toString());
                context.yield();
            }
        }

        @Override
        public void onRevoked(Context context) {
            String id = getRole();
            leading.remove(id);
            try {
                if (camel.getStatus().isStarted()) {
                    camel.getRouteController().stopRoute(id);
                }
                LOG.info("instance {} no longer leads {}: another instance may poll the folder", instance, id);
            } catch (Exception e) {
                LOG.warn("instance {} lost {} and could not stop it: {}", instance, id, e.toString());
            }
        }
    }
}

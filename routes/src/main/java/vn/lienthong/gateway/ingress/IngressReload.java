package vn.lienthong.gateway.ingress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.Registry;

/**
 * Keeps the running ingress routes in step with a reloaded registry through Camel's route API: a
 * channel that is new gets its route, one that changed (queue, topic, folder, format, signatures)
 * is stopped, removed and built again, one that is gone is stopped and removed. Inputs in flight on a
 * removed route finish first (Camel's graceful stop).
 */
public final class IngressReload implements BiConsumer<Registry, Registry> {

    private static final Logger LOG = LoggerFactory.getLogger(IngressReload.class);

    private final CamelContext camel;
    private final List<ChannelIngressRoutes> builders;

    /** Adapts the routes these builders made in {@code camel}. */
    public IngressReload(CamelContext camel, List<ChannelIngressRoutes> builders) {
        this.camel = Objects.requireNonNull(camel, "camel");
        this.builders = List.copyOf(builders);
    }

    @Override
    public void accept(Registry previous, Registry next) {
        for (ChannelIngressRoutes builder : builders) {
            Set<String> codes = new LinkedHashSet<>();
            previous.agencies().forEach(a -> codes.add(a.code()));
            next.agencies().forEach(a -> codes.add(a.code()));
            List<String> remove = new ArrayList<>();
            Set<String> add = new LinkedHashSet<>();
            for (String code : codes) {
                List<Channel> before = previous.agency(code).map(a -> a.channels(builder.kind())).orElse(List.of());
                List<Channel> after = next.agency(code).map(a -> a.channels(builder.kind())).orElse(List.of());
                if (before.equals(after)) {
                    continue;
                }
                String id = builder.routeIdOf(code);
                if (camel.getRoute(id) != null) {
                    remove.add(id);
                }
                if (!after.isEmpty()) {
                    add.add(id);
                }
            }
            try {
                for (String id : remove) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                    LOG.info("registry reload: ingress route {} removed", id);
                }
                if (!add.isEmpty()) {
                    camel.addRoutes(builder.only(next, add));
                    LOG.info("registry reload: ingress routes {} added", add);
                }
            } catch (Exception e) {
                throw new IllegalStateException("the ingress routes of " + builder.kind() + " could not follow the"
                        + " reloaded registry", e);
            }
        }
    }
}

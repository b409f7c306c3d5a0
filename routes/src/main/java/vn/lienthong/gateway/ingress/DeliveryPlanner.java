package vn.lienthong.gateway.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.v1.Envelope;

/**
 * Decides where each recipient gets a message: on the first channel the registry lists for it
 * whose format carries the message's type (its delivery channel), in that channel's format.
 */
public final class DeliveryPlanner {

    private final Supplier<Registry> registry;

    /** A planner over the given registry. */
    public DeliveryPlanner(Registry registry) {
        this(() -> registry);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public DeliveryPlanner(Supplier<Registry> registry) {
        this.registry = registry;
    }

    /** One delivery per recipient; recipients were checked by the policy. */
    public List<PlannedDelivery> plan(Envelope message) {
        List<PlannedDelivery> deliveries = new ArrayList<>();
        for (String code : message.recipients()) {
            Agency recipient = registry.get().agency(code).orElseThrow(() -> new IllegalStateException("unknown " + code));
            Channel channel = recipient.deliveryChannel(message.type());
            String orderKey = message.correlationId() == null ? null
                    : message.sender() + "|" + code + "|" + message.correlationId();
            deliveries.add(new PlannedDelivery(UUID.randomUUID(), code, channel.kind(), deliveryAddress(channel),
                    channel.format().name(), orderKey));
        }
        return deliveries;
    }

    /**
     * Where a channel takes deliveries: its outbound queue or topic, its SFTP folder, its push URL;
     * null for an inbox the agency pulls.
     */
    public static String deliveryAddress(Channel channel) {
        return channel.deliveryAddress();
    }
}

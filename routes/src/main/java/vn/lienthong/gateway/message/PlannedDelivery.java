package vn.lienthong.gateway.message;

import java.util.Objects;
import java.util.UUID;
import vn.lienthong.gateway.registry.ChannelKind;

/**
 * A delivery to create with an accepted message.
 *
 * @param address queue, topic, SFTP folder or push URL; null for an inbox the recipient pulls
 * @param format the recipient channel's format, which names the connector that encodes it
 * @param orderKey deliveries with the same key go out in acceptance order (sender, recipient,
 *     correlationId); null when the message has no correlationId
 */
public record PlannedDelivery(UUID id, String recipient, ChannelKind channel, String address, String format,
        String orderKey) {
    public PlannedDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(format, "format");
    }
}

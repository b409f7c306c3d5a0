package vn.lienthong.gateway.inbox;

import java.time.Instant;
import java.util.UUID;

/** One delivery waiting in a pulling agency's inbox. */
public record InboxItem(UUID deliveryId, UUID messageId, String sender, String type, String format,
        Instant receivedAt, byte[] canonical) {
}

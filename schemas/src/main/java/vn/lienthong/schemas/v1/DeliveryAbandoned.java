package vn.lienthong.schemas.v1;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/**
 * The gateway's notice to a sender that an operator abandoned one delivery of its message (the
 * envelope's {@code inReplyTo}): it will not be retried, and its order key no longer holds the
 * sender's later messages to that recipient.
 */
public record DeliveryAbandoned(
        UUID deliveryId,
        String recipient,
        int attempts,
        OffsetDateTime abandonedAt,
        String reason,
        boolean orderKeyReleased) implements Payload {

    public DeliveryAbandoned {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(abandonedAt, "abandonedAt");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public MessageType messageType() {
        return MessageType.DELIVERY_ABANDONED;
    }
}

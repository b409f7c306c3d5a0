package vn.lienthong.gateway.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message's status and each of its deliveries, for its sender and recipients; for the sender
 * also {@code receiptJws}, the signed receipt it was given (null for a recipient).
 */
public record MessageView(UUID messageId, String sender, String type, List<String> recipients, String correlationId,
        Instant createdAt, Instant receivedAt, String channel, List<DeliveryView> deliveries, String receiptJws) {

    /** One delivery's state. */
    public record DeliveryView(UUID deliveryId, String recipient, String channel, String status, int attempts,
            String lastError, Instant deliveredAt, Instant acknowledgedAt) {
    }
}

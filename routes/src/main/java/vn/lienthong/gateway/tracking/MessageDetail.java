package vn.lienthong.gateway.tracking;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One message for people at the operator's seat: every delivery with every attempt (errors masked). */
public record MessageDetail(UUID messageId, String sender, String type, List<String> recipients, String correlationId,
        String priority, String classification, String channel, String source, Instant createdAt, Instant receivedAt,
        List<Delivery> deliveries) {

    /** One delivery and its attempts. */
    public record Delivery(UUID deliveryId, String recipient, String channel, String address, String orderKey,
            String status, int attempts, Instant nextAttemptAt, String lastError, Instant deliveredAt,
            Instant acknowledgedAt, Instant abandonedAt, String abandonReason, List<Attempt> attemptLog) {
    }

    /** One attempt: when, DELIVERED or ERROR, and the error (masked). */
    public record Attempt(int attempt, Instant at, String outcome, String error) {
    }
}

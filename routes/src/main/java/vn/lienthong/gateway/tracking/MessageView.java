package vn.lienthong.gateway.tracking;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message's status and each of its deliveries, for its sender and recipients; for the sender
 * also {@code receiptJws}, the signed receipt it was given (null for a recipient). {@code signature}
 * says whether the input the gateway accepted was signed, and by whom.
 */
public record MessageView(UUID messageId, String sender, String type, List<String> recipients, String correlationId,
        Instant createdAt, Instant receivedAt, String channel, SignatureView signature, List<DeliveryView> deliveries,
        String receiptJws) {

    /**
     * What the accepted input's own signature established: {@code status} is {@code NOT_APPLICABLE}
     * (a format without signatures), {@code UNSIGNED} or {@code VERIFIED}; the signer's agency,
     * certificate subject and SHA-256 fingerprint are null unless verified.
     */
    public record SignatureView(String status, String signerAgency, String signerSubject, String signerFingerprint) {
    }

    /** One delivery's state. */
    public record DeliveryView(UUID deliveryId, String recipient, String channel, String status, int attempts,
            String lastError, Instant deliveredAt, Instant acknowledgedAt) {
    }
}

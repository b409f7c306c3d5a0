package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/** The gateway's receipt to a sender: accepted, or rejected with every error. */
public record Receipt(
        Status status,
        @JsonProperty("for") UUID forMessage,
        OffsetDateTime receivedAt,
        String inputSha256,
        Channel channel,
        Boolean duplicate,
        List<Error> errors,
        List<Delivery> deliveries,
        Signature signature) implements Payload {

    /** Checks the members a status requires. */
    public Receipt {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(inputSha256, "inputSha256");
        Objects.requireNonNull(channel, "channel");
        errors = errors == null ? null : List.copyOf(errors);
        if (status == Status.REJECTED && (errors == null || errors.isEmpty())) {
            throw new IllegalArgumentException("a REJECTED receipt lists its errors");
        }
        if (status == Status.ACCEPTED) {
            Objects.requireNonNull(forMessage, "for (an ACCEPTED receipt names the message)");
        }
        deliveries = deliveries == null ? null : List.copyOf(deliveries);
    }

    /** A receipt without a signature member (an input of a format that carries no signature of its own). */
    public Receipt(Status status, UUID forMessage, OffsetDateTime receivedAt, String inputSha256, Channel channel,
            Boolean duplicate, List<Error> errors, List<Delivery> deliveries) {
        this(status, forMessage, receivedAt, inputSha256, channel, duplicate, errors, deliveries, null);
    }

    @Override
    public MessageType messageType() {
        return MessageType.RECEIPT;
    }

    /** Accepted (durably recorded) or rejected. */
    public enum Status { ACCEPTED, REJECTED }

    /** The kind of channel the input came on. */
    public enum Channel {
        @JsonProperty("rest") REST,
        @JsonProperty("jms") JMS,
        @JsonProperty("kafka") KAFKA,
        @JsonProperty("sftp") SFTP
    }

    /** One error, as the validator or policy found it. */
    public record Error(String code, String pointer, String message) {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * What the input's own signature established: unsigned, or verified with this signer certificate
     * (its agency, subject and SHA-256 fingerprint, all null when unsigned).
     */
    public record Signature(Status status, String signerAgency, String signerSubject, String signerFingerprint) {

        /** Checks that a verified signature names its signer and an unsigned one none. */
        public Signature {
            Objects.requireNonNull(status, "status");
            boolean named = signerAgency != null || signerSubject != null || signerFingerprint != null;
            if (status == Status.VERIFIED) {
                Objects.requireNonNull(signerAgency, "signerAgency");
                Objects.requireNonNull(signerSubject, "signerSubject");
                Objects.requireNonNull(signerFingerprint, "signerFingerprint");
            } else if (named) {
                throw new IllegalArgumentException("an unsigned input has no signer");
            }
        }

        /** Whether the input carried a signature that verified. */
        public enum Status { UNSIGNED, VERIFIED }
    }

    /** The delivery created for one recipient. */
    public record Delivery(String recipient, UUID deliveryId) {
        public Delivery {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(deliveryId, "deliveryId");
        }
    }
}

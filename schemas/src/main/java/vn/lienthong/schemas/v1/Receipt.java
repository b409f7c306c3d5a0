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
        List<Delivery> deliveries) implements Payload {

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

    /** The delivery created for one recipient. */
    public record Delivery(String recipient, UUID deliveryId) {
        public Delivery {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(deliveryId, "deliveryId");
        }
    }
}

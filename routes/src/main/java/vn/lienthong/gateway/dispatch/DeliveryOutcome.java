package vn.lienthong.gateway.dispatch;

import java.util.Objects;
import java.util.UUID;

/** What happened when one delivery was sent. */
public sealed interface DeliveryOutcome {

    /** The delivery this outcome is about. */
    UUID id();

    /**
     * The recipient's channel took it; {@code note}, if not null, says how it is known (audited with
     * the delivery), for example that it was found on its Kafka topic after an interrupted round.
     */
    record Delivered(UUID id, String note) implements DeliveryOutcome {

        /** Delivered, as the channel confirmed. */
        public Delivered(UUID id) {
            this(id, null);
        }
    }

    /** Sending failed; retried with backoff until the policy's attempts are spent. */
    record Failed(UUID id, String error) implements DeliveryOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}

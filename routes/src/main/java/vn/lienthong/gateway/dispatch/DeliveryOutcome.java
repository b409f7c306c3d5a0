package vn.lienthong.gateway.dispatch;

import java.util.Objects;
import java.util.UUID;

/** What happened when one delivery was sent. */
public sealed interface DeliveryOutcome {

    /** The delivery this outcome is about. */
    UUID id();

    /** The recipient's channel took it. */
    record Delivered(UUID id) implements DeliveryOutcome {
    }

    /** Sending failed; retried with backoff until the policy's attempts are spent. */
    record Failed(UUID id, String error) implements DeliveryOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}

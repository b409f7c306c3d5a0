package vn.lienthong.gateway.tracking;

import java.util.Optional;
import java.util.UUID;

/** What became of a message: its status and deliveries, and an operator's resend of a FAILED one. */
public interface MessageTracking {

    /** A message as its sender or a recipient may see it (null viewer: an operator): status and each delivery. */
    Optional<MessageView> message(UUID messageId, String viewer);

    /** An operator sends a FAILED delivery again: PENDING, due now, attempts kept. */
    boolean resend(UUID deliveryId, String operator);
}

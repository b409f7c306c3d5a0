package vn.lienthong.gateway.tracking;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What people at the operator's seat see and do: search messages, one message with every delivery
 * and attempt, refused inputs, and the acts of an operator (resend, abandon, pause, resume), each
 * audited with the person and the reason.
 */
public interface OperatorTracking {

    /** Messages matching the query, newest first, one page after the query's cursor. */
    Page<MessageSummary> search(MessageQuery query);

    /** One message (by its id; a sender narrows it when several senders used the id) with every delivery and attempt. */
    Optional<MessageDetail> message(UUID messageId, String sender);

    /**
     * A message's canonical body. A {@code restricted} message (personal data) is shown only with a
     * reason, and that reading is audited with the person; without one the answer is
     * {@link Body.ReasonRequired}.
     */
    Optional<Body> body(UUID messageId, String sender, Act actOrNull);

    /** A message's body, or the refusal to show it without a reason. */
    sealed interface Body {
        /** The canonical JSON and the message's classification. */
        record Shown(String classification, byte[] canonical) implements Body {
        }

        /** Restricted: ask again with a reason. */
        record ReasonRequired(String classification) implements Body {
        }
    }

    /** Refused inputs, newest first, optionally of one claimed sender, one page after the cursor. */
    Page<QuarantineSummary> quarantine(String claimedSender, Long after, int limit);

    /** One refused input with its errors (without its bytes). */
    Optional<QuarantineSummary> refused(UUID quarantineId);

    /** The original bytes of a refused input; the reading is audited with the person and reason. */
    Optional<byte[]> original(UUID quarantineId, Act act);

    /** Sends a FAILED delivery again (PENDING, due now); false when there is no such FAILED delivery. */
    boolean resend(UUID deliveryId, Act act);

    /** Sends again every FAILED delivery matching the query (its cursor and limit ignored); returns how many. */
    int resendAll(MessageQuery query, Act act);

    /**
     * Gives up a FAILED delivery (ABANDONED, with the reason): it no longer holds its order key, so
     * the key's next delivery may go. False when there is no such FAILED delivery.
     */
    boolean abandon(UUID deliveryId, Act act);

    /** Stops claiming deliveries to a recipient until it is resumed; false when it was paused already. */
    boolean pause(String recipient, Act act);

    /** Claims deliveries to a recipient again; false when it was not paused. */
    boolean resume(String recipient, Act act);

    /** The paused recipients. */
    List<Pause> paused();

    /** Who acts and why: the audit's actor ({@code person:<name>}), the person's Keycloak id, the reason given. */
    record Act(String actor, String personId, String reason) {
        public Act {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an operator's act needs a reason");
            }
        }
    }

    /** A paused recipient. */
    record Pause(String recipient, java.time.Instant pausedAt, String pausedBy, String reason) {
    }

    /** One page: the items, the cursor of the next page (null at the end) and the planner's estimate of all matches. */
    record Page<T>(List<T> items, String next, long totalEstimate) {
    }
}

package vn.lienthong.gateway.tracking;

import java.time.Instant;
import java.util.UUID;

/**
 * A search of messages: every given field must match (null: any). {@code recipient} and
 * {@code status} match when some delivery of the message has them; {@code channel} is the channel
 * the message came in on. {@code after} is the cursor of the previous page (a message seq).
 */
public record MessageQuery(UUID messageId, String correlationId, String sender, String recipient, String type,
        String status, String channel, String classification, Instant from, Instant to, Long after, int limit) {

    /** The most a page holds. */
    public static final int MAX_LIMIT = 500;

    public MessageQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
    }
}

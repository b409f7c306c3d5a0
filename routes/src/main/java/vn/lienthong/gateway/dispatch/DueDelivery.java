package vn.lienthong.gateway.dispatch;

import java.util.UUID;
import vn.lienthong.gateway.registry.ChannelKind;

/**
 * A delivery claimed for sending: where it goes and the canonical message it carries (of message
 * type {@code type}, for the audit).
 */
public record DueDelivery(UUID id, long seq, UUID messageId, String sender, String recipient, ChannelKind channel,
        String address, String format, String orderKey, int attempts, byte[] canonical, String type) {
}

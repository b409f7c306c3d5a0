package vn.lienthong.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.UnencodableCharacterException;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Whether every planned delivery of a message can be carried, checked before the message is
 * accepted: each recipient's connector encodes it (a character its format cannot carry, or a
 * member its profile cannot express, fails there), and the encoded size must fit the recipient
 * channel's limit. Anything known at the door is refused at the door, never accepted and then
 * FAILED for one recipient while delivered to the others.
 */
public final class Deliverability {

    private final Connectors connectors;
    private final Map<ChannelKind, Integer> limits;

    /**
     * @param limits the largest encoded message each kind of channel carries, in bytes
     */
    public Deliverability(Connectors connectors, Map<ChannelKind, Integer> limits) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.limits = new EnumMap<>(limits);
        for (ChannelKind kind : ChannelKind.values()) {
            if (!this.limits.containsKey(kind) || this.limits.get(kind) < 1) {
                throw new IllegalArgumentException("no positive size limit for " + kind.yamlName() + " channels");
            }
        }
    }

    /** The largest encoded message a kind of channel carries. */
    public int limit(ChannelKind kind) {
        return limits.get(kind);
    }

    /**
     * The errors that keep a message from being delivered as planned: none when each delivery can
     * be encoded and fits its channel.
     *
     * @param canonical the message as the journal will keep it (normalized canonical JSON)
     * @param tree the same, as a tree (to name the member holding a character)
     */
    public List<ValidationError> check(Envelope message, byte[] canonical, JsonNode tree,
            List<PlannedDelivery> deliveries) {
        List<ValidationError> errors = new ArrayList<>();
        for (PlannedDelivery d : deliveries) {
            String recipientPointer = "/recipients/" + message.recipients().indexOf(d.recipient());
            Optional<Connector> connector = connectors.forFormat(d.format());
            if (connector.isEmpty()) {
                errors.add(ValidationError.of(ErrorCode.NOT_ENCODABLE_FOR_RECIPIENT, recipientPointer,
                        d.recipient() + " receives " + d.format() + ", for which this gateway has no connector"));
                continue;
            }
            byte[] encoded;
            try {
                encoded = connector.get().encode(message, canonical);
            } catch (UnencodableCharacterException e) {
                String pointer = e.pointer().isEmpty() ? pointerOf(tree, e.codePoint(), "").orElse(recipientPointer)
                        : e.pointer();
                errors.add(ValidationError.of(ErrorCode.RECIPIENT_CANNOT_CARRY_CHARACTER, pointer, String.format(
                        "%s receives %s, which cannot carry the character U+%04X%s; send the text without it",
                        d.recipient(), d.format(), e.codePoint(),
                        pointer.equals(recipientPointer) ? "" : " (at " + pointer + ")")));
                continue;
            } catch (RuntimeException e) {
                errors.add(ValidationError.of(ErrorCode.NOT_ENCODABLE_FOR_RECIPIENT, recipientPointer,
                        d.recipient() + " receives " + d.format() + ", which cannot express this message: "
                                + e.getMessage()));
                continue;
            }
            int limit = limits.get(d.channel());
            if (encoded.length > limit) {
                errors.add(ValidationError.of(ErrorCode.TOO_LARGE_FOR_RECIPIENT, recipientPointer, String.format(
                        "%s receives %s over %s: this message is %,d bytes in that format, the channel carries at most"
                                + " %,d; send large content as attachments by reference",
                        d.recipient(), d.format(), d.channel().yamlName(), encoded.length, limit)));
            }
        }
        return errors;
    }

    /** The pointer of the first string (or member name) holding the code point. */
    private static Optional<String> pointerOf(JsonNode node, int codePoint, String at) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return node.textValue().indexOf(codePoint) >= 0 ? Optional.of(at) : Optional.empty();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = pointerOf(node.get(i), codePoint, at + "/" + i);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> member = it.next();
                String pointer = at + "/" + member.getKey().replace("~", "~0").replace("/", "~1");
                if (member.getKey().indexOf(codePoint) >= 0) {
                    return Optional.of(pointer);
                }
                Optional<String> found = pointerOf(member.getValue(), codePoint, pointer);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}

package vn.lienthong.connectors.xml;

import java.util.Objects;
import vn.lienthong.schemas.MessageType;

/**
 * One message type of a profile: its root element, whose first child is the header and whose
 * other children carry the payload's members.
 *
 * @param type the canonical message type
 * @param payload the payload's members; its type name is the root element's name
 */
public record XmlMessage(MessageType type, XmlObject payload) {

    public XmlMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /** The root element's name. */
    public String root() {
        return payload.typeName();
    }
}

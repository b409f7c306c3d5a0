package vn.lienthong.gateway.identity;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import vn.lienthong.schemas.MessageType;

/** The realm roles that let an agency's service account send each message type (receipts are the gateway's). */
public enum Capability {
    NOTICE_SEND("notice:send", MessageType.VIOLATION_NOTICE),
    CASE_TRANSFER("case:transfer", MessageType.CASE_TRANSFER),
    FREEZE_REQUEST("freeze:request", MessageType.FREEZE_REQUEST),
    FREEZE_EXECUTE("freeze:execute", MessageType.FREEZE_REPORT),
    INFO_REQUEST("info:request", MessageType.INFO_REQUEST),
    INFO_RESPOND("info:respond", MessageType.INFO_RESPONSE),
    TAKEDOWN_REQUEST("takedown:request", MessageType.TAKEDOWN_REQUEST),
    TAKEDOWN_EXECUTE("takedown:execute", MessageType.TAKEDOWN_REPORT),
    REPORT_SUBMIT("report:submit", MessageType.REPORT_PERIODIC);

    private final String role;
    private final MessageType type;

    Capability(String role, MessageType type) {
        this.role = role;
        this.type = type;
    }

    /** The realm role's name, e.g. {@code freeze:request}. */
    public String role() {
        return role;
    }

    /** The message type this role allows to send. */
    public MessageType type() {
        return type;
    }

    /** The capability needed to send a type; empty for {@code receipt}, which no agency sends. */
    public static Optional<Capability> toSend(MessageType type) {
        return Arrays.stream(values()).filter(c -> c.type == type).findFirst();
    }

    /** The role names an agency that sends these types gets. */
    public static Set<String> rolesFor(Collection<MessageType> sends) {
        Set<String> roles = new TreeSet<>();
        for (MessageType type : sends) {
            toSend(type).ifPresent(c -> roles.add(c.role));
        }
        return roles;
    }
}

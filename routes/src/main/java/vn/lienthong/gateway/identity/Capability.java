package vn.lienthong.gateway.identity;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import vn.lienthong.schemas.MessageType;

/**
 * A realm role of realm {@code lienthong} that lets an agency send one message type; an agency's
 * service account holds exactly the capabilities of the types its registry entry {@code sends}.
 */
public enum Capability {
    NOTICE_SEND("notice:send", MessageType.VIOLATION_NOTICE),
    CASE_TRANSFER("case:transfer", MessageType.CASE_TRANSFER),
    FREEZE_REQUEST("freeze:request", MessageType.FREEZE_REQUEST),
    FREEZE_EXECUTE("freeze:execute", MessageType.FREEZE_REPORT),
    INFO_REQUEST("info:request", MessageType.INFO_REQUEST),
    INFO_RESPOND("info:respond", MessageType.INFO_RESPONSE),
    TAKEDOWN_REQUEST("takedown:request", MessageType.TAKEDOWN_REQUEST),
    /** Platforms' execution reports. */
    TAKEDOWN_EXECUTE("takedown:execute", MessageType.TAKEDOWN_REPORT),
    REPORT_SUBMIT("report:submit", MessageType.REPORT_PERIODIC);

    private final String role;
    private final MessageType type;

    Capability(String role, MessageType type) {
        this.role = role;
        this.type = type;
    }

    /** The realm role name, e.g. {@code notice:send}. */
    public String role() {
        return role;
    }

    /** The message type this capability lets its holder send. */
    public MessageType type() {
        return type;
    }

    /** The capability needed to send a type; empty for {@code receipt} and {@code deadline.overdue}, which only the gateway issues. */
    public static Optional<Capability> toSend(MessageType type) {
        Objects.requireNonNull(type, "type");
        return Arrays.stream(values()).filter(c -> c.type == type).findFirst();
    }

    /** The capability with this realm role name, if it is one. */
    public static Optional<Capability> ofRole(String role) {
        return Arrays.stream(values()).filter(c -> c.role.equals(role)).findFirst();
    }

    /** The role names of every capability. */
    public static Set<String> allRoles() {
        Set<String> roles = new TreeSet<>();
        for (Capability capability : values()) {
            roles.add(capability.role);
        }
        return Collections.unmodifiableSet(roles);
    }

    /** The role names an agency that sends these types holds (sorted). */
    public static Set<String> rolesFor(Collection<MessageType> sends) {
        Set<String> roles = new TreeSet<>();
        for (MessageType type : sends) {
            toSend(type).ifPresent(c -> roles.add(c.role));
        }
        return Collections.unmodifiableSet(roles);
    }
}

package vn.lienthong.gateway.audit;

import java.util.Map;
import java.util.Objects;

/**
 * One audit entry to append: who did what to which subject, with a detail object that names
 * identifiers and outcomes only — never personal identifiers or payload content.
 *
 * @param actor the agency code, {@value AuditLog#GATEWAY} or an operator
 * @param action what happened, usually an {@link AuditAction} name
 * @param subject the message, delivery or quarantine id
 * @param detail a JSON object, kept in the canonical form that is hashed (sorted keys, no floats)
 */
public record AuditEntry(String actor, String action, String subject, String detail) {

    public AuditEntry {
        // Fields are joined by "\n" in the hashed text: a newline inside one would make it ambiguous.
        actor = requireSingleLine(actor, "actor");
        action = requireSingleLine(action, "action");
        subject = requireSingleLine(subject, "subject");
        // A detail just rendered from a map (of) is canonical already: not parsed a second time.
        detail = AuditJson.justRendered(detail) ? detail
                : AuditJson.canonicalOfJson(Objects.requireNonNull(detail, "detail"), true);
        if (!detail.startsWith("{")) {
            throw new IllegalArgumentException("an audit detail is a JSON object");
        }
    }

    /**
     * An entry whose detail is built from a map: values may be strings, integers, booleans, UUIDs,
     * enums, instants, nulls, lists and maps of those.
     */
    public static AuditEntry of(String actor, AuditAction action, Object subject, Map<String, ?> detail) {
        return new AuditEntry(actor, action.name(), String.valueOf(Objects.requireNonNull(subject, "subject")),
                AuditJson.canonical(detail));
    }

    /** The value as it will read back from the database (see {@link AuditJson#sanitize}). */
    private static String requireSingleLine(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty audit " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("control character in audit " + name);
            }
        }
        return AuditJson.sanitize(value);
    }
}

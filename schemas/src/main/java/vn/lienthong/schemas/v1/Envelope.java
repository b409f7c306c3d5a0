package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/**
 * A canonical message: the envelope every agency's message is turned into. {@code type} is not a
 * component: it is the payload's, written and read as the envelope's {@code type} member.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"messageId", "type", "schemaVersion", "sender", "recipients", "correlationId", "inReplyTo",
    "createdAt", "priority", "classification", "legalBasis", "deadline", "payload", "attachments"})
public record Envelope(
        UUID messageId,
        String schemaVersion,
        String sender,
        List<String> recipients,
        String correlationId,
        UUID inReplyTo,
        OffsetDateTime createdAt,
        Priority priority,
        Classification classification,
        String legalBasis,
        OffsetDateTime deadline,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        Payload payload,
        List<Attachment> attachments) {

    public Envelope {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(payload, "payload");
        attachments = attachments == null ? null : List.copyOf(attachments);
        // The envelope schema's requirements by type.
        switch (payload.messageType()) {
            case CASE_TRANSFER -> Objects.requireNonNull(legalBasis, "legalBasis");
            case INFO_REQUEST, TAKEDOWN_REQUEST -> {
                Objects.requireNonNull(legalBasis, "legalBasis");
                Objects.requireNonNull(deadline, "deadline");
            }
            case FREEZE_REPORT, INFO_RESPONSE, TAKEDOWN_REPORT, DELIVERY_ABANDONED -> Objects.requireNonNull(inReplyTo, "inReplyTo");
            // A reminder of a missing periodic report answers no message.
            case DEADLINE_OVERDUE -> {
                if (((DeadlineOverdue) payload).kind() != DeadlineOverdue.Kind.REPORT) {
                    Objects.requireNonNull(inReplyTo, "inReplyTo");
                }
            }
            default -> { }
        }
    }

    /** The message type, from the payload. */
    @JsonIgnore
    public MessageType type() {
        return payload.messageType();
    }

    /** The priority, normal when absent. */
    @JsonIgnore
    public Priority effectivePriority() {
        return priority == null ? Priority.NORMAL : priority;
    }
}

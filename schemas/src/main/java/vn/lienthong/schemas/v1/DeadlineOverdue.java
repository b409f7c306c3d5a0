package vn.lienthong.schemas.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;
import vn.lienthong.schemas.MessageType;

/**
 * The gateway's notice that a deadline of a case it follows has passed (an answer due, or a measure's
 * end), or that a periodic report was not received by its due day (kind {@code report}).
 */
public record DeadlineOverdue(
        UUID caseId,
        Kind kind,
        UUID request,
        String requester,
        String responder,
        Deadline deadline,
        OffsetDateTime dueAt,
        String state,
        String legalGround,
        Integer pendingListings,
        Period period) implements Payload {

    /** A notice of a case's deadline (every kind but {@code report}). */
    public DeadlineOverdue(UUID caseId, Kind kind, UUID request, String requester, String responder, Deadline deadline,
            OffsetDateTime dueAt, String state, String legalGround, Integer pendingListings) {
        this(caseId, kind, request, requester, responder, deadline, dueAt, state, legalGround, pendingListings, null);
    }

    public DeadlineOverdue {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.REPORT) {
            Objects.requireNonNull(period, "period");
        } else {
            Objects.requireNonNull(request, "request");
        }
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(state, "state");
    }

    @Override
    public MessageType messageType() {
        return MessageType.DEADLINE_OVERDUE;
    }

    /** Which workflow the case follows. */
    public enum Kind {
        @JsonProperty("freeze") FREEZE,
        @JsonProperty("takedown") TAKEDOWN,
        @JsonProperty("info") INFO,
        /** A periodic report not received by its due day: no request, a period. */
        @JsonProperty("report") REPORT
    }

    /** Which deadline passed. */
    public enum Deadline { DUE, END }
}

package vn.lienthong.gateway.workflows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A case as the API shows it: what it follows, where it stands, what is due; with its listings,
 * transitions and messages when one case is asked for (empty lists in a listing of cases).
 */
public record CaseView(
        UUID id,
        String kind,
        String state,
        UUID request,
        String requester,
        String responder,
        String measure,
        String legalGround,
        Instant openedAt,
        Instant deliveredAt,
        Instant dueAt,
        Instant endsAt,
        Instant closedAt,
        boolean overdue,
        List<Listing> listings,
        List<Transition> transitions,
        List<Message> messages) {

    /** One listing of a takedown case. */
    public record Listing(String url, String state, String note, Instant decidedAt) {
    }

    /** One move of the case. */
    public record Transition(String from, String to, UUID messageId, String cause, Instant at) {
    }

    /** A message of the case: the request, the replies, a RELEASE, the gateway's notices. */
    public record Message(UUID messageId, String type, String sender, Instant receivedAt) {
    }
}

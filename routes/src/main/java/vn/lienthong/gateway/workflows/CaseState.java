package vn.lienthong.gateway.workflows;

/**
 * The states of the cases, as stored in {@code workflow_case.state}: freeze REQUESTED -> DELIVERED
 * -> EXECUTED | PARTIALLY_EXECUTED | REJECTED -> RELEASED | EXPIRED; takedown REQUESTED ->
 * DELIVERED -> PARTLY_ANSWERED -> ANSWERED (each listing REMOVED | REFUSED | NOT_FOUND | PENDING);
 * information request OPEN -> DELIVERED -> PARTLY_ANSWERED -> ANSWERED | REFUSED.
 */
public final class CaseState {

    public static final String REQUESTED = "REQUESTED";
    public static final String OPEN = "OPEN";
    public static final String DELIVERED = "DELIVERED";
    public static final String EXECUTED = "EXECUTED";
    public static final String PARTIALLY_EXECUTED = "PARTIALLY_EXECUTED";
    public static final String REJECTED = "REJECTED";
    public static final String RELEASED = "RELEASED";
    public static final String EXPIRED = "EXPIRED";
    public static final String PARTLY_ANSWERED = "PARTLY_ANSWERED";
    public static final String ANSWERED = "ANSWERED";
    public static final String REFUSED = "REFUSED";

    private CaseState() {
    }
}

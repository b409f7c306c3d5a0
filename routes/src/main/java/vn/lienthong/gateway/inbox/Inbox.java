package vn.lienthong.gateway.inbox;

import java.util.List;
import java.util.UUID;

/** The delivery rows seen from an agency that pulls: its inbox and its acknowledgements. */
public interface Inbox {

    /**
     * The inbox of an agency that pulls: its deliveries not yet acknowledged, oldest first, at most
     * {@code limit}. Those fetched for the first time become DELIVERED.
     */
    List<InboxItem> inbox(String agency, int limit);

    /** The recipient confirms a delivery; ACKNOWLEDGED. Repeating it is harmless. */
    AckResult acknowledge(UUID deliveryId, String agency);

    /** The outcome of an acknowledgement. */
    enum AckResult { ACKNOWLEDGED, ALREADY_ACKNOWLEDGED, NOT_FOUND }
}

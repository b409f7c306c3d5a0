package vn.lienthong.gateway.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One round of the dispatch route, carried from step to step: the deliveries claimed, each one's
 * encoded form, and each one's outcome as soon as it has one (an encoding failure, a send).
 */
public final class DispatchRound {

    /** A delivery in its recipient's format: the bytes, its SFTP file name, media type and message type. */
    record Encoded(byte[] bytes, String fileName, String mediaType, String type) {
    }

    private final List<DueDelivery> claimed;
    private final Map<UUID, Encoded> encoded = new LinkedHashMap<>();
    private final Map<UUID, DeliveryOutcome> outcomes = new LinkedHashMap<>();

    /** A round over the deliveries claimed. */
    public DispatchRound(List<DueDelivery> claimed) {
        this.claimed = List.copyOf(claimed);
    }

    /** The deliveries claimed, in claim order. */
    public List<DueDelivery> claimed() {
        return claimed;
    }

    /** The deliveries still without an outcome. */
    public List<DueDelivery> pending() {
        return claimed.stream().filter(d -> !outcomes.containsKey(d.id())).toList();
    }

    /** Gives a delivery its outcome; the first one stands. */
    public void outcome(DeliveryOutcome outcome) {
        outcomes.putIfAbsent(outcome.id(), outcome);
    }

    /** Every pending delivery failed with this error (the deliver step itself failed). */
    public void failPending(String error) {
        pending().forEach(d -> outcome(new DeliveryOutcome.Failed(d.id(), error)));
    }

    /** The outcomes in claim order; a delivery without one has none in the list (the outbox fails it). */
    public List<DeliveryOutcome> outcomes() {
        List<DeliveryOutcome> ordered = new ArrayList<>(claimed.size());
        claimed.forEach(d -> {
            DeliveryOutcome o = outcomes.get(d.id());
            if (o != null) {
                ordered.add(o);
            }
        });
        return ordered;
    }

    void encoded(UUID id, Encoded e) {
        encoded.put(id, e);
    }

    Encoded encoded(UUID id) {
        return encoded.get(id);
    }
}

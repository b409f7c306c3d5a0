package vn.lienthong.gateway.dispatch;

import java.util.List;
import java.util.function.Function;

/** The delivery rows of the journal, seen from the sending side: claim, send, record the outcome. */
public interface Outbox {

    /**
     * Claims up to {@code limit} PENDING deliveries that are due and go to a pushing channel (not an
     * inbox), urgent ones first, then oldest first, never one whose order key has an earlier
     * delivery still PENDING or FAILED, nor one to a recipient an operator paused; hands them to
     * {@code sender} while holding them (other gateway instances skip them); records each outcome in
     * the same transaction: DELIVERED, or a failed attempt with its backoff, or FAILED when the retry
     * policy is spent; every state change audited. Returns the number claimed.
     */
    int dispatch(int limit, Function<List<DueDelivery>, List<DeliveryOutcome>> sender);

    /**
     * The claim of {@link #dispatch} on its own, in the caller's transaction, which must be open (the
     * rows stay locked until it ends): the dispatch route's claim step.
     */
    List<DueDelivery> claim(int limit);

    /**
     * {@link #claim} of urgent deliveries only (same order-key and pause rules): the urgent round's
     * fast path, which must not carry a normal round's batch.
     */
    List<DueDelivery> claimUrgent(int limit);

    /**
     * {@link #claim} of the deliveries that are not urgent: the normal rounds' claim when urgent
     * deliveries have rounds of their own ({@link #claimUrgent}), so that a normal round never
     * takes an urgent delivery into its batch just before the urgent round would.
     */
    List<DueDelivery> claimNormal(int limit);

    /**
     * The outcome of {@link #dispatch} on its own, for deliveries claimed in the caller's transaction,
     * still open: DELIVERED, a failed attempt with its backoff, or FAILED; a delivery without an
     * outcome failed. The dispatch route's outcome step.
     */
    void recordOutcomes(List<DueDelivery> claimed, List<DeliveryOutcome> outcomes);
}

package vn.lienthong.gateway.tracking;

import java.time.Instant;
import java.util.List;

/**
 * What the operator's console draws: the backlog of each recipient and the traffic of each sender
 * per hour. Aggregates only: agency codes and counts, never a message's content.
 */
public interface OperatorViews {

    /** The recipients with PENDING or FAILED deliveries or a pause, by code. */
    List<Backlog> backlog();

    /**
     * Per hour (UTC, truncated) since {@code from} and per sender: messages accepted, inputs refused
     * (by the sender the channel named), and what became of the deliveries of the hour's messages.
     */
    List<HourlyTraffic> traffic(Instant from);

    /**
     * One recipient's backlog: PENDING deliveries, when the oldest of them was recorded (null when
     * none), FAILED deliveries, and whether an operator paused dispatch to it.
     */
    record Backlog(String recipient, long pending, Instant oldestPendingSince, long failed, boolean paused) {
    }

    /**
     * One sender in one hour: accepted messages, refused inputs, and the deliveries of those
     * messages now delivered (or acknowledged), FAILED, or still PENDING.
     */
    record HourlyTraffic(Instant hour, String sender, long accepted, long refused, long delivered, long failed,
            long pending) {
    }
}

package vn.lienthong.bench;

import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * In rate against out rate of the gateway path (issue 12 point 3, "dispatch keeps up"): messages
 * taken (the gateway's receipts, sent after the journal's commit) and delivered (distinct arrivals
 * on the Kafka output), sampled as the run goes; each interval's rates and the backlog between them
 * (taken, not yet delivered), and at the end the out rate during the ingress window (first to last
 * receipt) over the in rate. Not thread-safe: the benchmark's waiting thread alone samples it.
 */
final class PaceLog {

    private final IntSupplier taken;
    private final IntSupplier delivered;
    private final int messages;
    private long lastNanos = -1;
    private int lastTaken;
    private int lastDelivered;
    private long firstTakenNanos = -1;
    private int deliveredAtFirstTaken;
    private int takenAtFirstTaken;
    private long allTakenNanos = -1;
    private int deliveredAtAllTaken;
    private int peakBacklog;

    /** A log over {@code messages} messages, reading the counts from the two suppliers. */
    PaceLog(IntSupplier taken, IntSupplier delivered, int messages) {
        this.taken = taken;
        this.delivered = delivered;
        this.messages = messages;
    }

    /** Reads both counts at {@code now} ({@link System#nanoTime}). */
    void sample(long now) {
        int t = taken.getAsInt();
        int d = delivered.getAsInt();
        if (lastNanos < 0) {
            lastNanos = now;
            lastTaken = t;
            lastDelivered = d;
        }
        if (t > 0 && firstTakenNanos < 0) {
            firstTakenNanos = now;
            takenAtFirstTaken = t;
            deliveredAtFirstTaken = d;
        }
        if (t >= messages && allTakenNanos < 0) {
            allTakenNanos = now;
            deliveredAtAllTaken = d;
        }
        peakBacklog = Math.max(peakBacklog, t - d);
    }

    /** The interval since the last call (or the first sample): in and out rates and the backlog now. */
    String interval(long now) {
        int t = taken.getAsInt();
        int d = delivered.getAsInt();
        double seconds = lastNanos < 0 ? 0 : (now - lastNanos) / 1e9;
        String line = String.format(Locale.ROOT, "pace: taken %,d (+%,.0f/s), delivered %,d (+%,.0f/s), backlog %,d",
                t, seconds > 0 ? (t - lastTaken) / seconds : 0.0, d, seconds > 0 ? (d - lastDelivered) / seconds : 0.0,
                t - d);
        lastNanos = now;
        lastTaken = t;
        lastDelivered = d;
        return line;
    }

    /** The out rate during the ingress window over the in rate, or why there is none yet. */
    String summary() {
        if (firstTakenNanos < 0 || allTakenNanos <= firstTakenNanos) {
            return "pace                n/a (not every message was taken)";
        }
        double seconds = (allTakenNanos - firstTakenNanos) / 1e9;
        // Both counted from the first sample that saw a receipt (the window's start, to a sample's resolution).
        double in = (messages - takenAtFirstTaken) / seconds;
        double out = (deliveredAtAllTaken - deliveredAtFirstTaken) / seconds;
        return String.format(Locale.ROOT, "pace                ingress window %.1f s (first to last receipt): in %,.0f msg/s,"
                + " out %,.0f msg/s, out/in %.2f; delivered at the last receipt %,d of %,d; peak backlog %,d",
                seconds, in, out, out / in, deliveredAtAllTaken, messages, peakBacklog);
    }
}

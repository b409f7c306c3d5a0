package vn.lienthong.gateway.journal;

import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.schemas.v1.Priority;

/**
 * Per-step timings of urgent messages from their REST request to the recipient's channel (issue 12,
 * the benchmark's latency mode): one DEBUG line per step group on logger {@value #LOGGER}, off
 * unless that logger is turned on ({@code logging.level.vn.lienthong.gateway.latency=DEBUG}). The
 * lines name the message by its messageId (a UUID, never personal data) and give milliseconds, so
 * that the waits on the path are measured, not guessed; the benchmark's latency mode turns it on
 * and sums the lines up.
 */
public final class LatencyTrace {

    /** The logger whose DEBUG level turns the trace on. */
    public static final String LOGGER = "vn.lienthong.gateway.latency";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    /** The urgent messages the journal recorded while the trace is on, so that any round can tell it claimed one. */
    private static final java.util.Set<Object> FOLLOWED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_FOLLOWED = 10_000;
    /** When each followed message's journal transaction committed ({@link System#nanoTime}), until a round claims it. */
    private static final java.util.Map<Object, Long> COMMITTED = new java.util.concurrent.ConcurrentHashMap<>();

    private LatencyTrace() {
    }

    /** Whether the trace is on (checked on each use, so the level can be changed at run time). */
    public static boolean on() {
        return LOG.isDebugEnabled();
    }

    /** Whether an entry is an accepted urgent message with deliveries (the ones the trace follows). */
    public static boolean urgent(JournalEntry entry) {
        return entry instanceof JournalEntry.Accepted a && !a.deliveries().isEmpty()
                && a.message().effectivePriority() == Priority.URGENT;
    }

    /** Whether any of the entries is {@link #urgent}. */
    public static boolean anyUrgent(List<JournalEntry> entries) {
        for (JournalEntry e : entries) {
            if (urgent(e)) {
                return true;
            }
        }
        return false;
    }

    /** Follows an urgent message recorded (bounded: a trace left on forgets the oldest wholesale). */
    public static void follow(Object messageId) {
        if (FOLLOWED.size() >= MAX_FOLLOWED) {
            FOLLOWED.clear();
        }
        FOLLOWED.add(messageId);
    }

    /** Whether the message is {@link #follow followed} (and forgets it). */
    public static boolean followed(Object messageId) {
        return !FOLLOWED.isEmpty() && FOLLOWED.remove(messageId);
    }

    /**
     * Notes when a followed message's journal transaction committed, so that the round that claims
     * it measures its own wake from there (a wake's later rounds claim messages committed after it).
     */
    public static void committed(Object messageId, long nanos) {
        if (COMMITTED.size() >= MAX_FOLLOWED) {
            COMMITTED.clear();
        }
        COMMITTED.put(messageId, nanos);
    }

    /** When the message's journal transaction committed ({@link System#nanoTime}), or null (and forgets it). */
    public static Long committedAt(Object messageId) {
        return COMMITTED.isEmpty() ? null : COMMITTED.remove(messageId);
    }

    /** Milliseconds between two {@link System#nanoTime} readings. */
    public static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    /**
     * Logs one line: {@code latency <stage> id=<messageId> key=ms ...}; {@code fields} are pairs of
     * a name and a value (a Double is printed as milliseconds with one decimal).
     */
    public static void log(String stage, Object messageId, Object... fields) {
        StringBuilder line = new StringBuilder(96).append("latency ").append(stage).append(" id=").append(messageId);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.append(' ').append(fields[i]).append('=');
            Object value = fields[i + 1];
            line.append(value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(value));
        }
        LOG.debug(line.toString());
    }
}

package vn.lienthong.gateway.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure from dispatch to ingress (issue 12 point 3): the deliveries dispatch could send now
 * and has not, counted up to a bound, so that the queued channels' consumers take more slowly while
 * that backlog is above its high water mark and at full speed again once it fell to its low water
 * mark. A gateway that accepts faster than it delivers only builds a queue in its database, and
 * every claim, gauge and index then works over it; held back, the inputs wait on the broker, which
 * keeps them. Nothing is refused or lost: a consumer waits before it records, at most the maximum
 * wait at a time (then it takes its batch anyway, so a Kafka consumer stays within its poll interval
 * and a route can stop).
 *
 * <p>What counts: PENDING push deliveries without an order key that are due (not a retry waiting
 * its backoff, so a recipient that is down does not stop everyone's intake), of recipients not
 * paused by an operator, and one per order key whose head is ready to push by the same rules
 * (deliveries behind a key's head are not sendable until it moves; a key whose head is an inbox's,
 * FAILED, backing off or a paused recipient's must not stop the intake). The count
 * reads at most {@code highWater + 1} index entries of {@code delivery_due}, and runs at most once
 * per check interval whichever thread asks.
 */
public final class DispatchBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchBacklog.class);

    /**
     * The bounds.
     *
     * @param highWater above this many sendable deliveries, intake waits; 0 turns backpressure off
     * @param lowWater a waiting intake goes on once the backlog is at or below this
     * @param checkInterval how long a count stands before it is read again
     * @param maxWait the longest one wait lasts before the consumer takes its batch anyway
     */
    public record Settings(int highWater, int lowWater, Duration checkInterval, Duration maxWait) {

        /** Checks the bounds: {@code 0 <= lowWater <= highWater}, positive durations. */
        public Settings {
            if (highWater < 0 || lowWater < 0 || lowWater > highWater) {
                throw new IllegalArgumentException("lienthong.ingress.backlog-low-water must be between 0 and"
                        + " backlog-high-water (" + lowWater + ", " + highWater + ")");
            }
            if (checkInterval.isNegative() || checkInterval.isZero() || maxWait.isNegative()) {
                throw new IllegalArgumentException("lienthong.ingress.backlog-check-interval must be > 0 and"
                        + " backlog-max-wait >= 0");
            }
        }

        /** Backpressure off. */
        public static Settings off() {
            return new Settings(0, 0, Duration.ofMillis(250), Duration.ZERO);
        }

        /** Whether backpressure is on. */
        public boolean on() {
            return highWater > 0;
        }
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();
    private long checkedAt = Long.MIN_VALUE;
    private int last;
    private boolean holding;

    /** Backpressure over the deliveries of {@code dataSource} within {@code settings}. */
    public DispatchBacklog(DataSource dataSource, Settings settings) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The bounds. */
    public Settings settings() {
        return settings;
    }

    /**
     * The sendable backlog, counted up to {@code highWater + 1}, read at most once per check
     * interval. Off: 0.
     */
    public synchronized int count() {
        if (!settings.on()) {
            return 0;
        }
        long now = System.nanoTime();
        if (checkedAt == Long.MIN_VALUE || now - checkedAt >= settings.checkInterval().toNanos()) {
            last = read(settings.highWater() + 1);
            checkedAt = System.nanoTime();
        }
        return last;
    }

    /**
     * Whether intake may go on now: false from when the backlog passed the high water mark until it
     * fell to the low water mark (hysteresis, so intake does not flutter at the bound).
     */
    public synchronized boolean admits() {
        if (!settings.on()) {
            return true;
        }
        int backlog = count();
        if (holding && backlog <= settings.lowWater()) {
            holding = false;
            LOG.info("dispatch backlog {} at or below {}: intake goes on", backlog, settings.lowWater());
        } else if (!holding && backlog > settings.highWater()) {
            holding = true;
            LOG.info("dispatch backlog above {}: the queued channels' intake waits until it is at {} or below",
                    settings.highWater(), settings.lowWater());
        }
        return !holding;
    }

    /**
     * Waits while intake is held, at most the maximum wait, or until {@code giveUp} says so (the
     * route or the gateway is stopping). Returns how long it waited, in milliseconds.
     */
    public long awaitRoom(BooleanSupplier giveUp) throws InterruptedException {
        if (admits()) {
            return 0;
        }
        long start = System.nanoTime();
        long until = start + settings.maxWait().toNanos();
        waits.incrementAndGet();
        while (!admits() && System.nanoTime() < until && !giveUp.getAsBoolean()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(settings.checkInterval().toNanos(), Math.max(1, until - System.nanoTime())));
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        waitedMillis.addAndGet(waited);
        return waited;
    }

    /** How many times intake waited since the start. */
    public long waits() {
        return waits.get();
    }

    /** How long intake waited in all, in milliseconds, since the start (summed over consumers). */
    public long waitedMillis() {
        return waitedMillis.get();
    }

    /** Counts up to {@code limit}; on a database error says so and counts 0 (intake is never held by an error). */
    private int read(int limit) {
        try (Connection connection = dataSource.getConnection()) {
            List<String> paused = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("select recipient from recipient_pause");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paused.add(rs.getString(1));
                }
            }
            // The predicate of delivery_due (V1), so the count walks that index's due range only.
            String queued = "select count(*) from (select 1 from delivery where status = 'PENDING' and address is not null"
                    + " and order_key is null and next_attempt_at <= now()"
                    + (paused.isEmpty() ? "" : " and recipient <> all (?)") + " limit ?) b";
            int count;
            try (PreparedStatement ps = connection.prepareStatement(queued)) {
                int i = 1;
                if (!paused.isEmpty()) {
                    ps.setArray(i++, connection.createArrayOf("text", paused.toArray()));
                }
                ps.setInt(i, limit);
                count = single(ps);
            }
            if (count < limit) {
                // A key counts only while its head is ready to send as the claim sees it: a head that
                // is an inbox's (pulled, never pushed), FAILED, waiting its backoff or of a paused
                // recipient would otherwise hold the intake for good.
                try (PreparedStatement ps = connection.prepareStatement(
                        "select count(*) from (select 1 from delivery_order_head h cross join lateral"
                                + " (select 1 from delivery e where e.seq = h.head_seq and e.status = 'PENDING'"
                                + " and e.address is not null and e.next_attempt_at <= now()"
                                + (paused.isEmpty() ? "" : " and e.recipient <> all (?)") + ") r limit ?) k")) {
                    int i = 1;
                    if (!paused.isEmpty()) {
                        ps.setArray(i++, connection.createArrayOf("text", paused.toArray()));
                    }
                    ps.setInt(i, limit - count);
                    count += single(ps);
                }
            }
            return count;
        } catch (SQLException e) {
            LOG.warn("dispatch backlog not read ({}): intake goes on", e.getClass().getSimpleName());
            return 0;
        }
    }

    private static int single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

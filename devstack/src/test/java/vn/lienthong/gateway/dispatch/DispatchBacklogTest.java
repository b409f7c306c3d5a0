package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.journal.TestDatabase;

/**
 * Backpressure's measure on a real PostgreSQL: intake is held once more deliveries are ready to
 * send than the high water mark, and goes on once they fell to the low water mark; retries waiting
 * their backoff, paused recipients, inbox deliveries and the deliveries behind an order key's head
 * do not hold it; a wait ends when the backlog drains or when the route stops.
 */
class DispatchBacklogTest {

    /** Every call reads the database again: no test waits for a count to age. */
    private static final Duration EVERY_TIME = Duration.ofNanos(1);

    private DataSource ds;
    private JdbcTemplate db;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        db.update("delete from recipient_pause");
    }

    @AfterEach
    void tearDown() {
        TestDatabase.clean();
    }

    @Test
    void intakeIsHeldAboveTheHighWaterMarkUntilTheBacklogFellToTheLowWaterMark() {
        DispatchBacklog backlog = new DispatchBacklog(ds, new DispatchBacklog.Settings(10, 5, EVERY_TIME, Duration.ZERO));
        pending("SBV", 10, "now()", null, "'lienthong.SBV.out'");
        assertThat(backlog.admits()).as("10 ready: at the bound, not above").isTrue();

        pending("SBV", 1, "now()", null, "'lienthong.SBV.out'");
        assertThat(backlog.count()).isEqualTo(11);
        assertThat(backlog.admits()).as("11 ready").isFalse();

        deliver(3);
        assertThat(backlog.admits()).as("8 ready: still above the low water mark").isFalse();
        deliver(3);
        assertThat(backlog.admits()).as("5 ready: at the low water mark").isTrue();
        pending("SBV", 3, "now()", null, "'lienthong.SBV.out'");
        assertThat(backlog.admits()).as("8 ready, rising: below the high water mark").isTrue();
    }

    @Test
    void retriesWaitingTheirBackoffPausedRecipientsInboxesAndDeliveriesBehindAKeysHeadDoNotHoldIntake() {
        DispatchBacklog backlog = new DispatchBacklog(ds, new DispatchBacklog.Settings(10, 5, EVERY_TIME, Duration.ZERO));
        pending("SBV", 20, "now() + interval '1 minute'", null, "'lienthong.SBV.out'");
        pending("MOIT.ECDE", 20, "now()", null, "'lienthong.MOIT.ECDE.out'");
        pending("PROV.37", 20, "now()", null, "null");
        pending("MPS.C03", 20, "now()", "'MPS.C03|case-1'", "'lienthong.MPS.C03.out'");
        db.update("insert into delivery_order_head (order_key, head_seq, urgent) select order_key, min(seq), false"
                + " from delivery where order_key is not null group by order_key");
        db.update("insert into recipient_pause (recipient, paused_at, paused_by, reason) values"
                + " ('MOIT.ECDE', now(), 'op', 'quiet hour')");

        assertThat(backlog.count()).as("the keyed deliveries' head only").isEqualTo(1);
        assertThat(backlog.admits()).isTrue();

        db.update("delete from recipient_pause");
        assertThat(backlog.count()).as("the recipient resumed: its 20 are ready").isEqualTo(11);
        assertThat(backlog.admits()).isFalse();
    }

    @Test
    void aKeyCountsOnlyWhileItsHeadIsReadyToPush() {
        DispatchBacklog backlog = new DispatchBacklog(ds, new DispatchBacklog.Settings(10, 5, EVERY_TIME, Duration.ZERO));
        // Twelve keys whose heads dispatch cannot send now: an inbox's (pulled), a retry waiting its
        // backoff, a paused recipient's, a FAILED one. Counted, they would hold the intake for good.
        for (int i = 0; i < 3; i++) {
            pending("PROV.79", 1, "now()", "'PROV.79|inbox-" + i + "'", "null");
            pending("SBV", 1, "now() + interval '1 minute'", "'SBV|later-" + i + "'", "'lienthong.SBV.out'");
            pending("MOIT.ECDE", 1, "now()", "'MOIT.ECDE|paused-" + i + "'", "'lienthong.MOIT.ECDE.out'");
            pending("MPS.C03", 1, "now()", "'MPS.C03|failed-" + i + "'", "'lienthong.MPS.C03.out'");
        }
        db.update("update delivery set status = 'FAILED' where order_key like 'MPS.C03|failed-%'");
        db.update("insert into delivery_order_head (order_key, head_seq, urgent) select order_key, min(seq), false"
                + " from delivery where order_key is not null group by order_key");
        db.update("insert into recipient_pause (recipient, paused_at, paused_by, reason) values"
                + " ('MOIT.ECDE', now(), 'op', 'quiet hour')");

        assertThat(backlog.count()).as("no head ready to push").isZero();
        assertThat(backlog.admits()).isTrue();

        db.update("delete from recipient_pause");
        assertThat(backlog.count()).as("the paused recipient's three heads, resumed").isEqualTo(3);
    }

    @Test
    void aWaitEndsWhenTheBacklogDrainsAndNothingIsTakenMeanwhile() throws Exception {
        DispatchBacklog backlog = new DispatchBacklog(ds,
                new DispatchBacklog.Settings(10, 5, EVERY_TIME, Duration.ofMinutes(10)));
        pending("SBV", 11, "now()", null, "'lienthong.SBV.out'");
        AtomicBoolean taken = new AtomicBoolean();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                long waited = backlog.awaitRoom(() -> false);
                taken.set(true);
                return waited;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> backlog.waits() == 1);
        assertThat(taken).as("held while 11 are ready").isFalse();
        deliver(6);
        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        assertThat(taken).isTrue();
        assertThat(backlog.admits()).isTrue();
    }

    @Test
    void aWaitEndsWhenItsRouteStopsAndOffNeverWaits() throws Exception {
        pending("SBV", 11, "now()", null, "'lienthong.SBV.out'");
        DispatchBacklog backlog = new DispatchBacklog(ds,
                new DispatchBacklog.Settings(10, 5, EVERY_TIME, Duration.ofMinutes(10)));
        AtomicBoolean stopping = new AtomicBoolean();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return backlog.awaitRoom(stopping::get);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog.waits() == 1);
        stopping.set(true);
        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        assertThat(backlog.admits()).as("still above the bound").isFalse();

        DispatchBacklog off = new DispatchBacklog(ds, DispatchBacklog.Settings.off());
        assertThat(off.admits()).isTrue();
        assertThat(off.awaitRoom(() -> false)).isZero();
        assertThat(off.waits()).isZero();
    }

    /** {@code n} PENDING deliveries to {@code recipient}, each of a message of its own. */
    private void pending(String recipient, int n, String due, String orderKey, String address) {
        db.update("with m as (insert into message (message_id, sender, type, recipients, priority, classification,"
                + " created_at, received_at, channel, source, input_sha256, canonical, receipt) select gen_random_uuid(),"
                + " 'PROV.79', 'violation.notice', '{" + recipient + "}', 'NORMAL', 'INTERNAL', now(), now(), 'jms', 'q',"
                + " 'x', '\\x00', '\\x00' from generate_series(1, " + n + ") returning seq)"
                + " insert into delivery (id, message_seq, recipient, channel, address, format, status, order_key,"
                + " next_attempt_at, created_at, updated_at) select gen_random_uuid(), seq, '" + recipient + "', 'jms', "
                + address + ", 'canonical-json', 'PENDING', " + (orderKey == null ? "null" : orderKey) + ", " + due
                + ", now(), now() from m");
    }

    /** The {@code n} earliest ready deliveries marked DELIVERED. */
    private void deliver(int n) {
        db.update("update delivery set status = 'DELIVERED', delivered_at = now() where id in (select id from delivery"
                + " where status = 'PENDING' and next_attempt_at <= now() order by seq limit " + n + ")");
    }
}

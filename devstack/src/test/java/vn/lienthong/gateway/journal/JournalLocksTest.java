package vn.lienthong.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.schemas.v1.Priority;

/**
 * The journal's locks (issue 12, latency): a batch holds the locks of its own order keys, not one
 * lock for every writer, and the audit lock only for its append and commit; per-key order stays
 * commit order.
 */
class JournalLocksTest {

    private static final String RECIPIENT = "MOIT.ECDE";
    private static final String WAITING_ON_ADVISORY = "select count(*) from pg_stat_activity"
            + " where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'";

    private DataSource ds;
    private JdbcTemplate db;
    private ExecutorService pool;
    /** Messages whose batch the hook holds (after its deliveries, before its audit append) until {@link #release}. */
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger heldPid = new AtomicInteger();
    private JdbcJournal journal;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        pool = Executors.newFixedThreadPool(4);
        RecordHook holdingHook = new RecordHook() {
            @Override
            public List<AuditEntry> accepted(Connection connection, List<AcceptedMessage> messages) throws java.sql.SQLException {
                if (messages.stream().anyMatch(m -> held.contains(m.message().messageId()))) {
                    try (PreparedStatement ps = connection.prepareStatement("select pg_backend_pid()");
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        heldPid.set(rs.getInt(1));
                    }
                    holding.countDown();
                    try {
                        assertThat(release.await(2, TimeUnit.MINUTES)).as("released").isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return List.of();
            }

            @Override
            public List<AuditEntry> delivered(Connection connection, List<UUID> deliveryIds) {
                return List.of();
            }
        };
        journal = new JdbcJournal(ds, holdingHook);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        pool.shutdownNow();
    }

    @Test
    void aBatchHeldOnOneOrderKeyStopsNeitherAnUrgentBatchOnAnotherKeyNorAKeylessOneButTheNextOnItsKey() throws Exception {
        String key = "PROV.79|MOIT.ECDE|case-held";
        JournalEntry.Accepted slow = message(Priority.NORMAL, key);
        held.add(slow.message().messageId());
        Future<List<Recorded>> slowBatch = pool.submit(() -> journal.record(List.of(slow)));
        assertThat(holding.await(1, TimeUnit.MINUTES)).as("the slow batch holds its key").isTrue();

        // Its key's lock and its open transaction stop neither another key nor a keyless batch, nor
        // their audit appends: both commit while the slow one is still held.
        JournalEntry.Accepted urgent = message(Priority.URGENT, "PROV.79|MOIT.ECDE|case-urgent");
        JournalEntry.Accepted keyless = message(Priority.URGENT, null);
        assertThat(pool.submit(() -> journal.record(List.of(urgent))).get(1, TimeUnit.MINUTES).get(0))
                .isInstanceOf(Recorded.Accepted.class);
        assertThat(pool.submit(() -> journal.record(List.of(keyless))).get(1, TimeUnit.MINUTES).get(0))
                .isInstanceOf(Recorded.Accepted.class);
        assertThat(slowBatch).isNotDone();
        assertThat(db.queryForObject("select count(*) from message where message_id = ?", Long.class,
                urgent.message().messageId())).isEqualTo(1);

        // The next batch on the held key waits for it, on the key's lock, and then comes after it.
        JournalEntry.Accepted next = message(Priority.URGENT, key);
        Future<List<Recorded>> nextBatch = pool.submit(() -> journal.record(List.of(next)));
        await().atMost(Duration.ofMinutes(1)).until(() -> db.queryForObject(WAITING_ON_ADVISORY, Long.class) > 0);
        assertThat(nextBatch).isNotDone();
        release.countDown();
        assertThat(slowBatch.get(1, TimeUnit.MINUTES).get(0)).isInstanceOf(Recorded.Accepted.class);
        assertThat(nextBatch.get(1, TimeUnit.MINUTES).get(0)).isInstanceOf(Recorded.Accepted.class);

        assertThat(byDeliverySeq(key)).containsExactly(slow.message().messageId(), next.message().messageId());
        assertThat(db.queryForObject("select d.id from delivery_order_head h join delivery d on d.seq = h.head_seq"
                + " where h.order_key = ?", UUID.class, key)).isEqualTo(slow.deliveries().get(0).id());
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(4));
    }

    @Test
    void concurrentBatchesOnOneKeyDrawItsDeliverySeqsInCommitOrder() throws Exception {
        String shared = "PROV.79|MOIT.ECDE|case-shared";
        int writers = 4;
        int batches = 15;
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String own = "PROV.79|MOIT.ECDE|case-writer-" + w;
            running.add(pool.submit(() -> {
                for (int i = 0; i < batches; i++) {
                    // Two keys a batch, in either order, and a keyless message: sorted locks, no deadlock.
                    List<JournalEntry> batch = i % 2 == 0
                            ? List.of(message(Priority.NORMAL, shared), message(Priority.NORMAL, own),
                                    message(Priority.NORMAL, null))
                            : List.of(message(Priority.NORMAL, own), message(Priority.NORMAL, null),
                                    message(Priority.NORMAL, shared));
                    journal.record(batch);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(2, TimeUnit.MINUTES);
        }
        // Audit seq is commit order (the audit lock is held until commit): each key's deliveries, in
        // delivery seq order, are its messages in the order their batches committed.
        for (String key : List.of(shared, "PROV.79|MOIT.ECDE|case-writer-0", "PROV.79|MOIT.ECDE|case-writer-3")) {
            List<UUID> byCommit = db.queryForList("select m.message_id from delivery d join message m on m.seq ="
                    + " d.message_seq join audit a on a.action = 'MESSAGE_ACCEPTED' and a.subject = m.message_id::text"
                    + " where d.order_key = ? order by a.seq", UUID.class, key);
            assertThat(byDeliverySeq(key)).hasSize(key.equals(shared) ? writers * batches : batches)
                    .containsExactlyElementsOf(byCommit);
            // The head is the key's first delivery.
            assertThat(db.queryForObject("select d.message_seq from delivery_order_head h join delivery d"
                    + " on d.seq = h.head_seq where h.order_key = ?", Long.class, key)).isEqualTo(db.queryForObject(
                    "select message_seq from delivery where order_key = ? order by seq limit 1", Long.class, key));
        }
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(writers * batches * 3));
    }

    @Test
    void aBatchOfManyKeysLocksTheirBucketsAndStillHoldsEachOfItsKeys() throws Exception {
        List<JournalEntry> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(message(Priority.NORMAL, "PROV.79|MOIT.ECDE|case-many-" + i));
        }
        JournalEntry.Accepted first = (JournalEntry.Accepted) many.get(0);
        held.add(first.message().messageId());
        Future<List<Recorded>> manyBatch = pool.submit(() -> journal.record(many));
        assertThat(holding.await(1, TimeUnit.MINUTES)).as("the batch of many keys holds them").isTrue();
        // 300 keys, at most 256 bucket locks: the lock table is not filled by one large batch.
        assertThat(db.queryForObject("select count(*) from pg_locks where locktype = 'advisory' and pid = ?",
                Long.class, heldPid.get())).isBetween(1L, 256L);

        String key = "PROV.79|MOIT.ECDE|case-many-7";
        JournalEntry.Accepted next = message(Priority.URGENT, key);
        Future<List<Recorded>> nextBatch = pool.submit(() -> journal.record(List.of(next)));
        await().atMost(Duration.ofMinutes(1)).until(() -> db.queryForObject(WAITING_ON_ADVISORY, Long.class) > 0);
        assertThat(nextBatch).isNotDone();
        release.countDown();
        assertThat(manyBatch.get(1, TimeUnit.MINUTES)).hasSize(300);
        assertThat(nextBatch.get(1, TimeUnit.MINUTES).get(0)).isInstanceOf(Recorded.Accepted.class);
        assertThat(byDeliverySeq(key)).containsExactly(((JournalEntry.Accepted) many.get(7)).message().messageId(),
                next.message().messageId());
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(301));
    }

    private List<UUID> byDeliverySeq(String key) {
        return db.queryForList("select m.message_id from delivery d join message m on m.seq = d.message_seq"
                + " where d.order_key = ? order by d.seq", UUID.class, key);
    }

    private static JournalEntry.Accepted message(Priority priority, String orderKey) {
        PlannedDelivery delivery = Entries.push(RECIPIENT, orderKey);
        return Entries.accepted(Entries.envelope(UUID.randomUUID(), "PROV.79", List.of(RECIPIENT), null, priority),
                "receipt", delivery);
    }
}

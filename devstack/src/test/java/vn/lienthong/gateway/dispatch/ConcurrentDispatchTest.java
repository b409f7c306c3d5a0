package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.journal.TestDatabase;

/** Three dispatchers on one outbox, as three gateway instances would be (the claim skips locked rows). */
class ConcurrentDispatchTest {

    private static final int MESSAGES = 300;
    private static final int KEYS = 10;
    /** Gateway instances, each with its own dispatcher (and connections). */
    private static final int DISPATCHERS = 3;
    /** Retries are due at once, so failures interleave with the other dispatcher's rounds. */
    private static final RetryPolicy POLICY = new RetryPolicy(1_000, Duration.ZERO, 1.0, Duration.ZERO);

    private DataSource ds;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
    }

    @Test
    void threeDispatchersNeverHoldTheSameDeliveryAndKeepEachKeysOrder() throws Exception {
        // Every third message belongs to one of ten conversations; the others have no order key.
        List<JournalEntry> batch = new ArrayList<>();
        Map<UUID, String> keyOf = new HashMap<>();
        for (int i = 0; i < MESSAGES; i++) {
            String key = i % 3 == 0 ? "PROV.79|MOIT.ECDE|case-" + (i % KEYS) : null;
            JournalEntry.Accepted entry = Entries.accepted("PROV.79", UUID.randomUUID(), "r",
                    Entries.push("MOIT.ECDE", key));
            batch.add(entry);
            if (key != null) {
                keyOf.put(entry.deliveries().get(0).id(), key);
            }
        }
        new JdbcJournal(ds).record(batch);
        Map<UUID, Long> seqOf = new HashMap<>();
        new JdbcTemplate(ds).query("select id, seq from delivery", rs -> {
            seqOf.put(rs.getObject(1, UUID.class), rs.getLong(2));
        });

        Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
        Map<UUID, Integer> deliveredCount = new ConcurrentHashMap<>();
        List<String> violations = new ArrayList<>();
        AtomicInteger sends = new AtomicInteger();
        CyclicBarrier allHolding = new CyclicBarrier(DISPATCHERS);
        Map<Integer, Integer> claimedBy = new ConcurrentHashMap<>();

        Function<Boolean, Function<List<DueDelivery>, List<DeliveryOutcome>>> sender = firstRound -> due -> {
            for (DueDelivery d : due) {
                if (!inFlight.add(d.id())) {
                    record(violations, "claimed twice at once: " + d.id());
                }
                String key = keyOf.get(d.id());
                if (key != null) {
                    // Every earlier delivery of the key must already be delivered.
                    keyOf.forEach((other, otherKey) -> {
                        if (otherKey.equals(key) && seqOf.get(other) < d.seq() && !deliveredCount.containsKey(other)) {
                            record(violations, "sent " + d.seq() + " before " + seqOf.get(other) + " of " + key);
                        }
                    });
                }
            }
            if (firstRound) {
                // All dispatchers hold their claims at the same moment: the claims must be disjoint.
                try {
                    allHolding.await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            List<DeliveryOutcome> outcomes = new ArrayList<>();
            for (DueDelivery d : due) {
                if (sends.incrementAndGet() % 7 == 0) {
                    outcomes.add(new DeliveryOutcome.Failed(d.id(), "simulated"));
                } else {
                    deliveredCount.merge(d.id(), 1, Integer::sum);
                    outcomes.add(new DeliveryOutcome.Delivered(d.id()));
                }
                inFlight.remove(d.id());
            }
            return outcomes;
        };

        ExecutorService pool = Executors.newFixedThreadPool(DISPATCHERS);
        try {
            List<Future<Integer>> dispatchers = new ArrayList<>();
            for (int t = 0; t < DISPATCHERS; t++) {
                JdbcOutbox outbox = new JdbcOutbox(ds, POLICY);
                int instance = t;
                dispatchers.add(pool.submit(() -> {
                    int claimed = outbox.dispatch(20, sender.apply(true));
                    // Bounded, so that a delivery stuck by a bug fails the test instead of hanging it.
                    for (int round = 0; deliveredCount.size() < MESSAGES && round < 20_000; round++) {
                        claimed += outbox.dispatch(20, sender.apply(false));
                    }
                    claimedBy.put(instance, claimed);
                    return claimed;
                }));
            }
            int total = 0;
            for (Future<Integer> f : dispatchers) {
                total += f.get();
            }
            assertThat(total).isEqualTo(sends.get());
            System.out.println("three dispatchers: claims per instance " + claimedBy);
            // Each instance took a share: the work spread, it did not queue behind one lock.
            assertThat(claimedBy.values()).hasSize(DISPATCHERS).allSatisfy(n -> assertThat(n).isPositive());
        } finally {
            pool.shutdownNow();
        }

        assertThat(violations).isEmpty();
        assertThat(deliveredCount).hasSize(MESSAGES).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        JdbcTemplate db = new JdbcTemplate(ds);
        assertThat(db.queryForObject("select count(*) from delivery where status = 'DELIVERED'", Long.class))
                .isEqualTo(MESSAGES);
        assertThat(db.queryForObject("select count(*) from delivery_attempt_history", Long.class)).isEqualTo(sends.get());
        assertThat(db.queryForObject("select count(*) from delivery_order_head", Long.class)).isZero();
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(MESSAGES + sends.get()));
    }

    /**
     * The journal takes its order keys' locks after its message rows (issue 12, latency): message
     * seqs may then commit out of order, but a key's delivery seqs (its per-key order) are drawn under
     * the key's lock, held until commit, so a key's deliveries are claimed in commit order, and a later
     * batch's delivery is never claimed before an earlier-committed one of its key, nor an earlier one
     * after it became head. Batch A is held between its message insert and its key lock.
     */
    @Test
    void aKeysDeliveriesAreClaimedInCommitOrderWhenMessageSeqsCommitOutOfOrder() throws Exception {
        String key = "PROV.79|MOIT.ECDE|case-late-lock";
        JdbcJournal journal = new JdbcJournal(ds);
        JournalEntry.Accepted earlier = Entries.accepted("PROV.79", UUID.randomUUID(), "earlier");
        journal.record(List.of(earlier));
        JournalEntry.Accepted a = Entries.accepted("PROV.79", UUID.randomUUID(), "a", Entries.push("MOIT.ECDE", key));
        JournalEntry.Accepted b = Entries.accepted("PROV.79", UUID.randomUUID(), "b", Entries.push("MOIT.ECDE", key));
        JdbcTemplate db = new JdbcTemplate(ds);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Recorded> recordedA;
        List<Recorded> recordedB;
        try (Connection holder = ds.getConnection()) {
            holder.setAutoCommit(false);
            // 'earlier' deleted by a transaction still open: batch A's message insert draws its seqs,
            // then waits on that key until the holder ends.
            try (PreparedStatement ps = holder.prepareStatement("delete from message where message_id = ?")) {
                ps.setObject(1, earlier.message().messageId());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            Future<List<Recorded>> batchA = pool.submit(() -> journal.record(List.of(a, earlier)));
            await().atMost(Duration.ofMinutes(1)).until(() -> db.queryForObject("select count(*) from pg_stat_activity"
                    + " where datname = current_database() and wait_event = 'transactionid'", Long.class) > 0);
            // Batch B, with a later message seq, is not held behind A's message rows: it commits first.
            recordedB = pool.submit(() -> journal.record(List.of(b))).get(1, TimeUnit.MINUTES);
            holder.rollback();
            recordedA = batchA.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        long messageA = ((Recorded.Accepted) recordedA.get(0)).seq();
        long messageB = ((Recorded.Accepted) recordedB.get(0)).seq();
        assertThat(recordedA.get(1)).isInstanceOf(Recorded.Duplicate.class);
        assertThat(messageA).isLessThan(messageB);
        // The key's deliveries in delivery seq order: B's (committed first) before A's, and B's is the head.
        String byDeliverySeq = "select m.message_id from delivery d join message m on m.seq = d.message_seq"
                + " where d.order_key = ? order by d.seq";
        assertThat(db.queryForList(byDeliverySeq, UUID.class, key))
                .containsExactly(b.message().messageId(), a.message().messageId());
        assertThat(db.queryForObject("select d.id from delivery_order_head h join delivery d on d.seq = h.head_seq"
                + " where h.order_key = ?", UUID.class, key)).isEqualTo(b.deliveries().get(0).id());

        JdbcOutbox outbox = new JdbcOutbox(ds, POLICY);
        List<UUID> sent = new ArrayList<>();
        Function<List<DueDelivery>, List<DeliveryOutcome>> sender = due -> {
            List<DeliveryOutcome> outcomes = new ArrayList<>();
            for (DueDelivery d : due) {
                sent.add(d.id());
                outcomes.add(new DeliveryOutcome.Delivered(d.id()));
            }
            return outcomes;
        };
        while (outbox.dispatch(10, sender) > 0) {
            // Round after round: a key advances by one delivery a round.
        }
        assertThat(sent).containsExactly(b.deliveries().get(0).id(), a.deliveries().get(0).id());
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(5));
    }

    private static void record(List<String> violations, String violation) {
        synchronized (violations) {
            violations.add(violation);
        }
    }
}

package vn.lienthong.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.receipts.ReceiptTree;

/** The hash chain: what it stores, that it verifies, and that tampering names the entry. */
class AuditLogTest {

    private DataSource ds;
    private JdbcTemplate db;
    private final AuditLog audit = new AuditLog();

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
    }

    @Test
    void anEmptyChainVerifies() throws Exception {
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(0));
    }

    @Test
    void entriesAreChainedFromGenesisAndVerify() throws Exception {
        appendMessages(5);
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(5));
        // One journal batch each: five chained entries of one record.
        List<Map<String, Object>> rows = db.queryForList(
                "select seq, first_record, records, prev_hash, hash from audit_batch order by seq");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).containsEntry("seq", 1L).containsEntry("first_record", 1L)
                .containsEntry("records", 1).containsEntry("prev_hash", AuditLog.GENESIS);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).get("prev_hash")).isEqualTo(rows.get(i - 1).get("hash"));
        }
        // Stored at millisecond precision, so the hashed text reads back the same.
        assertThat(db.queryForList("select at from audit", OffsetDateTime.class))
                .allMatch(at -> at.getNano() % 1_000_000 == 0);
    }

    @Test
    void detailsThatJsonbRewritesStillVerify() throws Exception {
        Map<String, Object> detail = new LinkedHashMap<>();
        // jsonb orders keys by length first; the canonical form by String order.
        detail.put("zz", 1);
        detail.put("a", "Cục Cảnh sát kinh tế \"C03\" \\ tab\there\nnewline \u0000 nul \ud800 lone");
        detail.put("longer key", List.of(Map.of("y", true, "x", false), List.of()));
        detail.put("big", new BigInteger("123456789012345678901234567890"));
        detail.put("negative", -42L);
        detail.put("none", null);
        detail.put("id", UUID.fromString("6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b"));
        detail.put("when", Instant.parse("2026-11-20T02:05:00.123456Z"));
        detail.put("emoji", "\uD83D\uDE00");
        append(List.of(AuditEntry.of("MPS.C03", AuditAction.RESENT, "subject", detail),
                new AuditEntry("operator.nguyen", "CUSTOM_ACTION", "x", "{ \"b\" : [1, 2], \"a\" : {} }")));
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(2));
        assertThat(db.queryForObject("select detail->>'a' from audit where seq = 1", String.class))
                .contains("\uFFFD nul \uFFFD lone");
    }

    @Test
    void whatCannotRoundTripIsRefused() {
        assertThatThrownBy(() -> AuditEntry.of("A", AuditAction.RESENT, "s", Map.of("f", 1.5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditEntry("A", "X", "s", "{\"f\": 1.5}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditEntry("A", "X", "s", "[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.of("A\nB", AuditAction.RESENT, "s", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.of("", AuditAction.RESENT, "s", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.of("A", AuditAction.RESENT, "s", Map.of("o", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendingOutsideATransactionIsRefused() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> audit.append(c, List.of(entry(1)))).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> audit.append(ds, List.of(entry(1)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAlteredDetailNamesItsEntry() throws Exception {
        appendMessages(6);
        db.update("update audit set detail = jsonb_set(detail, '{sender}', '\"MPS.A05\"') where seq = 4");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(4,
                "hash mismatch: the entry's content was altered"));
    }

    @Test
    void anAlteredTimeActorOrActionNamesItsEntry() throws Exception {
        appendMessages(6);
        db.update("update audit set at = at + interval '1 millisecond' where seq = 2");
        assertThat(broken()).isEqualTo(2);
        setUp();
        appendMessages(6);
        db.update("update audit set actor = 'MPS.A05' where seq = 5");
        assertThat(broken()).isEqualTo(5);
        setUp();
        appendMessages(6);
        db.update("update audit set action = 'RESENT' where seq = 1");
        assertThat(broken()).isEqualTo(1);
    }

    @Test
    void aDeletedEntryIsDetected() throws Exception {
        appendMessages(6);
        db.update("delete from audit where seq = 3");
        AuditVerification result = AuditLog.verify(ds);
        assertThat(result).isInstanceOf(AuditVerification.Broken.class);
        assertThat(((AuditVerification.Broken) result).seq()).isEqualTo(3);
        assertThat(((AuditVerification.Broken) result).why()).contains("missing");

        setUp();
        appendMessages(3);
        db.update("delete from audit where seq = 1");
        assertThat(broken()).isEqualTo(1);
    }

    @Test
    void aRewrittenHashBreaksTheNextLink() throws Exception {
        appendMessages(6);
        // The forger fixes batch 3's root and hash after altering its one entry: batch 4 no longer
        // points at it.
        db.update("update audit set detail = jsonb_set(detail, '{sender}', '\"MPS.A05\"') where seq = 3");
        Map<String, Object> row = db.queryForMap("select to_char(at at time zone 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as at, actor, action, subject, detail::text as detail"
                + " from audit where seq = 3");
        byte[] leaf = AuditLog.leaf(3, (String) row.get("at"), (String) row.get("actor"), (String) row.get("action"),
                (String) row.get("subject"), AuditJson.canonicalOfJson((String) row.get("detail"), true));
        String root = HexFormat.of().formatHex(new ReceiptTree(List.of(leaf)).root());
        String prev = db.queryForObject("select prev_hash from audit_batch where seq = 3", String.class);
        db.update("update audit_batch set root = ?, hash = ? where seq = 3", root,
                AuditLog.batchHash(prev, 3, (String) row.get("at"), 3, 1, root));
        AuditVerification result = AuditLog.verify(ds);
        assertThat(result).isEqualTo(new AuditVerification.Broken(4,
                "prev_hash mismatch: batch 4 is not chained to batch 3"));
    }

    @Test
    void aBatchOfEntriesIsOneChainedEntry() throws Exception {
        appendBatch(7);
        appendBatch(1);
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(8));
        assertThat(db.queryForList("select records from audit_batch order by seq", Integer.class))
                .containsExactly(7, 1);
        assertThat(db.queryForList("select batch from audit order by seq", Long.class))
                .containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L, 2L);
        String firstHash = db.queryForObject("select hash from audit_batch where seq = 1", String.class);
        assertThat(db.queryForObject("select prev_hash from audit_batch where seq = 2", String.class))
                .isEqualTo(firstHash);
    }

    @Test
    void anAlteredEntryInsideABatchIsNamed() throws Exception {
        appendBatch(7);
        appendBatch(5);
        db.update("update audit set detail = jsonb_set(detail, '{attempt}', '99') where seq = 5");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(5,
                "hash mismatch: the entry's content was altered"));
        setUp();
        appendBatch(7);
        appendBatch(5);
        db.update("update audit set subject = 'd-forged' where seq = 10");
        assertThat(broken()).isEqualTo(10);
        setUp();
        appendBatch(7);
        // A path copied from a neighbour does not lead an entry to the root either.
        db.update("update audit set path = (select path from audit where seq = 2) where seq = 3");
        assertThat(broken()).isEqualTo(3);
    }

    @Test
    void aDeletedEntryInsideABatchIsNamed() throws Exception {
        appendBatch(7);
        appendBatch(5);
        db.update("delete from audit where seq = 4");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(4,
                "entry 4 is missing (gap in seq: the next entry is 5)"));
        setUp();
        appendBatch(7);
        appendBatch(5);
        // The last entry of the last batch: no gap, but the batch says how many it has.
        db.update("delete from audit where seq = 12");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(12,
                "entry 12 is missing (batch 2 has 5 entries from entry 8)"));
        setUp();
        appendBatch(7);
        appendBatch(5);
        // A whole last batch's entries, its chained entry left.
        db.update("delete from audit where seq >= 8");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(8,
                "entry 8 is missing (batch 2 starts with it)"));
        setUp();
        appendBatch(3);
        appendBatch(3);
        db.update("delete from audit_batch where seq = 2");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(4, "its batch 2 is missing"));
    }

    @Test
    void reorderedEntriesInsideABatchAreNamed() throws Exception {
        appendBatch(7);
        // Entries 3 and 6 swap places (their rows whole, path included).
        db.update("update audit set seq = -3 where seq = 3");
        db.update("update audit set seq = 3 where seq = 6");
        db.update("update audit set seq = 6 where seq = -3");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Broken(3,
                "hash mismatch: the entry's content was altered"));
        setUp();
        appendBatch(7);
        // Or only their contents, each keeping its seq and path.
        db.update("update audit a set detail = b.detail, subject = b.subject from audit b"
                + " where (a.seq, b.seq) in ((2, 5), (5, 2))");
        assertThat(broken()).isEqualTo(2);
    }

    @Test
    void entriesChainedOneByOneBeforeBatchesStillVerifyAndTheFirstBatchChainsToThem() throws Exception {
        // As V1..V4 stored them: each record with its own prev_hash and hash.
        String prev = AuditLog.GENESIS;
        for (int seq = 1; seq <= 3; seq++) {
            AuditEntry e = entry(seq);
            String at = "2026-11-20T02:05:00.123Z";
            String hash = AuditLog.hash(prev, seq, at, e.actor(), e.action(), e.subject(), e.detail());
            db.update("insert into audit (seq, at, actor, action, subject, detail, prev_hash, hash)"
                    + " values (?, cast(? as timestamptz), ?, ?, ?, cast(? as jsonb), ?, ?)", seq, at, e.actor(),
                    e.action(), e.subject(), e.detail(), prev, hash);
            prev = hash;
        }
        appendBatch(4);
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(7));
        assertThat(db.queryForObject("select prev_hash from audit_batch where seq = 1", String.class)).isEqualTo(prev);
        db.update("update audit set subject = 'x' where seq = 2");
        assertThat(broken()).isEqualTo(2);
    }

    @Test
    void concurrentWritersBuildOneChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Callable<Object> writer = () -> {
                    for (int i = 0; i < 25; i++) {
                        append(List.of(entry(i), entry(i + 1)));
                    }
                    return null;
                };
                futures.add(pool.submit(writer));
            }
            for (Future<Object> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(200));
    }

    private long broken() throws Exception {
        AuditVerification result = AuditLog.verify(ds);
        assertThat(result).isInstanceOf(AuditVerification.Broken.class);
        return ((AuditVerification.Broken) result).seq();
    }

    private void appendMessages(int n) {
        JdbcJournal journal = new JdbcJournal(ds);
        for (int i = 0; i < n; i++) {
            journal.record(List.of(Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("MOIT.ECDE", null))));
        }
    }

    private void appendBatch(int n) throws Exception {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(entry(i));
        }
        append(entries);
    }

    private void append(List<AuditEntry> entries) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            audit.append(c, entries);
            c.commit();
        }
    }

    private static AuditEntry entry(int i) {
        return AuditEntry.of(AuditLog.GATEWAY, AuditAction.DELIVERED, "d-" + i, Map.of("attempt", i));
    }
}

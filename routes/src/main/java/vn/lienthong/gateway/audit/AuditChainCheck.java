package vn.lienthong.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import vn.lienthong.gateway.receipts.ReceiptTree;

/**
 * Follows the audit chain record by record, in seq order, and says the first record that does not
 * verify: for {@code audit-verify} (from the start) and for monitoring (from where it starts
 * reading). Read rows with {@link #COLUMNS} and {@link #FROM}, in {@code a.seq} order.
 */
public final class AuditChainCheck {

    /** The columns {@link #next} reads, first in the select list, in this order. */
    public static final String COLUMNS = "a.seq, a.at, a.actor, a.action, a.subject, a.detail::text, a.prev_hash,"
            + " a.hash, a.batch, a.path, b.seq, b.at, b.first_record, b.records, b.root, b.prev_hash, b.hash";

    /** The tables: {@code audit a} with its batch {@code b} (absent when deleted or chained one by one). */
    public static final String FROM = " from audit a left join audit_batch b on b.seq = a.batch";

    private long expected = 1;
    /** The hash the next chained entry (a batch, or a record chained one by one) must name as prev. */
    private String head = AuditLog.GENESIS;
    private long batch;
    private long batchFirst;
    private int batchRecords;
    private byte[] batchRoot;

    /** A check from the first record. */
    public AuditChainCheck() {
    }

    /**
     * A check that trusts what is stored up to the last record now (a follower that starts at the
     * end, as the metrics do) and checks what comes after it.
     */
    public static AuditChainCheck fromEnd(Connection connection) throws SQLException {
        AuditChainCheck check = new AuditChainCheck();
        try (PreparedStatement ps = connection.prepareStatement("select " + COLUMNS + FROM
                + " where a.seq = (select max(seq) from audit)");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                check.expected = rs.getLong(1) + 1;
                rs.getLong(9);
                if (rs.wasNull()) {
                    check.head = rs.getString(8);
                } else {
                    check.batch = rs.getLong(11);
                    check.batchFirst = rs.getLong(13);
                    check.batchRecords = rs.getInt(14);
                    check.batchRoot = root(rs.getString(15));
                    check.head = rs.getString(17);
                }
            }
        }
        return check;
    }

    /** The count of records checked so far (from the first), or the seq of the last one checked. */
    public long checked() {
        return expected - 1;
    }

    /** Checks the current row of {@code rs} (read with {@link #COLUMNS}); null when it verifies. */
    public AuditVerification.Broken next(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        if (seq != expected) {
            return new AuditVerification.Broken(expected, seq > expected
                    ? "entry " + expected + " is missing (gap in seq: the next entry is " + seq + ")"
                    : "seq out of order (" + seq + " after " + (expected - 1) + ")");
        }
        String detail;
        try {
            detail = AuditJson.canonicalOfJson(rs.getString(6), false);
        } catch (IllegalArgumentException e) {
            return new AuditVerification.Broken(seq, "detail unreadable");
        }
        String at = AuditLog.format(rs.getObject(2, OffsetDateTime.class).toInstant());
        long recordBatch = rs.getLong(9);
        if (rs.wasNull()) {
            return oneByOne(rs, seq, at, detail);
        }
        if (recordBatch != batch) {
            AuditVerification.Broken broken = startBatch(rs, seq, recordBatch);
            if (broken != null) {
                return broken;
            }
        }
        if (seq >= batchFirst + batchRecords) {
            return new AuditVerification.Broken(seq, "not one of the " + batchRecords + " entries of batch " + batch
                    + " (from entry " + batchFirst + ")");
        }
        List<ReceiptTree.Step> path = AuditLog.path(rs.getBytes(10));
        if (path == null || !ReceiptTree.leadsTo(
                AuditLog.leaf(seq, at, rs.getString(3), rs.getString(4), rs.getString(5), detail), path, batchRoot)) {
            return new AuditVerification.Broken(seq, "hash mismatch: the entry's content was altered");
        }
        expected++;
        return null;
    }

    /**
     * After the last row: whether the last batch has all its records and no batch follows it
     * without records (its records deleted from the end). Null when it verifies.
     */
    public AuditVerification.Broken end(Connection connection) throws SQLException {
        if (batch != 0 && expected < batchFirst + batchRecords) {
            return new AuditVerification.Broken(expected, "entry " + expected + " is missing (batch " + batch
                    + " has " + batchRecords + " entries from entry " + batchFirst + ")");
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "select seq, first_record from audit_batch where seq > ? order by seq limit 1")) {
            ps.setLong(1, batch);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new AuditVerification.Broken(rs.getLong(2), "entry " + rs.getLong(2)
                            + " is missing (batch " + rs.getLong(1) + " starts with it)");
                }
            }
        }
        return null;
    }

    private AuditVerification.Broken oneByOne(ResultSet rs, long seq, String at, String detail) throws SQLException {
        if (batch != 0) {
            return new AuditVerification.Broken(seq, "chained one by one after entries chained in batches");
        }
        String storedPrev = rs.getString(7);
        if (!head.equals(storedPrev)) {
            return new AuditVerification.Broken(seq, seq == 1
                    ? "prev_hash of the first entry is not " + AuditLog.GENESIS
                    : "prev_hash mismatch: it is not the hash of entry " + (seq - 1));
        }
        String stored = rs.getString(8);
        if (!AuditLog.hash(storedPrev, seq, at, rs.getString(3), rs.getString(4), rs.getString(5), detail)
                .equals(stored)) {
            return new AuditVerification.Broken(seq, "hash mismatch: the entry's content was altered");
        }
        head = stored;
        expected++;
        return null;
    }

    private AuditVerification.Broken startBatch(ResultSet rs, long seq, long recordBatch) throws SQLException {
        if (batch != 0 && seq < batchFirst + batchRecords) {
            return new AuditVerification.Broken(seq, "names batch " + recordBatch + " inside batch " + batch
                    + " (entries " + batchFirst + " to " + (batchFirst + batchRecords - 1) + ")");
        }
        long stored = rs.getLong(11);
        if (rs.wasNull()) {
            return new AuditVerification.Broken(seq, "its batch " + recordBatch + " is missing");
        }
        if (stored != batch + 1) {
            return new AuditVerification.Broken(seq, stored > batch + 1
                    ? "batch " + (batch + 1) + " is missing (the entry names batch " + stored + ")"
                    : "batch out of order (" + stored + " after " + batch + ")");
        }
        long first = rs.getLong(13);
        if (first != seq) {
            return new AuditVerification.Broken(seq, "batch " + stored + " starts at entry " + first + ", not here");
        }
        String prev = rs.getString(16);
        if (!head.equals(prev)) {
            return new AuditVerification.Broken(seq, "prev_hash mismatch: batch " + stored
                    + (batch == 0 ? " does not chain to the entries before it" : " is not chained to batch " + batch));
        }
        int records = rs.getInt(14);
        String rootHex = rs.getString(15);
        String hash = rs.getString(17);
        String at = AuditLog.format(rs.getObject(12, OffsetDateTime.class).toInstant());
        byte[] root = root(rootHex);
        if (root == null || !AuditLog.batchHash(prev, stored, at, first, records, rootHex).equals(hash)) {
            return new AuditVerification.Broken(seq, "hash mismatch: batch " + stored
                    + "'s root, time or range was altered");
        }
        batch = stored;
        batchFirst = first;
        batchRecords = records;
        batchRoot = root;
        head = hash;
        return null;
    }

    private static byte[] root(String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

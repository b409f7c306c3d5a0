package vn.lienthong.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import vn.lienthong.gateway.receipts.ReceiptTree;

/**
 * The hash-chained audit log: appends entries inside the caller's transaction and verifies the
 * chain.
 *
 * <p>Since V5_1 each append is one batch (a journal batch, a dispatch round; a single act is a
 * batch of one): one chained entry in {@code audit_batch}, {@code hash = sha256hex(prev_hash "\n"
 * "batch" "\n" seq "\n" at "\n" first_record "\n" records "\n" root)}, whose root is the Merkle
 * root ({@link ReceiptTree}: the same RFC 6962 hashing as the batch receipts) over its records'
 * leaves {@code seq "\n" at "\n" actor "\n" action "\n" subject "\n" detail}; each {@code audit}
 * row keeps its record and its path to the root, so the check names the altered record. One lock
 * round and one chained hash per batch, not per message.
 *
 * <p>Before V5_1, entry {@code n} stored {@code hash = sha256hex(prev_hash "\n" seq "\n" at "\n" actor "\n"
 * action "\n" subject "\n" detail)} where {@code prev_hash} is entry {@code n-1}'s hash (64 zeros
 * for the first), {@code at} is ISO-8601 UTC with exactly three fraction digits (the time is
 * truncated to milliseconds before it is stored, so it reads back the same) and {@code detail} is
 * the canonical JSON of {@link AuditJson} (jsonb reorders keys; verification re-renders).
 *
 * <p>Appends are serialized by a transaction-level advisory lock ({@link #LOCK_KEY}), held until
 * commit, so seq order is commit order and the chain has one order across gateway instances. It
 * is taken last, by the append itself, and held only for the append's statements and the commit:
 * it no longer orders anything else (issue 12, latency). What else needs an order has a lock of
 * its own, all transaction-level advisory locks:
 * <ul>
 * <li>the order keys ({@link #lockOrderKeys}): delivery seqs of one order key are drawn, and its
 * head in {@code delivery_order_head} moved, only under the key's lock, so per-key order is commit
 * order; deliveries without a key need no order beyond their seq;</li>
 * <li>the cases ({@link #lockCases}): a transaction that locks more than one workflow case row holds
 * it (the record hook, the deadline sweep), so case-row waits are never circular; one that locks a
 * single case row needs none (holding one, waiting for no other, it closes no cycle);</li>
 * <li>a mutex per sweep that must run once across instances ({@link #mutex}).</li>
 * </ul>
 *
 * <p>The rule that keeps this deadlock-free: a transaction takes its sweep mutex (if any) first,
 * then its row locks (claims, updates), then the order-key locks (all at once, in sorted order),
 * then the cases lock and case rows, then the audit lock; nobody takes a row lock, an order-key lock
 * or the cases lock after the audit lock (rows a transaction inserts fresh, with new unique keys,
 * are not waited for, so the notices a sweep records after its case rows are no exception).
 * Time comes from the database clock, one clock for all instances.
 */
public final class AuditLog {

    /** The advisory lock key that serializes appends ("lienthon" in ASCII). */
    public static final long LOCK_KEY = 0x6c69656e74686f6eL;

    /**
     * The first int of the two-int advisory locks on single order keys ("ltk1"); the second is
     * {@code hashtext(order_key)}. The two-int form never meets the bigint {@link #LOCK_KEY}.
     */
    public static final int ORDER_KEY_SPACE = 0x6c746b31;
    /** The first int of the locks on order-key buckets ("ltk0"); the second is {@code hashtext(order_key) & 255}. */
    public static final int ORDER_BUCKET_SPACE = 0x6c746b30;
    /** The first int of the mutexes ("ltmx"); the second is a {@link Mutex}'s number. */
    public static final int MUTEX_SPACE = 0x6c746d78;
    /**
     * Up to this many distinct order keys a transaction locks each key (and its bucket, shared);
     * beyond it, their buckets exclusively: at most 2 x 64 or 256 lock-table slots a transaction,
     * inside PostgreSQL's lock table (64 slots per connection by default) whatever the batch.
     */
    static final int MAX_KEY_LOCKS = 64;

    /** Cross-instance mutexes, each a transaction-level advisory lock of its own. */
    public enum Mutex {
        /** Workflow case rows: locked only by a holder ({@link #lockCases}). */
        CASES(1),
        /** The deadline sweep (workflows.Escalations): once per case and deadline across instances. */
        ESCALATIONS(2),
        /** The report reminder sweep: once per period and party. */
        REPORT_REMINDERS(3),
        /** The early-warning digests: once per week and recipient. */
        WARNING_DIGESTS(4);

        private final int number;

        Mutex(int number) {
            this.number = number;
        }
    }

    /** The actor of changes the gateway makes by itself. */
    public static final String GATEWAY = "GATEWAY";

    /** The prev_hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int FETCH_SIZE = 1_000;
    private static final int STEP = 33;

    /**
     * Takes the append lock now (re-entrant within the transaction). {@link #append} takes it
     * itself; call it only right before an append (nothing but the append and the commit may
     * follow it: see the rule above).
     */
    public void lock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    /**
     * Takes the locks of these order keys until commit, in one call per transaction (after its row
     * locks, before the cases and audit locks), in sorted order: a few keys each its own lock (and
     * its bucket's, shared); many keys their buckets', exclusive, so a batch of a thousand keys
     * takes 256 locks at most. Two transactions sharing a key, or one bucketing a key's bucket,
     * run one after the other; others do not wait for each other. Nulls are skipped.
     */
    public static void lockOrderKeys(Connection connection, Collection<String> orderKeys) throws SQLException {
        Set<String> keys = new TreeSet<>();
        for (String key : orderKeys) {
            if (key != null) {
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        Array array = connection.createArrayOf("text", keys.toArray());
        // The ordered subquery is not flattened (ORDER BY, DISTINCT): the locks are taken in its order.
        String buckets = "(select distinct hashtext(k) & 255 as b from unnest(?::text[]) k order by 1) s";
        if (keys.size() > MAX_KEY_LOCKS) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "select count(pg_advisory_xact_lock(?, b)) from " + buckets)) {
                ps.setInt(1, ORDER_BUCKET_SPACE);
                ps.setArray(2, array);
                ps.execute();
            }
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "select count(pg_advisory_xact_lock_shared(?, b)) from " + buckets)) {
            ps.setInt(1, ORDER_BUCKET_SPACE);
            ps.setArray(2, array);
            ps.execute();
        }
        try (PreparedStatement ps = connection.prepareStatement("select count(pg_advisory_xact_lock(?, h)) from"
                + " (select distinct hashtext(k) as h from unnest(?::text[]) k order by 1) s")) {
            ps.setInt(1, ORDER_KEY_SPACE);
            ps.setArray(2, array);
            ps.execute();
        }
    }

    /**
     * Takes the cases lock until commit (re-entrant): before any workflow case row is locked, after
     * the transaction's order-key locks, before the audit lock.
     */
    public static void lockCases(Connection connection) throws SQLException {
        mutex(connection, Mutex.CASES);
    }

    /** Takes {@code mutex} until commit (re-entrant); a sweep's mutex comes before all its other locks. */
    public static void mutex(Connection connection, Mutex mutex) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, MUTEX_SPACE);
            ps.setInt(2, mutex.number);
            ps.execute();
        }
    }

    /**
     * Appends the entries, in order, inside the transaction of {@code connection} (which must not
     * be in auto-commit), as one batch: one chained entry in {@code audit_batch} over the Merkle
     * root of the records, and one {@code audit} row per record with its path to that root. Returns
     * the seq of the first record; the others follow it.
     */
    public long append(Connection connection, List<AuditEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("audit entries are appended inside a transaction");
        }
        lock(connection);
        long seq;
        long batch;
        String prev;
        Instant at;
        try (PreparedStatement ps = connection.prepareStatement(
                "select clock_timestamp(), a.seq, a.hash, b.seq, b.hash from (select 1) x"
                        + " left join lateral (select seq, hash from audit order by seq desc limit 1) a on true"
                        + " left join lateral (select seq, hash from audit_batch order by seq desc limit 1) b on true");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            at = rs.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MILLIS);
            seq = rs.getLong(2);
            String lastRecordHash = rs.getString(3);
            batch = rs.getLong(4);
            // The first batch chains to the last record chained one by one (before V5_1), if any.
            prev = !rs.wasNull() ? rs.getString(5) : lastRecordHash != null ? lastRecordHash : GENESIS;
        }
        long first = seq + 1;
        batch++;
        String atText = AT.format(at);
        OffsetDateTime atValue = at.atOffset(ZoneOffset.UTC);
        List<byte[]> leaves = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry entry = entries.get(i);
            leaves.add(leaf(first + i, atText, entry.actor(), entry.action(), entry.subject(), entry.detail()));
        }
        ReceiptTree tree = new ReceiptTree(leaves);
        String root = HexFormat.of().formatHex(tree.root());
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into audit_batch (seq, at, first_record, records, root, prev_hash, hash)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, batch);
            ps.setObject(2, atValue);
            ps.setLong(3, first);
            ps.setInt(4, entries.size());
            ps.setString(5, root);
            ps.setString(6, prev);
            ps.setString(7, batchHash(prev, batch, atText, first, entries.size(), root));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into audit (seq, at, actor, action, subject, detail, batch, path)"
                        + " values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)")) {
            for (int i = 0; i < entries.size(); i++) {
                AuditEntry entry = entries.get(i);
                ps.setLong(1, first + i);
                ps.setObject(2, atValue);
                ps.setString(3, entry.actor());
                ps.setString(4, entry.action());
                ps.setString(5, entry.subject());
                ps.setString(6, entry.detail());
                ps.setLong(7, batch);
                ps.setBytes(8, pathBytes(tree.path(i)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return first;
    }

    /**
     * Appends inside the current Spring-managed transaction on {@code dataSource}, for components
     * that use Spring's transactions rather than a connection of their own.
     */
    public long append(DataSource dataSource, List<AuditEntry> entries) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("audit entries are appended inside a transaction");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return append(connection, entries);
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getSQLState(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Verifies the whole chain from a connection of its own; see {@link #verify(Connection)}. */
    public static AuditVerification verify(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return verify(connection);
        }
    }

    /**
     * Streams the records in seq order (bounded memory) with their batches and checks, record by
     * record, that no seq is missing, that each batch chains to the one before and that its hash
     * covers its root and range, and that each record leads by its path to its batch's root (so an
     * altered, moved or reordered record is named, not only its batch); records chained one by one
     * before V5_1 are checked as they were. Returns the count of records, or the first that fails
     * and why. Removing whole batches with their records from the end of the chain is not
     * detectable from the chain alone: compare with an earlier count or head hash.
     */
    public static AuditVerification verify(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        // The driver streams with a cursor only inside a transaction; one snapshot for the records and
        // the batch rows read after them, or a batch committed meanwhile by a running instance would
        // look like records deleted.
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (PreparedStatement ps = connection.prepareStatement(
                "select " + AuditChainCheck.COLUMNS + AuditChainCheck.FROM + " order by a.seq",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(FETCH_SIZE);
            AuditChainCheck check = new AuditChainCheck();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditVerification.Broken broken = check.next(rs);
                    if (broken != null) {
                        return broken;
                    }
                }
            }
            AuditVerification.Broken broken = check.end(connection);
            return broken != null ? broken : new AuditVerification.Ok(check.checked());
        } finally {
            connection.rollback();
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The bytes of a record's leaf: {@code seq \n at \n actor \n action \n subject \n canonical detail}. */
    static byte[] leaf(long seq, String at, String actor, String action, String subject, String canonicalDetail) {
        return (seq + "\n" + at + "\n" + actor + "\n" + action + "\n" + subject + "\n" + canonicalDetail)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The hash of one batch, as stored: it chains to {@code prevHash} and covers the root and range. */
    static String batchHash(String prevHash, long seq, String at, long firstRecord, int records, String root) {
        return sha256Hex(Objects.requireNonNull(prevHash) + "\nbatch\n" + seq + "\n" + at + "\n" + firstRecord
                + "\n" + records + "\n" + root);
    }

    /** A path as stored: 33 bytes a step, 1 if the sibling is on the left (else 0), then its hash. */
    static byte[] pathBytes(List<ReceiptTree.Step> path) {
        byte[] bytes = new byte[path.size() * STEP];
        for (int i = 0; i < path.size(); i++) {
            ReceiptTree.Step step = path.get(i);
            bytes[i * STEP] = (byte) (step.left() ? 1 : 0);
            System.arraycopy(step.sibling(), 0, bytes, i * STEP + 1, STEP - 1);
        }
        return bytes;
    }

    /** The path stored as {@link #pathBytes}; null when the bytes are not one. */
    static List<ReceiptTree.Step> path(byte[] bytes) {
        if (bytes == null || bytes.length % STEP != 0) {
            return null;
        }
        List<ReceiptTree.Step> path = new ArrayList<>(bytes.length / STEP);
        for (int i = 0; i < bytes.length; i += STEP) {
            if (bytes[i] != 0 && bytes[i] != 1) {
                return null;
            }
            path.add(new ReceiptTree.Step(Arrays.copyOfRange(bytes, i + 1, i + STEP), bytes[i] == 1));
        }
        return path;
    }

    static String format(Instant at) {
        return AT.format(at);
    }

    /** The hash of one entry, as stored. */
    static String hash(String prevHash, long seq, String at, String actor, String action, String subject,
            String canonicalDetail) {
        return sha256Hex(Objects.requireNonNull(prevHash) + "\n" + seq + "\n" + at + "\n" + actor + "\n" + action
                + "\n" + subject + "\n" + canonicalDetail);
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package vn.lienthong.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The hash-chained audit log: appends entries inside the caller's transaction and verifies the
 * chain.
 *
 * <p>Entry {@code n} stores {@code hash = sha256hex(prev_hash "\n" seq "\n" at "\n" actor "\n"
 * action "\n" subject "\n" detail)} where {@code prev_hash} is entry {@code n-1}'s hash (64 zeros
 * for the first), {@code at} is ISO-8601 UTC with exactly three fraction digits (the time is
 * truncated to milliseconds before it is stored, so it reads back the same) and {@code detail} is
 * the canonical JSON of {@link AuditJson} (jsonb reorders keys; verification re-renders).
 *
 * <p>Appends are serialized by a transaction-level advisory lock ({@link #LOCK_KEY}), held until
 * commit, so seq order is commit order and the chain has one order across gateway instances. To
 * stay deadlock-free, a transaction takes every row lock it needs before it appends (or locks).
 * Time comes from the database clock, one clock for all instances.
 */
public final class AuditLog {

    /** The advisory lock key that serializes appends ("lienthon" in ASCII). */
    public static final long LOCK_KEY = 0x6c69656e74686f6eL;

    /** The actor of changes the gateway makes by itself. */
    public static final String GATEWAY = "GATEWAY";

    /** The prev_hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int FETCH_SIZE = 1_000;

    /**
     * Takes the append lock now (re-entrant within the transaction). Writers that must commit in
     * the order they allocate sequence numbers (the journal) take it before their first insert.
     */
    public void lock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    /**
     * Appends the entries, in order, inside the transaction of {@code connection} (which must not
     * be in auto-commit). Returns the seq of the first; the others follow it.
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
        String prev;
        Instant at;
        try (PreparedStatement ps = connection.prepareStatement(
                "select clock_timestamp(), a.seq, a.hash from (select 1) x"
                        + " left join lateral (select seq, hash from audit order by seq desc limit 1) a on true");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            at = rs.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MILLIS);
            seq = rs.getLong(2);
            prev = rs.wasNull() ? GENESIS : rs.getString(3);
        }
        long first = seq + 1;
        String atText = AT.format(at);
        OffsetDateTime atValue = at.atOffset(ZoneOffset.UTC);
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into audit (seq, at, actor, action, subject, detail, prev_hash, hash)"
                        + " values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)")) {
            for (AuditEntry entry : entries) {
                seq++;
                String hash = hash(prev, seq, atText, entry.actor(), entry.action(), entry.subject(), entry.detail());
                ps.setLong(1, seq);
                ps.setObject(2, atValue);
                ps.setString(3, entry.actor());
                ps.setString(4, entry.action());
                ps.setString(5, entry.subject());
                ps.setString(6, entry.detail());
                ps.setString(7, prev);
                ps.setString(8, hash);
                ps.addBatch();
                prev = hash;
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
     * Streams the chain in seq order (bounded memory) and checks, entry by entry, that no seq is
     * missing, that prev_hash is the previous entry's hash and that the hash covers the content.
     * Returns the count, or the first entry that fails and why. Removing entries from the end of
     * the chain is not detectable from the chain alone: compare with an earlier count or head hash.
     */
    public static AuditVerification verify(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        // The driver streams with a cursor only inside a transaction.
        connection.setAutoCommit(false);
        try (PreparedStatement ps = connection.prepareStatement(
                "select seq, at, actor, action, subject, detail::text, prev_hash, hash from audit order by seq",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                long expected = 1;
                String prev = GENESIS;
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != expected) {
                        return new AuditVerification.Broken(expected, seq > expected
                                ? "entry " + expected + " is missing (gap in seq: the next entry is " + seq + ")"
                                : "seq out of order (" + seq + " after " + (expected - 1) + ")");
                    }
                    String storedPrev = rs.getString(7);
                    if (!prev.equals(storedPrev)) {
                        return new AuditVerification.Broken(seq, seq == 1
                                ? "prev_hash of the first entry is not " + GENESIS
                                : "prev_hash mismatch: it is not the hash of entry " + (seq - 1));
                    }
                    String detail;
                    try {
                        detail = AuditJson.canonicalOfJson(rs.getString(6), false);
                    } catch (IllegalArgumentException e) {
                        return new AuditVerification.Broken(seq, "detail unreadable");
                    }
                    String at = AT.format(rs.getObject(2, OffsetDateTime.class).toInstant());
                    String computed = hash(storedPrev, seq, at, rs.getString(3), rs.getString(4), rs.getString(5),
                            detail);
                    String stored = rs.getString(8);
                    if (!computed.equals(stored)) {
                        return new AuditVerification.Broken(seq, "hash mismatch: the entry's content was altered");
                    }
                    prev = stored;
                    expected++;
                }
                return new AuditVerification.Ok(expected - 1);
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Whether one stored entry is intact: its prev_hash is {@code expectedPrev} (the previous entry's
     * hash) and its hash covers its content. For readers that follow the chain as it grows
     * (monitoring) rather than verify it whole.
     */
    public static boolean intact(String expectedPrev, long seq, Instant at, String actor, String action,
            String subject, String detailJson, String prevHash, String hash) {
        if (!Objects.equals(expectedPrev, prevHash)) {
            return false;
        }
        try {
            String detail = AuditJson.canonicalOfJson(detailJson, false);
            return hash(prevHash, seq, AT.format(at), actor, action, subject, detail).equals(hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The hash of one entry, as stored. */
    static String hash(String prevHash, long seq, String at, String actor, String action, String subject,
            String canonicalDetail) {
        String text = Objects.requireNonNull(prevHash) + "\n" + seq + "\n" + at + "\n" + actor + "\n" + action
                + "\n" + subject + "\n" + canonicalDetail;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

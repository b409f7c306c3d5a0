package vn.lienthong.gateway.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import vn.lienthong.gateway.atrest.BodyCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditJson;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.message.PlannedDelivery;

/**
 * The journal on PostgreSQL: one transaction per batch, multi-row and JDBC-batched inserts.
 *
 * <p>Messages go in with one multi-row {@code insert ... on conflict (sender, message_id) do nothing
 * returning} per chunk, which tells which rows are new; the stored receipts of the others are read
 * in one query. A repeated messageId with the same content (the same canonical message: equal
 * JSON, whatever the native bytes or channel it came in), in an earlier batch or earlier in the
 * same batch, yields {@link Recorded.Duplicate} with the original seq and receipt and records
 * nothing — not even an audit entry: a duplicate changes no state, and a sender retrying in a loop
 * must not grow the chain that every writer serializes on (count duplicates in metrics instead).
 * A repeated messageId with other content is a reuse: the journal quarantines the entry that
 * {@code reused} makes of it (refused MESSAGE_ID_REUSED, with its own receipt), in the same
 * transaction, so the sender learns that its correction did not go through.
 *
 * <p>Locks are taken late and narrow (the rule in {@link AuditLog}): the message and quarantine
 * rows (the bulk of a batch: sealed bodies, their indexes) go in first, without any, since nothing
 * orders by a message's seq and their dedupe is the unique key's. Then the locks of the batch's
 * order keys ({@link AuditLog#lockOrderKeys}), under which go the deliveries, whose seq is the
 * per-key order, and the order-key heads ({@link OrderHeads}); so a key's delivery seqs are drawn
 * in commit order and its head is computed from everything committed for it before: a dispatcher
 * never sees delivery n+1 of an order key committed while delivery n is still in flight, even when
 * two batches are in flight at once. Keyless deliveries take no lock: dispatch claims them by seq,
 * and one whose lower seq commits later is just claimed later. Then the record hook (the workflows,
 * which take the cases lock if they lock more than one case row) and, last, the audit lock for the
 * append, held until the commit. An urgent batch so waits only for batches sharing one of its order
 * keys and for other transactions' appends and commits, not for their deliveries, heads and hooks
 * (issue 12, the latency mode). A batch of duplicates only appends nothing and takes no lock at all.
 */
public final class JdbcJournal implements Journal {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    /** 20 parameters a row: 1,000 rows stay well under the protocol's 32,767 parameters. */
    private static final int ROWS_PER_INSERT = 1_000;
    private static final String MESSAGE_COLUMNS = "insert into message (message_id, sender, type, recipients,"
            + " correlation_id, in_reply_to, priority, classification, created_at, received_at, channel, source,"
            + " input_sha256, original, canonical, receipt, signature_status, signer_agency, signer_subject,"
            + " signer_fingerprint) values ";
    private static final String MESSAGE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Function<JournalEntry.Accepted, JournalEntry.Refused> NO_REUSE = a -> {
        throw new IllegalStateException("messageId " + a.message().messageId() + " of " + a.message().sender()
                + " reused with other content, and this journal was given no way to refuse it");
    };

    private final JdbcTx tx;
    private final AuditLog audit = new AuditLog();
    private final RecordHook hook;
    private final Function<JournalEntry.Accepted, JournalEntry.Refused> reused;
    /** Body bytes (original, canonical, quarantined) pass through it on their way in and out. */
    private BodyCipher cipher = BodyCipher.CLEAR;
    private Runnable urgentCommitted = () -> { };

    /** A journal with transactions of its own on {@code dataSource}; a reused messageId fails its batch. */
    public JdbcJournal(DataSource dataSource) {
        this(new JdbcTx(dataSource), RecordHook.NONE, NO_REUSE);
    }

    /** A journal with transactions of its own whose accepted messages also go to {@code hook}. */
    public JdbcJournal(DataSource dataSource, RecordHook hook) {
        this(new JdbcTx(dataSource), hook, NO_REUSE);
    }

    /** A journal whose batches run in (or join) transactions of {@code transactions}; a reused messageId fails its batch. */
    public JdbcJournal(DataSource dataSource, PlatformTransactionManager transactions) {
        this(new JdbcTx(dataSource, transactions), RecordHook.NONE, NO_REUSE);
    }

    /**
     * A journal whose batches run in (or join) transactions of {@code transactions} and whose
     * accepted messages advance {@code hook} (the workflows) in the same transaction.
     */
    public JdbcJournal(DataSource dataSource, PlatformTransactionManager transactions, RecordHook hook) {
        this(new JdbcTx(dataSource, transactions), hook, NO_REUSE);
    }

    /**
     * A journal whose batches run in (or join) transactions of {@code transactions}, quarantining
     * what {@code reused} makes of an entry that reuses a messageId for other content.
     */
    public JdbcJournal(DataSource dataSource, PlatformTransactionManager transactions,
            Function<JournalEntry.Accepted, JournalEntry.Refused> reused) {
        this(new JdbcTx(dataSource, transactions), RecordHook.NONE, reused);
    }

    /**
     * The gateway's journal: batches in (or joining) transactions of {@code transactions}, accepted
     * messages advancing {@code hook} in the same transaction, a reused messageId quarantined as
     * {@code reused} makes it.
     */
    public JdbcJournal(DataSource dataSource, PlatformTransactionManager transactions, RecordHook hook,
            Function<JournalEntry.Accepted, JournalEntry.Refused> reused) {
        this(new JdbcTx(dataSource, transactions), hook, reused);
    }

    private JdbcJournal(JdbcTx tx, RecordHook hook, Function<JournalEntry.Accepted, JournalEntry.Refused> reused) {
        this.tx = tx;
        this.hook = java.util.Objects.requireNonNull(hook, "hook");
        this.reused = java.util.Objects.requireNonNull(reused, "reused");
    }

    /** Seals the bodies this journal writes (and opens those it reads) with {@code cipher}; returns this journal. */
    public JdbcJournal withCipher(BodyCipher cipher) {
        this.cipher = java.util.Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    /**
     * Runs {@code listener} after the commit of a batch that planned an urgent delivery (the
     * dispatcher's wake); returns this journal.
     */
    public JdbcJournal whenUrgentCommitted(Runnable listener) {
        this.urgentCommitted = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public List<Recorded> record(List<JournalEntry> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        return tx.write(connection -> record(connection, batch));
    }

    private record Key(String sender, UUID messageId) {
        static Key of(JournalEntry.Accepted accepted) {
            return new Key(accepted.message().sender(), accepted.message().messageId());
        }
    }

    private record Stored(long seq, byte[] receipt, byte[] canonical) {
    }

    private List<Recorded> record(Connection connection, List<JournalEntry> batch) throws SQLException {
        Map<Key, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof JournalEntry.Accepted accepted) {
                firstIndex.putIfAbsent(Key.of(accepted), i);
            }
        }
        List<JournalEntry.Accepted> candidates = new ArrayList<>(firstIndex.size());
        firstIndex.values().forEach(i -> candidates.add((JournalEntry.Accepted) batch.get(i)));
        Map<Key, Long> inserted = insertMessages(connection, candidates);
        List<Key> earlier = firstIndex.keySet().stream().filter(k -> !inserted.containsKey(k)).toList();
        Map<Key, Stored> stored = earlier.isEmpty() ? Map.of() : selectStored(connection, earlier);

        Recorded[] results = new Recorded[batch.size()];
        List<JournalEntry.Accepted> fresh = new ArrayList<>();
        List<Long> freshSeqs = new ArrayList<>();
        List<JournalEntry.Refused> refused = new ArrayList<>();
        List<AuditEntry> entries = new ArrayList<>();
        int duplicates = 0;
        for (int i = 0; i < batch.size(); i++) {
            JournalEntry entry = batch.get(i);
            if (entry instanceof JournalEntry.Accepted accepted) {
                Key key = Key.of(accepted);
                Long seq = inserted.get(key);
                int first = firstIndex.get(key);
                if (seq != null && first == i) {
                    results[i] = new Recorded.Accepted(seq, accepted.receipt());
                    fresh.add(accepted);
                    freshSeqs.add(seq);
                    entries.add(acceptedEntry(accepted, seq));
                } else if (seq != null && sameContent(((JournalEntry.Accepted) batch.get(first)).canonical(),
                        accepted.canonical())) {
                    results[i] = new Recorded.Duplicate(seq, batch.get(first).receipt());
                    duplicates++;
                } else if (seq == null && stored.get(key) == null) {
                    throw new IllegalStateException("a conflicting message row is not visible");
                } else if (seq == null && sameContent(stored.get(key).canonical(), accepted.canonical())) {
                    Stored original = stored.get(key);
                    results[i] = new Recorded.Duplicate(original.seq(), original.receipt());
                    duplicates++;
                } else {
                    JournalEntry.Refused r = reused.apply(accepted);
                    results[i] = new Recorded.Quarantined(r.quarantineId(), r.receipt());
                    refused.add(r);
                    entries.add(quarantinedEntry(r));
                }
            } else if (entry instanceof JournalEntry.Refused r) {
                results[i] = new Recorded.Quarantined(r.quarantineId(), r.receipt());
                refused.add(r);
                entries.add(quarantinedEntry(r));
            }
        }
        insertQuarantine(connection, refused);
        // From here on commit order matters per order key: its delivery seqs and head. Keyless
        // deliveries need no lock (dispatch claims them by seq; one committed later is claimed later).
        List<String> orderKeys = new ArrayList<>();
        for (JournalEntry.Accepted a : fresh) {
            for (PlannedDelivery d : a.deliveries()) {
                orderKeys.add(d.orderKey());
            }
        }
        long lockWait = System.nanoTime();
        AuditLog.lockOrderKeys(connection, orderKeys);
        long locked = System.nanoTime();
        insertDeliveries(connection, fresh, freshSeqs);
        if (fresh.stream().anyMatch(a -> !a.deliveries().isEmpty()
                && a.message().effectivePriority() == Priority.URGENT)) {
            if (LatencyTrace.on()) {
                // Registered before the wake, so the commit is noted before any round can claim.
                List<UUID> urgent = fresh.stream().filter(LatencyTrace::urgent).map(a -> a.message().messageId()).toList();
                afterCommit(() -> {
                    long now = System.nanoTime();
                    urgent.forEach(id -> LatencyTrace.committed(id, now));
                });
            }
            afterCommit(urgentCommitted);
        }
        if (!fresh.isEmpty()) {
            List<RecordHook.AcceptedMessage> accepted = new ArrayList<>(fresh.size());
            for (int i = 0; i < fresh.size(); i++) {
                JournalEntry.Accepted a = fresh.get(i);
                accepted.add(new RecordHook.AcceptedMessage(freshSeqs.get(i), a.message(), a.receivedAt(),
                        a.deliveries()));
            }
            entries.addAll(hook.accepted(connection, accepted));
        }
        // Last: the chain's lock, held for the append and the commit only.
        long auditWait = System.nanoTime();
        if (!entries.isEmpty()) {
            audit.lock(connection);
        }
        long auditLocked = System.nanoTime();
        audit.append(connection, entries);
        if (LatencyTrace.on()) {
            trace(fresh, batch.size(), lockWait, locked, auditWait, auditLocked);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("journal batch: {} accepted, {} duplicates, {} quarantined", fresh.size(), duplicates,
                    refused.size());
        }
        return List.of(results);
    }

    /**
     * The trace's line for each urgent message of the batch: the wait for its order keys' locks
     * (after its message rows), the work under them up to the audit lock (deliveries, heads, hook),
     * the wait for the audit lock, and the append under it up to the commit (which follows).
     */
    private static void trace(List<JournalEntry.Accepted> fresh, int entries, long lockWait, long locked,
            long auditWait, long auditLocked) {
        long done = System.nanoTime();
        for (JournalEntry.Accepted a : fresh) {
            if (LatencyTrace.urgent(a)) {
                LatencyTrace.log("journal-tx", a.message().messageId(), "lockWait", LatencyTrace.ms(lockWait, locked),
                        "underKeyLocks", LatencyTrace.ms(locked, auditWait), "auditLockWait",
                        LatencyTrace.ms(auditWait, auditLocked), "underLock", LatencyTrace.ms(auditLocked, done),
                        "batchEntries", entries);
            }
        }
    }

    /** Runs {@code action} once the transaction in progress (the caller's, if it joined one) commits. */
    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    /** Inserts the messages not yet stored; returns the seq of each one inserted, by key. */
    private Map<Key, Long> insertMessages(Connection connection, List<JournalEntry.Accepted> messages)
            throws SQLException {
        Map<Key, Long> inserted = new HashMap<>(messages.size() * 2);
        for (int from = 0; from < messages.size(); from += ROWS_PER_INSERT) {
            List<JournalEntry.Accepted> chunk = messages.subList(from, Math.min(messages.size(), from + ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder(MESSAGE_COLUMNS.length() + chunk.size() * (MESSAGE_ROW.length() + 2));
            sql.append(MESSAGE_COLUMNS);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(MESSAGE_ROW);
            }
            sql.append(" on conflict (sender, message_id) do nothing returning seq, sender, message_id");
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (JournalEntry.Accepted a : chunk) {
                    Envelope m = a.message();
                    ps.setObject(p++, m.messageId());
                    ps.setString(p++, m.sender());
                    ps.setString(p++, m.type().wireName());
                    ps.setArray(p++, connection.createArrayOf("text", m.recipients().toArray()));
                    ps.setString(p++, m.correlationId());
                    if (m.inReplyTo() == null) {
                        ps.setNull(p++, Types.OTHER);
                    } else {
                        ps.setObject(p++, m.inReplyTo());
                    }
                    ps.setString(p++, lower(m.effectivePriority()));
                    ps.setString(p++, lower(m.classification()));
                    ps.setObject(p++, m.createdAt());
                    ps.setObject(p++, a.receivedAt().atOffset(ZoneOffset.UTC));
                    ps.setString(p++, a.source().channel().yamlName());
                    ps.setString(p++, a.source().address());
                    ps.setString(p++, a.inputSha256());
                    String scope = lower(m.classification());
                    // An original that is its own canonical form (a multi-row file's item, whose
                    // original is its JSON) is stored once: original null, the canonical is it.
                    if (Arrays.equals(a.original(), a.canonical())) {
                        ps.setNull(p++, Types.BINARY);
                    } else {
                        ps.setBytes(p++, cipher.seal(a.original(), scope));
                    }
                    ps.setBytes(p++, cipher.seal(a.canonical(), scope));
                    ps.setBytes(p++, a.receipt());
                    Decoded.Signature signature = a.signature();
                    boolean verified = signature.status() == Decoded.Signature.Status.VERIFIED;
                    ps.setString(p++, lower(signature.status()));
                    ps.setString(p++, verified ? signature.agency() : null);
                    ps.setString(p++, verified ? signature.subject() : null);
                    ps.setString(p++, verified ? signature.fingerprint() : null);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.put(new Key(rs.getString(2), rs.getObject(3, UUID.class)), rs.getLong(1));
                    }
                }
            }
        }
        return inserted;
    }

    /** The seq and receipt of messages stored by earlier batches. */
    private Map<Key, Stored> selectStored(Connection connection, List<Key> keys) throws SQLException {
        Map<Key, Stored> stored = new HashMap<>(keys.size() * 2);
        try (PreparedStatement ps = connection.prepareStatement(
                "select m.seq, m.sender, m.message_id, m.receipt, m.canonical from message m"
                        + " join unnest(?::text[], ?::uuid[]) k(sender, message_id)"
                        + " on m.sender = k.sender and m.message_id = k.message_id")) {
            ps.setArray(1, connection.createArrayOf("text", keys.stream().map(Key::sender).toArray()));
            ps.setArray(2, connection.createArrayOf("uuid", keys.stream().map(Key::messageId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(new Key(rs.getString(2), rs.getObject(3, UUID.class)),
                            new Stored(rs.getLong(1), rs.getBytes(4), cipher.open(rs.getBytes(5))));
                }
            }
        }
        return stored;
    }

    /**
     * One PENDING delivery per planned one, due now; seq order follows batch order. A key without a
     * head gets its first new delivery as head.
     */
    private static void insertDeliveries(Connection connection, List<JournalEntry.Accepted> messages, List<Long> seqs)
            throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into delivery (id, message_seq, recipient, channel, address, format, order_key, urgent,"
                        + " status, attempts, next_attempt_at, created_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, now(), now(), now())")) {
            int rows = 0;
            for (int i = 0; i < messages.size(); i++) {
                JournalEntry.Accepted a = messages.get(i);
                boolean urgent = a.message().effectivePriority() == Priority.URGENT;
                for (PlannedDelivery d : a.deliveries()) {
                    ps.setObject(1, d.id());
                    ps.setLong(2, seqs.get(i));
                    ps.setString(3, d.recipient());
                    ps.setString(4, d.channel().yamlName());
                    ps.setString(5, d.address());
                    ps.setString(6, d.format());
                    ps.setString(7, d.orderKey());
                    ps.setBoolean(8, urgent);
                    ps.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                ps.executeBatch();
            }
        }
        List<Long> keyed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).deliveries().stream().anyMatch(d -> d.orderKey() != null)) {
                keyed.add(seqs.get(i));
            }
        }
        OrderHeads.afterInsert(connection, keyed.toArray(Long[]::new));
    }

    /** Whether two canonical messages say the same: equal bytes, or equal JSON (members in any order). */
    static boolean sameContent(byte[] a, byte[] b) {
        if (a == null || b == null) {
            // A body purged by retention cannot be compared: a message sent again that long after is
            // taken for the same, and gets its original receipt.
            return true;
        }
        if (Arrays.equals(a, b)) {
            return true;
        }
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (IOException e) {
            return false;
        }
    }

    private void insertQuarantine(Connection connection, List<JournalEntry.Refused> refused)
            throws SQLException {
        if (refused.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into quarantine (id, received_at, channel, source, claimed_sender, message_id,"
                        + " input_sha256, original, errors, receipt, original_bytes)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)")) {
            for (JournalEntry.Refused r : refused) {
                ps.setObject(1, r.quarantineId());
                ps.setObject(2, r.receivedAt().atOffset(ZoneOffset.UTC));
                ps.setString(3, r.source().channel().yamlName());
                // Refused inputs are hostile as often as not: no NUL may make the batch fail.
                ps.setString(4, AuditJson.sanitize(r.source().address()));
                ps.setString(5, r.claimedSender() == null ? null : AuditJson.sanitize(r.claimedSender()));
                if (r.messageId() == null) {
                    ps.setNull(6, Types.OTHER);
                } else {
                    ps.setObject(6, r.messageId());
                }
                ps.setString(7, r.inputSha256());
                ps.setBytes(8, cipher.seal(r.original(), BodyCipher.QUARANTINE));
                ps.setString(9, errorsJson(r.errors()));
                ps.setBytes(10, r.receipt());
                if (r.original() == null) {
                    ps.setNull(11, Types.INTEGER);
                } else {
                    ps.setInt(11, r.original().length);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String errorsJson(List<ValidationError> errors) {
        ArrayNode array = JSON.createArrayNode();
        for (ValidationError e : errors) {
            array.addObject()
                    .put("code", e.code().name())
                    .put("pointer", AuditJson.sanitize(e.pointer()))
                    .put("message", AuditJson.sanitize(e.message()));
        }
        return array.toString();
    }

    /** Identifiers and routing only: no payload, no correlationId (free text chosen by the sender). */
    private static AuditEntry acceptedEntry(JournalEntry.Accepted a, long seq) {
        Envelope m = a.message();
        List<Map<String, Object>> deliveries = new ArrayList<>(a.deliveries().size());
        for (PlannedDelivery d : a.deliveries()) {
            deliveries.add(Map.of("deliveryId", d.id(), "recipient", d.recipient(), "channel", d.channel().yamlName()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("messageId", m.messageId());
        detail.put("messageSeq", seq);
        detail.put("sender", m.sender());
        detail.put("type", m.type().wireName());
        detail.put("recipients", m.recipients());
        detail.put("priority", lower(m.effectivePriority()));
        detail.put("classification", lower(m.classification()));
        detail.put("channel", a.source().channel().yamlName());
        detail.put("inputSha256", a.inputSha256());
        detail.put("signature", signatureDetail(a.signature()));
        detail.put("deliveries", deliveries);
        return AuditEntry.of(m.sender(), AuditAction.MESSAGE_ACCEPTED, m.messageId(), detail);
    }

    /**
     * The signature mark: status, and for a verified one the signer's agency and certificate
     * fingerprint (the fingerprint names the certificate; its subject, a person's name as often as
     * not, stays in the message row).
     */
    private static Map<String, Object> signatureDetail(Decoded.Signature signature) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", lower(signature.status()));
        if (signature.status() == Decoded.Signature.Status.VERIFIED) {
            detail.put("signerAgency", signature.agency());
            detail.put("signerFingerprint", signature.fingerprint());
        }
        return detail;
    }

    /** Error codes and pointers only: the messages and the bytes stay in the quarantine row. */
    private static AuditEntry quarantinedEntry(JournalEntry.Refused r) {
        List<Map<String, Object>> errors = new ArrayList<>(r.errors().size());
        for (ValidationError e : r.errors()) {
            errors.add(Map.of("code", e.code().name(), "pointer", e.pointer()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("quarantineId", r.quarantineId());
        detail.put("channel", r.source().channel().yamlName());
        detail.put("sourceAgency", r.source().agency());
        detail.put("claimedSender", r.claimedSender());
        detail.put("messageId", r.messageId());
        detail.put("inputSha256", r.inputSha256());
        detail.put("errors", errors);
        String actor = r.source().agency() != null ? r.source().agency() : AuditLog.GATEWAY;
        return AuditEntry.of(actor, AuditAction.INPUT_QUARANTINED, r.quarantineId(), detail);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}

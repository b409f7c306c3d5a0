package vn.lienthong.gateway.dispatch;

import vn.lienthong.gateway.atrest.BodyCipher;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.RecordHook;
import vn.lienthong.gateway.journal.JdbcTx;
import static vn.lienthong.gateway.journal.DeliveryRows.databaseNow;
import static vn.lienthong.gateway.journal.DeliveryRows.detail;
import vn.lienthong.gateway.journal.OrderHeads;
import vn.lienthong.gateway.registry.ChannelKind;

/**
 * The outbox on PostgreSQL: claim with {@code for update skip locked}, send, record the outcomes,
 * all in one transaction, so a crash before the commit leaves the deliveries PENDING to be sent
 * again (at least once; recipients deduplicate by messageId) — except where the channel makes the
 * second send harmless: JMS (the broker's duplicate detection) and Kafka (send intents, the settle
 * time and a look-up on the topic, {@link KafkaDeliveries}). The sender runs while the claimed
 * rows are locked and the transaction is open: it must bound its own time. Every attempt is a
 * {@code delivery_attempt} row except a first try that succeeded, which its delivery row records
 * (attempts 1, delivered_at); readers see both through {@code delivery_attempt_history}.
 *
 * <p>Order: urgent deliveries are claimed ahead of normal ones (DESIGN §8), otherwise in seq order,
 * which is acceptance order. Of the deliveries sharing an order key only the head may be claimed —
 * the earliest that is PENDING or FAILED ({@link OrderHeads}). So a later delivery waits while an
 * earlier one is retried, and also while it is FAILED, until an operator resends it or the
 * recipient acknowledges it: order is kept across failures, at the price of holding the key. A key
 * advances by one delivery per round (its next delivery becomes head when the round commits):
 * correct before fast. Claiming through the heads keeps a round's cost proportional to its batch,
 * not to the backlog queued behind slow keys.
 *
 * <p>Locks, to stay deadlock-free (the rule in {@link AuditLog}): every method takes its row locks
 * first, then the locks of the order keys whose heads it moves (head rows are only ever written
 * under their key's lock), then the hook's cases lock, then the audit lock with its append.
 */
public final class JdbcOutbox implements Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcOutbox.class);
    private static final int MAX_ERROR_CHARS = 1_000;
    /** Nine digits or more: a CCCD, tax code, account or phone number echoed back by a remote system. */
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{9,}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");

    /** The paused recipients (recipient_pause), read by each claim: their deliveries wait, PENDING. */
    private static final String PAUSED = "select recipient from recipient_pause order by recipient";

    /**
     * A Kafka delivery whose send intent is younger than the settle time (its interrupted round's
     * Kafka transaction may still be open) waits; the parameter is the settle time in seconds.
     */
    private static final String SETTLED = "not exists (select 1 from kafka_send_intent i where i.delivery_id = e.id"
            + " and i.at > now() - make_interval(secs => ?))";

    /**
     * Candidates: due deliveries without an order key in queue order, and due order-key heads; each
     * list cut at {@link #CANDIDATES_PER_CLAIMED} times the limit so that concurrent dispatchers,
     * skipping each other's locked rows, still fill their batches. The outer conditions are
     * re-checked on the newest row version when a row changed since the snapshot. Messages are
     * joined only to the rows claimed.
     *
     * <p>Its shape keeps a claim's cost in proportion to its candidates even when the statistics still
     * count few PENDING rows (a backlog grows faster than autovacuum analyzes; README, "PostgreSQL's
     * rows per message"): the candidates are one array (an init plan, computed once), not an {@code in
     * (subquery)}, which the planner made a semi join running both lists again for every PENDING row
     * (0.4 s a round in a 20,000-message run); the heads are walked first, each looking up its one
     * delivery (a lateral subquery, {@code offset 0} so it is not flattened); and the status checks
     * on a delivery already found by key are written {@code (status = 'PENDING') is true}, which no
     * status index matches, so the planner does not walk every PENDING row of a partial index to
     * find them.
     */
    private static final Lane CLAIM = new Lane("", "");
    private static final int CANDIDATES_PER_CLAIMED = 3;
    /**
     * {@link #CLAIM} of urgent deliveries only (the urgent round's fast path: it does not carry a
     * normal round's batch), both candidate lists cut to urgent rows (index ranges of
     * {@code delivery_queue} and {@code delivery_order_head_queue}).
     */
    private static final Lane CLAIM_URGENT = new Lane("e.urgent and ", "h.urgent and ");
    /** {@link #CLAIM} of the other deliveries: a normal round leaves urgent ones to the urgent rounds. */
    private static final Lane CLAIM_NORMAL = new Lane("not e.urgent and ", "not h.urgent and ");

    /** A claim's two candidate lists narrowed by {@code queued} and {@code head} (a lane's filter). */
    private record Lane(String queued, String head) {
    }

    /**
     * The claim query of {@code lane} with the paused recipients written into it as literals, none
     * when none is paused. Not a {@code not exists} on recipient_pause nor a parameter: with a
     * backlog of one dominant recipient, PostgreSQL estimates either filter to leave almost no row
     * (a generic plan too), then reads the whole backlog through {@code delivery_due} and sorts it
     * instead of walking {@code delivery_queue} to the limit: 0.7 to 3 s a claim at 600,000 pending,
     * against 25 ms (the scaling run, EXPLAIN ANALYZE on a seeded database).
     */
    private static String claim(Lane lane, List<String> paused) {
        String notPaused = paused.isEmpty() ? ""
                : "e.recipient not in (" + String.join(", ", paused.stream().map(JdbcOutbox::literal).toList()) + ") and ";
        return "with claimed as (select d.id, d.seq, d.message_seq, d.recipient, d.channel,"
            + " d.address, d.format, d.order_key, d.attempts, d.urgent from delivery d"
            + " where d.id = any (array((select e.id from delivery e where " + lane.queued() + "e.status = 'PENDING' and e.address is not null"
            + " and e.order_key is null and e.next_attempt_at <= now() and " + notPaused + SETTLED
            + " order by e.urgent desc, e.seq limit ?)"
            + " union all (select e.id from delivery_order_head h cross join lateral (select e.id, e.recipient"
            + " from delivery e where e.seq = h.head_seq and (e.status = 'PENDING') is true and e.address is not null"
            + " and e.next_attempt_at <= now() offset 0) e"
            + " where " + lane.head() + notPaused + SETTLED + " order by h.urgent desc, h.head_seq limit ?)))"
            + " and (d.status = 'PENDING') is true and d.address is not null and d.next_attempt_at <= now()"
            + " order by d.urgent desc, d.seq limit ? for update of d skip locked)"
            + " select c.id, c.seq, m.message_id, m.sender, c.recipient, c.channel, c.address, c.format, c.order_key,"
            + " c.attempts, m.canonical, m.type from claimed c join message m on m.seq = c.message_seq"
            + " order by c.urgent desc, c.seq";
    }

    private final JdbcTx tx;
    /** The retry policy of deliveries to each recipient. */
    private final Function<String, RetryPolicy> policies;
    private final AuditLog audit = new AuditLog();
    private RecordHook hook = RecordHook.NONE;
    private BodyCipher cipher = BodyCipher.CLEAR;
    private java.time.Duration kafkaSettle = java.time.Duration.ofSeconds(60);

    /** An outbox with transactions of its own on {@code dataSource}. */
    public JdbcOutbox(DataSource dataSource, RetryPolicy policy) {
        this.tx = new JdbcTx(dataSource);
        this.policies = RetryPolicies.uniform(policy);
    }

    /** An outbox whose operations run in (or join) transactions of {@code transactions}. */
    public JdbcOutbox(DataSource dataSource, PlatformTransactionManager transactions, RetryPolicy policy) {
        this(dataSource, transactions, RetryPolicies.uniform(policy));
    }

    /** Deliveries marked DELIVERED also advance {@code hook} (the workflows), in the same transaction. */
    public JdbcOutbox withHook(RecordHook hook) {
        this.hook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Opens the sealed canonical bodies it delivers with {@code cipher}; returns this outbox. */
    public JdbcOutbox withCipher(BodyCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    /**
     * A Kafka delivery with a send intent younger than {@code settle} is not claimed (its interrupted
     * round's transaction may still be open: {@link KafkaDeliveries}); returns this outbox.
     */
    public JdbcOutbox withKafkaSettle(java.time.Duration settle) {
        if (settle.isNegative()) {
            throw new IllegalArgumentException("Kafka settle time < 0");
        }
        this.kafkaSettle = settle;
        return this;
    }

    /** An outbox with a retry policy per recipient ({@link RetryPolicies}). */
    public JdbcOutbox(DataSource dataSource, PlatformTransactionManager transactions,
            Function<String, RetryPolicy> policies) {
        this.tx = new JdbcTx(dataSource, transactions);
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    @Override
    public int dispatch(int limit, Function<List<DueDelivery>, List<DeliveryOutcome>> sender) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1");
        }
        Objects.requireNonNull(sender, "sender");
        return tx.write(connection -> {
            List<DueDelivery> claimed = claim(connection, limit);
            if (claimed.isEmpty()) {
                return 0;
            }
            recordOutcomes(connection, claimed, send(claimed, sender));
            return claimed.size();
        });
    }

    @Override
    public List<DueDelivery> claim(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1");
        }
        return tx.mandatory(connection -> claim(connection, limit));
    }

    @Override
    public List<DueDelivery> claimUrgent(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1");
        }
        return tx.mandatory(connection -> claim(connection, CLAIM_URGENT, limit));
    }

    @Override
    public List<DueDelivery> claimNormal(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1");
        }
        return tx.mandatory(connection -> claim(connection, CLAIM_NORMAL, limit));
    }

    @Override
    public void recordOutcomes(List<DueDelivery> claimed, List<DeliveryOutcome> outcomes) {
        if (claimed.isEmpty()) {
            return;
        }
        Map<UUID, DeliveryOutcome> byId = byId(claimed, outcomes);
        tx.mandatory(connection -> {
            recordOutcomes(connection, claimed, byId);
            return null;
        });
    }

    private List<DueDelivery> claim(Connection connection, int limit) throws SQLException {
        return claim(connection, CLAIM, limit);
    }

    private List<DueDelivery> claim(Connection connection, Lane lane, int limit) throws SQLException {
        List<String> paused = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(PAUSED); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                paused.add(rs.getString(1));
            }
        }
        List<DueDelivery> claimed = new ArrayList<>(Math.min(limit, 1_000));
        try (PreparedStatement ps = connection.prepareStatement(claim(lane, paused))) {
            int candidates = (int) Math.min(Integer.MAX_VALUE, (long) limit * CANDIDATES_PER_CLAIMED);
            double settle = kafkaSettle.toMillis() / 1000.0;
            ps.setDouble(1, settle);
            ps.setInt(2, candidates);
            ps.setDouble(3, settle);
            ps.setInt(4, candidates);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new DueDelivery(rs.getObject(1, UUID.class), rs.getLong(2),
                            rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), channel(rs.getString(6)),
                            rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10), cipher.open(rs.getBytes(11)),
                            rs.getString(12)));
                }
            }
        }
        return claimed;
    }

    /** {@code value} as an SQL string literal (standard_conforming_strings: only the quote doubles). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The sender's outcomes by delivery; a sender that throws failed every delivery it was given. */
    private static Map<UUID, DeliveryOutcome> send(List<DueDelivery> due,
            Function<List<DueDelivery>, List<DeliveryOutcome>> sender) {
        List<DeliveryOutcome> outcomes;
        try {
            outcomes = sender.apply(due);
        } catch (RuntimeException e) {
            // The exception's message may quote the payload: the class name only.
            LOG.warn("sender failed on {} deliveries: {}", due.size(), e.getClass().getName());
            String error = "sender error: " + e.getClass().getSimpleName();
            Map<UUID, DeliveryOutcome> failed = new HashMap<>();
            due.forEach(d -> failed.put(d.id(), new DeliveryOutcome.Failed(d.id(), error)));
            return failed;
        }
        return byId(due, outcomes);
    }

    /** The outcomes by delivery, of the deliveries given only (others are ignored, said once). */
    private static Map<UUID, DeliveryOutcome> byId(List<DueDelivery> due, List<DeliveryOutcome> outcomes) {
        Set<UUID> given = new HashSet<>(due.size() * 2);
        due.forEach(d -> given.add(d.id()));
        Map<UUID, DeliveryOutcome> byId = new HashMap<>(due.size() * 2);
        int foreign = 0;
        for (DeliveryOutcome outcome : outcomes == null ? List.<DeliveryOutcome>of() : outcomes) {
            if (outcome == null) {
                continue;
            }
            if (given.contains(outcome.id())) {
                byId.putIfAbsent(outcome.id(), outcome);
            } else {
                foreign++;
            }
        }
        if (foreign > 0) {
            LOG.warn("sender returned {} outcomes for deliveries it was not given; ignored", foreign);
        }
        return byId;
    }

    private void recordOutcomes(Connection connection, List<DueDelivery> claimed, Map<UUID, DeliveryOutcome> outcomes)
            throws SQLException {
        Instant now = databaseNow(connection);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        Map<UUID, Instant> acceptedAt = acceptedAt(connection, claimed, outcomes);
        List<AuditEntry> entries = new ArrayList<>(claimed.size());
        Set<String> released = new HashSet<>();
        List<UUID> delivered = new ArrayList<>();
        List<UUID> settled = new ArrayList<>();  // Kafka deliveries delivered
        try (PreparedStatement update = connection.prepareStatement(
                "update delivery set status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
                        + " delivered_at = ?, updated_at = ? where id = ?");
                PreparedStatement attempt = connection.prepareStatement(
                        "insert into delivery_attempt (delivery_id, attempt, at, outcome, error) values (?, ?, ?, ?, ?)")) {
            int attemptRows = 0;
            for (DueDelivery d : claimed) {
                DeliveryOutcome outcome = outcomes.getOrDefault(d.id(), new DeliveryOutcome.Failed(d.id(), "no outcome"));
                int attempts = d.attempts() + 1;
                Map<String, Object> detail = detail(d.id(), d.messageId(), d.sender(), d.type(), d.recipient(),
                        d.channel().yamlName());
                detail.put("attempt", attempts);
                if (outcome instanceof DeliveryOutcome.Delivered ok) {
                    if (d.channel() == ChannelKind.KAFKA) {
                        settled.add(d.id());
                    }
                    if (ok.note() != null) {
                        detail.put("note", ok.note());
                    }
                    setUpdate(update, "DELIVERED", attempts, at, null, at, at, d.id());
                    if (attempts > 1) {
                        // A first try that succeeded is no row: the delivery row holds it (attempts 1,
                        // delivered_at), and delivery_attempt_history shows it (migration V5_8).
                        setAttempt(attempt, d.id(), attempts, at, "DELIVERED", null);
                        attempt.addBatch();
                        attemptRows++;
                    }
                    entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.DELIVERED, d.id(), detail));
                    delivered.add(d.id());
                    if (d.orderKey() != null) {
                        released.add(d.orderKey());
                    }
                } else {
                    String error = safeError(((DeliveryOutcome.Failed) outcome).error());
                    detail.put("error", error);
                    setAttempt(attempt, d.id(), attempts, at, "ERROR", error);
                    attempt.addBatch();
                    attemptRows++;
                    RetryPolicy policy = policies.apply(d.recipient());
                    if (policy.exhausted(attempts, java.time.Duration.between(acceptedAt.getOrDefault(d.id(), now), now))) {
                        setUpdate(update, "FAILED", attempts, at, error, null, at, d.id());
                        entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.DELIVERY_FAILED, d.id(), detail));
                    } else {
                        Instant next = now.plus(policy.delayAfter(attempts));
                        detail.put("nextAttemptAt", next);
                        setUpdate(update, "PENDING", attempts, next.atOffset(ZoneOffset.UTC), error, null, at, d.id());
                        entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.DELIVERY_ATTEMPT_FAILED, d.id(),
                                detail));
                    }
                }
                update.addBatch();
            }
            update.executeBatch();
            if (attemptRows > 0) {
                attempt.executeBatch();
            }
        }
        if (!settled.isEmpty()) {
            // Delivered: their intents go with the outcomes, in this transaction. A failed send's intent
            // stays (KafkaDeliveries removes it once the send certainly did not happen).
            try (PreparedStatement ps = connection.prepareStatement(
                    "delete from kafka_send_intent where delivery_id = any (?)")) {
                ps.setArray(1, connection.createArrayOf("uuid", settled.toArray()));
                ps.executeUpdate();
            }
        }
        // Row locks held: now the keys' locks (sorted), under which each key's next delivery becomes
        // head; the hook's cases lock and the audit lock (the append's) come after.
        AuditLog.lockOrderKeys(connection, released);
        OrderHeads.release(connection, released);
        if (!delivered.isEmpty()) {
            entries.addAll(hook.delivered(connection, delivered));
        }
        audit.append(connection, entries);
    }

    /**
     * When each failed delivery was accepted, its retry policy's clock: asked only when a round has
     * failures (a round that delivers everything costs nothing more).
     */
    private static Map<UUID, Instant> acceptedAt(Connection connection, List<DueDelivery> claimed,
            Map<UUID, DeliveryOutcome> outcomes) throws SQLException {
        List<UUID> failed = claimed.stream().map(DueDelivery::id)
                .filter(id -> !(outcomes.get(id) instanceof DeliveryOutcome.Delivered)).toList();
        Map<UUID, Instant> at = new HashMap<>();
        if (failed.isEmpty()) {
            return at;
        }
        try (PreparedStatement ps = connection.prepareStatement("select id, created_at from delivery where id = any (?)")) {
            ps.setArray(1, connection.createArrayOf("uuid", failed.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    at.put(rs.getObject(1, UUID.class), instant(rs, 2));
                }
            }
        }
        return at;
    }

    private static void setUpdate(PreparedStatement ps, String status, int attempts, OffsetDateTime nextAttemptAt,
            String error, OffsetDateTime deliveredAt, OffsetDateTime updatedAt, UUID id) throws SQLException {
        ps.setString(1, status);
        ps.setInt(2, attempts);
        ps.setObject(3, nextAttemptAt);
        ps.setString(4, error);
        if (deliveredAt == null) {
            ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(5, deliveredAt);
        }
        ps.setObject(6, updatedAt);
        ps.setObject(7, id);
    }

    private static void setAttempt(PreparedStatement ps, UUID id, int attempt, OffsetDateTime at, String outcome,
            String error) throws SQLException {
        ps.setObject(1, id);
        ps.setInt(2, attempt);
        ps.setObject(3, at);
        ps.setString(4, outcome);
        ps.setString(5, error);
    }

    /**
     * An error as stored and shown to senders, recipients and operators: one line, bounded, long
     * digit runs (identifiers, account numbers) masked, since remote systems echo what they got.
     */
    static String safeError(String error) {
        String s = CONTROL.matcher(error).replaceAll(" ").strip();
        s = LONG_NUMBER.matcher(s).replaceAll("[number]");
        if (s.isEmpty()) {
            s = "error";
        }
        if (s.length() <= MAX_ERROR_CHARS) {
            return s;
        }
        int cut = Character.isHighSurrogate(s.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1 : MAX_ERROR_CHARS;
        return s.substring(0, cut) + "...";
    }

    private static Instant databaseNow(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select clock_timestamp()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static ChannelKind channel(String name) {
        return ChannelKind.fromYamlName(name)
                .orElseThrow(() -> new IllegalStateException("unknown channel in delivery row: " + name));
    }
}

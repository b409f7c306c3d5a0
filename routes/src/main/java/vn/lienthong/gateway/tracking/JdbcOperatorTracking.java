package vn.lienthong.gateway.tracking;

import vn.lienthong.gateway.atrest.BodyCipher;
import static vn.lienthong.gateway.journal.DeliveryRows.detail;
import static vn.lienthong.gateway.journal.DeliveryRows.instant;
import static vn.lienthong.gateway.journal.DeliveryRows.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.transaction.PlatformTransactionManager;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.JdbcTx;
import vn.lienthong.gateway.journal.OrderHeads;

/**
 * The operator's seat on PostgreSQL. Searches run newest first on {@code message.seq} with a keyset
 * cursor (no offsets: a page costs the same at the millionth row) and give the planner's row
 * estimate as the total, which costs nothing at any size. Acts follow the lock order of
 * {@link AuditLog}: row locks first (the update), then the locks of the order keys whose heads
 * move, then the audit lock, taken by the append.
 */
public final class JdbcOperatorTracking implements OperatorTracking {

    /** Nine digits or more: a CCCD, tax code, account or phone number echoed back by a remote system. */
    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{9,}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JdbcTx tx;
    private final AuditLog audit = new AuditLog();
    private AbandonNotices notices;
    private BodyCipher cipher = BodyCipher.CLEAR;

    /** Tracking whose operations run in (or join) transactions of {@code transactions}. */
    public JdbcOperatorTracking(DataSource dataSource, PlatformTransactionManager transactions) {
        this.tx = new JdbcTx(dataSource, transactions);
    }

    /** Opens the sealed bodies it shows with {@code cipher}; returns this tracking. */
    public JdbcOperatorTracking withCipher(BodyCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    /** Tracking with transactions of its own on {@code dataSource}. */
    public JdbcOperatorTracking(DataSource dataSource) {
        this.tx = new JdbcTx(dataSource);
    }

    /** Abandons send the sender a {@code delivery.abandoned} notice (its journal must join this tracking's transactions). */
    public JdbcOperatorTracking withAbandonNotices(AbandonNotices abandonNotices) {
        this.notices = Objects.requireNonNull(abandonNotices, "abandonNotices");
        return this;
    }

    /** An error as shown to people: long digit runs masked (rows written before masking existed, or by other code). */
    static String masked(String error) {
        return error == null ? null : LONG_NUMBER.matcher(error).replaceAll("[number]");
    }

    // ---------------------------------------------------------------- search

    /** A where clause and its parameters, built from a query. */
    private record Where(String sql, List<Object> params) {
    }

    private static Where where(MessageQuery q, boolean withCursor) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        add(conditions, params, "m.message_id = ?", q.messageId());
        add(conditions, params, "m.correlation_id = ?", q.correlationId());
        add(conditions, params, "m.sender = ?", q.sender());
        add(conditions, params, "m.type = ?", q.type());
        add(conditions, params, "m.channel = ?", q.channel());
        add(conditions, params, "m.classification = ?", q.classification());
        add(conditions, params, "m.received_at >= ?", q.from() == null ? null : q.from().atOffset(ZoneOffset.UTC));
        add(conditions, params, "m.received_at < ?", q.to() == null ? null : q.to().atOffset(ZoneOffset.UTC));
        if (q.recipient() != null || q.status() != null) {
            StringBuilder exists = new StringBuilder("exists (select 1 from delivery d where d.message_seq = m.seq");
            if (q.recipient() != null) {
                exists.append(" and d.recipient = ?");
                params.add(q.recipient());
            }
            if (q.status() != null) {
                exists.append(" and d.status = ?");
                params.add(q.status());
            }
            conditions.add(exists.append(")").toString());
        }
        if (withCursor) {
            add(conditions, params, "m.seq < ?", q.after());
        }
        return new Where(conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions), params);
    }

    private static void add(List<String> conditions, List<Object> params, String condition, Object value) {
        if (value != null) {
            conditions.add(condition);
            params.add(value);
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    @Override
    public Page<MessageSummary> search(MessageQuery query) {
        Objects.requireNonNull(query, "query");
        return tx.read(connection -> {
            Where where = where(query, true);
            List<MessageSummary> items = new ArrayList<>();
            long last = 0;
            try (PreparedStatement ps = connection.prepareStatement(searchSql(query, where))) {
                bind(ps, where.params());
                ps.setInt(where.params().size() + 1, query.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        items.add(new MessageSummary(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                strings(rs.getArray(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getString(9), instant(rs, 10), counts(rs.getString(11))));
                    }
                }
            }
            String next = items.size() == query.limit() ? Long.toString(last) : null;
            return new Page<>(items, next, estimate(connection, "select 1 from message m", where(query, false)));
        });
    }

    /**
     * The page's seqs are chosen first, from indexes alone where they cover the filters (an
     * index-only scan at millions of rows), and only the page's rows are then read: a search over a
     * month of a big sender sorts index entries, not table rows.
     */
    private static String searchSql(MessageQuery query, Where where) {
        // A sender over a time range: the page comes from the range's entries of
        // message_sender_received_seq, sorted. Ordered by seq as such, the planner would rather walk
        // the primary key backwards until 50 rows match, which it believes quick because it cannot
        // know that seq follows the received time: for a big sender and a range months back, that
        // walk crosses millions of newer rows (seconds). "+ 0" takes that order away from it.
        boolean senderRange = query.sender() != null && (query.from() != null || query.to() != null);
        return "select m.seq, m.message_id, m.sender, m.type,"
                + " m.recipients, m.correlation_id, m.priority, m.classification, m.channel, m.received_at,"
                + " (select jsonb_object_agg(s.status, s.n) from (select d.status, count(*) n from delivery d"
                + " where d.message_seq = m.seq group by d.status) s)::text"
                + " from (select m.seq from message m" + where.sql() + " order by m.seq" + (senderRange ? " + 0" : "")
                + " desc limit ?) page join message m on m.seq = page.seq order by m.seq desc";
    }

    /** The plan of a search as it runs ({@code EXPLAIN ANALYZE}), one line a row: for the search benchmark. */
    public static List<String> explainSearch(Connection connection, MessageQuery query) throws SQLException {
        Where where = where(query, true);
        List<String> lines = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("explain (analyze, buffers) " + searchSql(query, where))) {
            bind(ps, where.params());
            ps.setInt(where.params().size() + 1, query.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
        }
        return lines;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("the database returned JSON that does not parse", e);
        }
    }

    private static Map<String, Integer> counts(String json) {
        Map<String, Integer> counts = new TreeMap<>();
        if (json != null) {
            json(json).fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        }
        return counts;
    }

    /** The planner's estimate of the rows a query returns: free at any table size, exact enough to page by. */
    private static long estimate(Connection connection, String select, Where where) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("explain (format json) " + select + where.sql())) {
            bind(ps, where.params());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode plan = json(rs.getString(1));
                return plan.path(0).path("Plan").path("Plan Rows").asLong();
            }
        }
    }

    // ---------------------------------------------------------------- one message

    @Override
    public Optional<MessageDetail> message(UUID messageId, String sender) {
        Objects.requireNonNull(messageId, "messageId");
        return tx.read(connection -> {
            long seq;
            MessageDetail partial;
            try (PreparedStatement ps = connection.prepareStatement("select m.seq, m.message_id, m.sender, m.type,"
                    + " m.recipients, m.correlation_id, m.priority, m.classification, m.channel, m.source,"
                    + " m.created_at, m.received_at from message m where m.message_id = ?"
                    + (sender == null ? "" : " and m.sender = ?") + " order by m.seq limit 1")) {
                ps.setObject(1, messageId);
                if (sender != null) {
                    ps.setString(2, sender);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<MessageDetail>empty();
                    }
                    seq = rs.getLong(1);
                    partial = new MessageDetail(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            strings(rs.getArray(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), instant(rs, 11), instant(rs, 12), List.of());
                }
            }
            Map<UUID, List<MessageDetail.Attempt>> attempts = new LinkedHashMap<>();
            try (PreparedStatement ps = connection.prepareStatement("select a.delivery_id, a.attempt, a.at, a.outcome,"
                    + " a.error from delivery_attempt_history a"
                    + " where a.delivery_id = any (array(select d.id from delivery d where d.message_seq = ?))"
                    + " order by a.delivery_id, a.attempt, a.id")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                                .add(new MessageDetail.Attempt(rs.getInt(2), instant(rs, 3), rs.getString(4),
                                        masked(rs.getString(5))));
                    }
                }
            }
            List<MessageDetail.Delivery> deliveries = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("select id, recipient, channel, address, order_key,"
                    + " status, attempts, next_attempt_at, last_error, delivered_at, acknowledged_at, abandoned_at,"
                    + " abandon_reason from delivery where message_seq = ? order by seq")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        deliveries.add(new MessageDetail.Delivery(id, rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), instant(rs, 8),
                                masked(rs.getString(9)), instant(rs, 10), instant(rs, 11), instant(rs, 12),
                                rs.getString(13), List.copyOf(attempts.getOrDefault(id, List.of()))));
                    }
                }
            }
            return Optional.of(new MessageDetail(partial.messageId(), partial.sender(), partial.type(),
                    partial.recipients(), partial.correlationId(), partial.priority(), partial.classification(),
                    partial.channel(), partial.source(), partial.createdAt(), partial.receivedAt(),
                    List.copyOf(deliveries)));
        });
    }

    @Override
    public Optional<Body> body(UUID messageId, String sender, Act act) {
        Objects.requireNonNull(messageId, "messageId");
        return tx.write(connection -> {
            String classification;
            byte[] canonical;
            Map<String, Object> detail = new LinkedHashMap<>();
            try (PreparedStatement ps = connection.prepareStatement("select m.classification, m.canonical, m.sender,"
                    + " m.type from message m where m.message_id = ?" + (sender == null ? "" : " and m.sender = ?")
                    + " order by m.seq limit 1")) {
                ps.setObject(1, messageId);
                if (sender != null) {
                    ps.setString(2, sender);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Body>empty();
                    }
                    classification = rs.getString(1);
                    canonical = cipher.open(rs.getBytes(2));
                    detail.put("messageId", messageId);
                    detail.put("sender", rs.getString(3));
                    detail.put("type", rs.getString(4));
                    detail.put("classification", classification);
                }
            }
            if (!"restricted".equals(classification)) {
                return Optional.<Body>of(new Body.Shown(classification, canonical));
            }
            if (act == null) {
                return Optional.<Body>of(new Body.ReasonRequired(classification));
            }
            audit.append(connection, List.of(AuditEntry.of(act.actor(), AuditAction.BODY_READ, messageId,
                    withAct(detail, act))));
            return Optional.<Body>of(new Body.Shown(classification, canonical));
        });
    }

    // ---------------------------------------------------------------- quarantine

    private static final String QUARANTINE_COLUMNS = "q.id, q.received_at, q.channel, q.source, q.claimed_sender,"
            + " q.message_id, q.input_sha256, coalesce(q.original_bytes, octet_length(q.original)), q.errors::text";

    private static QuarantineSummary refusedRow(ResultSet rs) throws SQLException {
        return new QuarantineSummary(rs.getObject(1, UUID.class), instant(rs, 2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7), rs.getInt(8),
                json(masked(rs.getString(9))));
    }

    @Override
    public Page<QuarantineSummary> quarantine(String claimedSender, Long after, int limit) {
        if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MessageQuery.MAX_LIMIT);
        }
        return tx.read(connection -> {
            // The cursor is the received time in microseconds; ids break ties only in theory.
            List<String> conditions = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            add(conditions, params, "q.claimed_sender = ?", claimedSender);
            Where total = new Where(conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions),
                    List.copyOf(params));
            add(conditions, params, "q.received_at < to_timestamp(? / 1000000.0)", after);
            String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
            List<QuarantineSummary> items = new ArrayList<>();
            long last = 0;
            try (PreparedStatement ps = connection.prepareStatement("select " + QUARANTINE_COLUMNS
                    + ", (extract(epoch from q.received_at) * 1000000)::bigint from quarantine q" + where
                    + " order by q.received_at desc limit ?")) {
                bind(ps, params);
                ps.setInt(params.size() + 1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(refusedRow(rs));
                        last = rs.getLong(10);
                    }
                }
            }
            return new Page<>(items, items.size() == limit ? Long.toString(last) : null,
                    estimate(connection, "select 1 from quarantine q", total));
        });
    }

    @Override
    public Optional<QuarantineSummary> refused(UUID quarantineId) {
        return tx.read(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("select " + QUARANTINE_COLUMNS
                    + " from quarantine q where q.id = ?")) {
                ps.setObject(1, quarantineId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(refusedRow(rs)) : Optional.<QuarantineSummary>empty();
                }
            }
        });
    }

    @Override
    public Optional<byte[]> original(UUID quarantineId, Act act) {
        return tx.write(connection -> {
            byte[] original;
            Map<String, Object> detail = new LinkedHashMap<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "select original, claimed_sender, input_sha256 from quarantine where id = ?")) {
                ps.setObject(1, quarantineId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<byte[]>empty();
                    }
                    original = cipher.open(rs.getBytes(1));
                    detail.put("quarantineId", quarantineId);
                    detail.put("claimedSender", rs.getString(2));
                    detail.put("inputSha256", rs.getString(3));
                }
            }
            audit.append(connection, List.of(AuditEntry.of(act.actor(), AuditAction.ORIGINAL_READ, quarantineId,
                    withAct(detail, act))));
            // Purged by retention: nothing to show.
            return Optional.ofNullable(original);
        });
    }

    // ---------------------------------------------------------------- acts

    private static Map<String, Object> withAct(Map<String, Object> detail, Act act) {
        detail.put("personId", act.personId());
        detail.put("reason", act.reason());
        return detail;
    }

    private static final String RETURNING = " returning d.id, m.message_id, m.sender, m.type, d.recipient, d.channel,"
            + " d.attempts, d.order_key, m.correlation_id, d.abandoned_at";

    private static Map<String, Object> deliveryDetail(ResultSet rs) throws SQLException {
        Map<String, Object> detail = detail(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6));
        detail.put("attempts", rs.getInt(7));
        return detail;
    }

    @Override
    public boolean resend(UUID deliveryId, Act act) {
        Objects.requireNonNull(deliveryId, "deliveryId");
        return tx.write(connection -> {
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "update delivery d set status = 'PENDING', next_attempt_at = clock_timestamp(),"
                            + " updated_at = clock_timestamp() from message m"
                            + " where d.id = ? and d.status = 'FAILED' and m.seq = d.message_seq" + RETURNING)) {
                ps.setObject(1, deliveryId);
                collect(ps, act, AuditAction.RESENT, entries, null);
            }
            audit.append(connection, entries);
            return !entries.isEmpty();
        });
    }

    @Override
    public int resendAll(MessageQuery query, Act act) {
        Objects.requireNonNull(query, "query");
        return tx.write(connection -> {
            Where where = where(query, false);
            List<Object> params = new ArrayList<>(where.params());
            StringBuilder sql = new StringBuilder("update delivery d set status = 'PENDING',"
                    + " next_attempt_at = clock_timestamp(), updated_at = clock_timestamp() from message m"
                    + " where d.status = 'FAILED' and m.seq = d.message_seq and m.seq in (select m.seq from message m"
                    + where.sql() + ")");
            if (query.recipient() != null) {
                // The filter's recipient is the delivery's, not any delivery of the message.
                sql.append(" and d.recipient = ?");
                params.add(query.recipient());
            }
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql + RETURNING)) {
                bind(ps, params);
                collect(ps, act, AuditAction.RESENT, entries, null);
            }
            audit.append(connection, entries);
            return entries.size();
        });
    }

    @Override
    public boolean abandon(UUID deliveryId, Act act) {
        Objects.requireNonNull(deliveryId, "deliveryId");
        return tx.write(connection -> {
            List<AuditEntry> entries = new ArrayList<>();
            List<AbandonNotices.Abandoned> abandoned = new ArrayList<>();
            List<Map<String, Object>> details = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "update delivery d set status = 'ABANDONED', abandoned_at = clock_timestamp(), abandon_reason = ?,"
                            + " updated_at = clock_timestamp() from message m"
                            + " where d.id = ? and d.status = 'FAILED' and m.seq = d.message_seq" + RETURNING)) {
                ps.setString(1, act.reason());
                ps.setObject(2, deliveryId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> detail = withAct(deliveryDetail(rs), act);
                        String key = rs.getString(8);
                        if (key != null) {
                            keys.add(key);
                            detail.put("orderKeyReleased", true);
                        }
                        details.add(detail);
                        abandoned.add(new AbandonNotices.Abandoned(rs.getObject(1, UUID.class),
                                rs.getObject(2, UUID.class), rs.getString(3), rs.getString(9), rs.getString(5),
                                rs.getInt(7), key != null, act.reason(), instant(rs, 10)));
                    }
                }
            }
            if (abandoned.isEmpty()) {
                return false;
            }
            // Row lock held: now the key's lock, under which its next delivery becomes head.
            AuditLog.lockOrderKeys(connection, keys);
            OrderHeads.release(connection, keys);
            for (int i = 0; i < abandoned.size(); i++) {
                AbandonNotices.Abandoned a = abandoned.get(i);
                Map<String, Object> detail = details.get(i);
                if (notices != null && !AbandonNotices.GATEWAY.equals(a.sender())) {
                    // The sender learns of it in this transaction: the notice exists exactly when the abandon does.
                    notices.send(a).ifPresent(id -> detail.put("noticeMessageId", id));
                }
                entries.add(AuditEntry.of(act.actor(), AuditAction.ABANDONED, a.deliveryId(), details.get(i)));
            }
            audit.append(connection, entries);
            return true;
        });
    }

    private static void collect(PreparedStatement ps, Act act, AuditAction action, List<AuditEntry> entries,
            Set<String> orderKeys) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> detail = withAct(deliveryDetail(rs), act);
                String key = rs.getString(8);
                if (key != null && orderKeys != null) {
                    orderKeys.add(key);
                    detail.put("orderKeyReleased", true);
                }
                entries.add(AuditEntry.of(act.actor(), action, rs.getObject(1, UUID.class), detail));
            }
        }
    }

    @Override
    public boolean pause(String recipient, Act act) {
        Objects.requireNonNull(recipient, "recipient");
        return tx.write(connection -> {
            int inserted;
            try (PreparedStatement ps = connection.prepareStatement("insert into recipient_pause (recipient, paused_at,"
                    + " paused_by, reason) values (?, clock_timestamp(), ?, ?) on conflict (recipient) do nothing")) {
                ps.setString(1, recipient);
                ps.setString(2, act.actor());
                ps.setString(3, act.reason());
                inserted = ps.executeUpdate();
            }
            if (inserted == 1) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("recipient", recipient);
                audit.append(connection, List.of(AuditEntry.of(act.actor(), AuditAction.RECIPIENT_PAUSED, recipient,
                        withAct(detail, act))));
            }
            return inserted == 1;
        });
    }

    @Override
    public boolean resume(String recipient, Act act) {
        Objects.requireNonNull(recipient, "recipient");
        return tx.write(connection -> {
            int deleted;
            try (PreparedStatement ps = connection.prepareStatement("delete from recipient_pause where recipient = ?")) {
                ps.setString(1, recipient);
                deleted = ps.executeUpdate();
            }
            if (deleted == 1) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("recipient", recipient);
                audit.append(connection, List.of(AuditEntry.of(act.actor(), AuditAction.RECIPIENT_RESUMED, recipient,
                        withAct(detail, act))));
            }
            return deleted == 1;
        });
    }

    @Override
    public List<Pause> paused() {
        return tx.read(connection -> {
            List<Pause> paused = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "select recipient, paused_at, paused_by, reason from recipient_pause order by recipient");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paused.add(new Pause(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getString(4)));
                }
            }
            return List.copyOf(paused);
        });
    }
}

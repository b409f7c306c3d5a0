package vn.lienthong.gateway.inbox;

import vn.lienthong.gateway.atrest.BodyCipher;
import static vn.lienthong.gateway.journal.DeliveryRows.databaseNow;
import static vn.lienthong.gateway.journal.DeliveryRows.detail;
import static vn.lienthong.gateway.journal.DeliveryRows.instant;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.transaction.PlatformTransactionManager;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.RecordHook;
import vn.lienthong.gateway.journal.JdbcTx;
import vn.lienthong.gateway.journal.OrderHeads;

/**
 * The inbox on PostgreSQL. A pull marks what it hands out DELIVERED and releases order keys, an
 * acknowledgement ACKNOWLEDGED; both take their row locks first, then the locks of the order keys
 * whose heads move, then (the append) the audit lock, as {@code JdbcOutbox} does, to stay
 * deadlock-free (the rule in {@link AuditLog}).
 */
public final class JdbcInbox implements Inbox {

    private final JdbcTx tx;
    private final AuditLog audit = new AuditLog();
    private RecordHook hook = RecordHook.NONE;
    private BodyCipher cipher = BodyCipher.CLEAR;

    /** An inbox with transactions of its own on {@code dataSource}. */
    public JdbcInbox(DataSource dataSource) {
        this.tx = new JdbcTx(dataSource);
    }

    /** An inbox whose operations run in (or join) transactions of {@code transactions}. */
    public JdbcInbox(DataSource dataSource, PlatformTransactionManager transactions) {
        this.tx = new JdbcTx(dataSource, transactions);
    }

    /** Deliveries a pull marks DELIVERED also advance {@code hook} (the workflows), in the same transaction. */
    public JdbcInbox withHook(RecordHook hook) {
        this.hook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Opens the sealed canonical bodies it hands out with {@code cipher}; returns this inbox. */
    public JdbcInbox withCipher(BodyCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        return this;
    }

    @Override
    public List<InboxItem> inbox(String agency, int limit) {
        Objects.requireNonNull(agency, "agency");
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1");
        }
        return tx.write(connection -> {
            record Row(InboxItem item, String status, int attempts, String channel, String orderKey) {
            }
            List<Row> rows = new ArrayList<>();
            // Waits (no skip locked) for a concurrent pull of the same inbox, then sees its result.
            try (PreparedStatement ps = connection.prepareStatement(
                    "select d.id, m.message_id, m.sender, m.type, d.format, m.received_at, m.canonical,"
                            + " d.status, d.attempts, d.channel, d.order_key"
                            + " from delivery d join message m on m.seq = d.message_seq"
                            + " where d.recipient = ? and d.address is null and d.status in ('PENDING', 'DELIVERED')"
                            + " order by d.seq limit ? for update of d")) {
                ps.setString(1, agency);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        InboxItem item = new InboxItem(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getString(4), rs.getString(5), instant(rs, 6), cipher.open(rs.getBytes(7)));
                        rows.add(new Row(item, rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11)));
                    }
                }
            }
            List<Row> fresh = rows.stream().filter(r -> r.status().equals("PENDING")).toList();
            if (!fresh.isEmpty()) {
                OffsetDateTime at = databaseNow(connection).atOffset(ZoneOffset.UTC);
                List<AuditEntry> entries = new ArrayList<>(fresh.size());
                try (PreparedStatement update = connection.prepareStatement(
                        "update delivery set status = 'DELIVERED', attempts = ?, delivered_at = ?, updated_at = ?,"
                                + " last_error = null where id = ?");
                        PreparedStatement attempt = connection.prepareStatement(
                                "insert into delivery_attempt (delivery_id, attempt, at, outcome) values (?, ?, ?, 'DELIVERED')")) {
                    for (Row r : fresh) {
                        UUID id = r.item().deliveryId();
                        int attempts = r.attempts() + 1;
                        update.setInt(1, attempts);
                        update.setObject(2, at);
                        update.setObject(3, at);
                        update.setObject(4, id);
                        update.addBatch();
                        attempt.setObject(1, id);
                        attempt.setInt(2, attempts);
                        attempt.setObject(3, at);
                        attempt.addBatch();
                        Map<String, Object> detail = detail(id, r.item().messageId(), r.item().sender(),
                                r.item().type(), agency, r.channel());
                        detail.put("attempt", attempts);
                        detail.put("pulled", true);
                        entries.add(AuditEntry.of(agency, AuditAction.DELIVERED, id, detail));
                    }
                    update.executeBatch();
                    attempt.executeBatch();
                }
                // Row locks held: now the keys' locks, under which each key's next delivery becomes head.
                List<String> keys = fresh.stream().map(Row::orderKey).filter(Objects::nonNull).toList();
                AuditLog.lockOrderKeys(connection, keys);
                OrderHeads.release(connection, keys);
                entries.addAll(hook.delivered(connection, fresh.stream().map(r -> r.item().deliveryId()).toList()));
                audit.append(connection, entries);
            }
            return rows.stream().map(Row::item).toList();
        });
    }

    @Override
    public AckResult acknowledge(UUID deliveryId, String agency) {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(agency, "agency");
        return tx.write(connection -> {
            String status;
            String orderKey;
            Map<String, Object> detail;
            // Another agency's delivery is NOT_FOUND, exactly like one that does not exist.
            try (PreparedStatement ps = connection.prepareStatement(
                    "select d.status, m.message_id, m.sender, m.type, d.channel, d.order_key"
                            + " from delivery d join message m on m.seq = d.message_seq"
                            + " where d.id = ? and d.recipient = ? for update of d")) {
                ps.setObject(1, deliveryId);
                ps.setString(2, agency);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return AckResult.NOT_FOUND;
                    }
                    status = rs.getString(1);
                    orderKey = rs.getString(6);
                    detail = detail(deliveryId, rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), agency,
                            rs.getString(5));
                }
            }
            if (status.equals("ACKNOWLEDGED")) {
                return AckResult.ALREADY_ACKNOWLEDGED;
            }
            // PENDING and FAILED too: the recipient says it has the message, whatever the gateway saw.
            try (PreparedStatement ps = connection.prepareStatement(
                    "update delivery set status = 'ACKNOWLEDGED', acknowledged_at = clock_timestamp(),"
                            + " updated_at = clock_timestamp() where id = ?")) {
                ps.setObject(1, deliveryId);
                ps.executeUpdate();
            }
            detail.put("previousStatus", status);
            if (orderKey != null && !status.equals("DELIVERED")) {
                // Row lock held: now the key's lock, under which its next delivery becomes head.
                AuditLog.lockOrderKeys(connection, List.of(orderKey));
                OrderHeads.release(connection, List.of(orderKey));
            }
            audit.append(connection, List.of(AuditEntry.of(agency, AuditAction.ACKNOWLEDGED, deliveryId, detail)));
            return AckResult.ACKNOWLEDGED;
        });
    }
}

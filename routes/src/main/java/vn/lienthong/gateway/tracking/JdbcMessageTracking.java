package vn.lienthong.gateway.tracking;

import static vn.lienthong.gateway.journal.DeliveryRows.detail;
import static vn.lienthong.gateway.journal.DeliveryRows.instant;
import static vn.lienthong.gateway.journal.DeliveryRows.strings;

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
import vn.lienthong.gateway.journal.JdbcTx;
import vn.lienthong.gateway.journal.OrderHeads;

/** Message tracking on PostgreSQL: a message's status and deliveries, and an operator's resend. */
public final class JdbcMessageTracking implements MessageTracking {

    private final JdbcTx tx;
    private final AuditLog audit = new AuditLog();

    /** Tracking with transactions of its own on {@code dataSource}. */
    public JdbcMessageTracking(DataSource dataSource) {
        this.tx = new JdbcTx(dataSource);
    }

    /** Tracking whose operations run in (or join) transactions of {@code transactions}. */
    public JdbcMessageTracking(DataSource dataSource, PlatformTransactionManager transactions) {
        this.tx = new JdbcTx(dataSource, transactions);
    }

    /**
     * The message to its sender and the operator (null viewer) with every delivery; to a recipient
     * with its own deliveries only (need to know: other recipients' errors name their systems),
     * and without the sender's signed receipt.
     * A messageId is unique per sender only: the viewer's own message comes first, then the oldest.
     */
    @Override
    public Optional<MessageView> message(UUID messageId, String viewer) {
        Objects.requireNonNull(messageId, "messageId");
        return tx.read(connection -> {
            String sql = "select m.seq, m.message_id, m.sender, m.type, m.recipients, m.correlation_id, m.created_at,"
                    + " m.received_at, m.channel, m.receipt, m.signature_status, m.signer_agency, m.signer_subject,"
                    + " m.signer_fingerprint from message m where m.message_id = ?"
                    + (viewer == null ? " order by m.seq limit 1"
                            : " and (m.sender = ? or ? = any (m.recipients)) order by (m.sender = ?) desc, m.seq limit 1");
            long seq;
            byte[] receipt;
            MessageView partial;
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setObject(1, messageId);
                if (viewer != null) {
                    ps.setString(2, viewer);
                    ps.setString(3, viewer);
                    ps.setString(4, viewer);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<MessageView>empty();
                    }
                    seq = rs.getLong(1);
                    receipt = rs.getBytes(10);
                    partial = new MessageView(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            strings(rs.getArray(5)), rs.getString(6), instant(rs, 7), instant(rs, 8), rs.getString(9),
                            new MessageView.SignatureView(rs.getString(11).toUpperCase(Locale.ROOT), rs.getString(12),
                                    rs.getString(13), rs.getString(14)),
                            List.of(), null);
                }
            }
            boolean seesAll = viewer == null || viewer.equals(partial.sender());
            List<MessageView.DeliveryView> deliveries = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "select id, recipient, channel, status, attempts, last_error, delivered_at, acknowledged_at"
                            + " from delivery where message_seq = ?" + (seesAll ? "" : " and recipient = ?")
                            + " order by seq")) {
                ps.setLong(1, seq);
                if (!seesAll) {
                    ps.setString(2, viewer);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deliveries.add(new MessageView.DeliveryView(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6), instant(rs, 7),
                                instant(rs, 8)));
                    }
                }
            }
            return Optional.of(new MessageView(partial.messageId(), partial.sender(), partial.type(),
                    partial.recipients(), partial.correlationId(), partial.createdAt(), partial.receivedAt(),
                    partial.channel(), partial.signature(), List.copyOf(deliveries),
                    // The signed receipt is the sender's (and the operator's), like the full delivery list.
                    seesAll ? new String(receipt, StandardCharsets.US_ASCII) : null));
        });
    }

    @Override
    public boolean resend(UUID deliveryId, String operator) {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(operator, "operator");
        return tx.write(connection -> {
            Map<String, Object> detail;
            try (PreparedStatement ps = connection.prepareStatement(
                    "update delivery d set status = 'PENDING', next_attempt_at = clock_timestamp(),"
                            + " updated_at = clock_timestamp() from message m"
                            + " where d.id = ? and d.status = 'FAILED' and m.seq = d.message_seq"
                            + " returning m.message_id, m.sender, m.type, d.recipient, d.channel, d.attempts")) {
                ps.setObject(1, deliveryId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    detail = detail(deliveryId, rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5));
                    detail.put("attempts", rs.getInt(6));
                }
            }
            audit.append(connection, List.of(AuditEntry.of(operator, AuditAction.RESENT, deliveryId, detail)));
            return true;
        });
    }
}

package vn.lienthong.gateway.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.schemas.v1.Envelope;

/**
 * State that advances with the record (the workflows): called inside the transaction that records
 * accepted messages or marks deliveries DELIVERED, after its row and order-key locks and before the
 * audit lock (the rule in {@link vn.lienthong.gateway.audit.AuditLog}; a hook that locks rows of its
 * own takes the cases lock first), so whatever it changes commits or rolls back with the record. It returns the audit entries of its
 * changes, appended to the same chain in the same transaction.
 */
public interface RecordHook {

    /** A hook that changes nothing. */
    RecordHook NONE = new RecordHook() {
        @Override
        public List<AuditEntry> accepted(Connection connection, List<AcceptedMessage> messages) {
            return List.of();
        }

        @Override
        public List<AuditEntry> delivered(Connection connection, List<UUID> deliveryIds) {
            return List.of();
        }
    };

    /** A message just inserted (not a duplicate), with its journal seq and deliveries. */
    record AcceptedMessage(long seq, Envelope message, Instant receivedAt, List<PlannedDelivery> deliveries) {
    }

    /** Messages just recorded, in batch order. */
    List<AuditEntry> accepted(Connection connection, List<AcceptedMessage> messages) throws SQLException;

    /** Deliveries just marked DELIVERED (pushed to a channel or pulled from an inbox). */
    List<AuditEntry> delivered(Connection connection, List<UUID> deliveryIds) throws SQLException;
}

package vn.lienthong.gateway.journal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reading and describing delivery rows, shared by the outbox, the inbox and tracking. */
public final class DeliveryRows {

    private DeliveryRows() {
    }

    /** The audit detail naming one delivery: its message, sender, type, recipient and channel. */
    public static Map<String, Object> detail(UUID deliveryId, UUID messageId, String sender, String type,
            String recipient, String channel) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("deliveryId", deliveryId);
        detail.put("messageId", messageId);
        detail.put("sender", sender);
        detail.put("type", type);
        detail.put("recipient", recipient);
        detail.put("channel", channel);
        return detail;
    }

    /** The database's clock now (one clock for every instance). */
    public static Instant databaseNow(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select clock_timestamp()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** A timestamp column as an instant, or null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A text array column as a list. */
    public static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}

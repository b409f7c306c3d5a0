package vn.lienthong.gateway.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Keeps {@code delivery_order_head}: for each order key with a PENDING or FAILED delivery, the
 * earliest of them, the only delivery of that key a dispatcher may claim. With it a claim reads
 * O(batch) rows whatever the backlog behind a slow key, instead of probing every held delivery.
 *
 * <p>Both methods must run under the locks of the order keys they touch
 * ({@link vn.lienthong.gateway.audit.AuditLog#lockOrderKeys}): the journal takes them before it inserts a key's deliveries (so
 * a key's delivery seqs are drawn in commit order), the outbox, inboxes and operator acts after their
 * row locks. Holding a key's lock, a statement sees every committed status change of that key (they
 * are all made by transactions that held the key's lock until commit), so the head it computes is
 * the true one, and no two transactions race on a head row. Transactions on other keys, and those
 * without keys, do not wait.
 */
public final class OrderHeads {

    private OrderHeads() {
    }

    /** After new deliveries of these messages: a key with no head gets its earliest new delivery. */
    public static void afterInsert(Connection connection, Long[] messageSeqs) throws SQLException {
        if (messageSeqs.length == 0) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into delivery_order_head (order_key, head_seq, urgent)"
                        + " select distinct on (order_key) order_key, seq, urgent from delivery"
                        + " where message_seq = any (?) and order_key is not null order by order_key, seq"
                        // A key that has a head already has an earlier PENDING or FAILED delivery.
                        + " on conflict (order_key) do nothing")) {
            ps.setArray(1, connection.createArrayOf("bigint", messageSeqs));
            ps.executeUpdate();
        }
    }

    /**
     * After deliveries of these keys left PENDING and FAILED (delivered, pulled, acknowledged): each
     * key's head moves to its next PENDING or FAILED delivery, or the key is dropped.
     */
    public static void release(Connection connection, Collection<String> orderKeys) throws SQLException {
        if (orderKeys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "with k(order_key) as (select distinct unnest(?::text[])),"
                        + " nxt as (select k.order_key, n.seq, n.urgent from k left join lateral"
                        + " (select e.seq, e.urgent from delivery e where e.order_key = k.order_key"
                        + " and e.status in ('PENDING', 'FAILED') order by e.seq limit 1) n on true),"
                        + " gone as (delete from delivery_order_head h using nxt"
                        + " where h.order_key = nxt.order_key and nxt.seq is null)"
                        + " insert into delivery_order_head (order_key, head_seq, urgent)"
                        + " select order_key, seq, urgent from nxt where seq is not null"
                        + " on conflict (order_key) do update set head_seq = excluded.head_seq, urgent = excluded.urgent")) {
            ps.setArray(1, connection.createArrayOf("text", orderKeys.toArray()));
            ps.executeUpdate();
        }
    }
}

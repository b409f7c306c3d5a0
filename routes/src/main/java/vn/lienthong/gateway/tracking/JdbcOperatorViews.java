package vn.lienthong.gateway.tracking;

import static vn.lienthong.gateway.journal.DeliveryRows.instant;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console's aggregates on PostgreSQL. The backlog reads the partial indexes of PENDING and
 * FAILED deliveries; the traffic reads one bounded window of {@code message.received_at} and
 * {@code quarantine.received_at} (both indexed), so its cost follows the window, not the table.
 */
public final class JdbcOperatorViews implements OperatorViews {

    private final JdbcTemplate db;

    /** Views over the journal in {@code dataSource}. */
    public JdbcOperatorViews(DataSource dataSource) {
        this.db = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public List<Backlog> backlog() {
        return db.query("select coalesce(b.recipient, p.recipient), coalesce(b.pending, 0), b.oldest,"
                + " coalesce(b.failed, 0), p.recipient is not null from (select recipient,"
                + " count(*) filter (where status = 'PENDING') pending,"
                + " min(created_at) filter (where status = 'PENDING') oldest,"
                + " count(*) filter (where status = 'FAILED') failed"
                + " from delivery where status in ('PENDING', 'FAILED') group by recipient) b"
                + " full outer join recipient_pause p on p.recipient = b.recipient order by 1",
                (rs, i) -> new Backlog(rs.getString(1), rs.getLong(2), instant(rs, 3), rs.getLong(4),
                        rs.getBoolean(5)));
    }

    @Override
    public List<HourlyTraffic> traffic(Instant from) {
        Objects.requireNonNull(from, "from");
        var since = from.atOffset(ZoneOffset.UTC);
        // Hours are truncated in UTC (the session's zone would shift them); every offset Vietnam
        // uses is a whole number of hours, so they are whole local hours too.
        String hour = "date_trunc('hour', %s at time zone 'UTC') at time zone 'UTC'";
        return db.query("select h, sender, sum(accepted), sum(refused), sum(delivered), sum(failed), sum(pending)"
                + " from (select " + hour.formatted("m.received_at") + " h, m.sender, count(*) accepted, 0 refused,"
                + " 0 delivered, 0 failed, 0 pending from message m where m.received_at >= ? group by 1, 2"
                + " union all select " + hour.formatted("q.received_at") + ", coalesce(q.claimed_sender, '?'), 0,"
                + " count(*), 0, 0, 0 from quarantine q where q.received_at >= ? group by 1, 2"
                + " union all select " + hour.formatted("m.received_at") + ", m.sender, 0, 0,"
                + " count(*) filter (where d.status in ('DELIVERED', 'ACKNOWLEDGED')),"
                + " count(*) filter (where d.status = 'FAILED'), count(*) filter (where d.status = 'PENDING')"
                + " from message m join delivery d on d.message_seq = m.seq where m.received_at >= ? group by 1, 2"
                + ") t group by h, sender order by h, sender",
                (rs, i) -> new HourlyTraffic(instant(rs, 1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7)),
                since, since, since);
    }
}

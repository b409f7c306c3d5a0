package vn.lienthong.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * What PostgreSQL wrote during a run, per message: WAL bytes (from the WAL position, exact), WAL
 * records, full-page images and writes forced by full WAL buffers (pg_stat_wal), and row versions inserted, updated and of those
 * updated in place (HOT) in the gateway's tables. Beside {@link CpuSplit}: PostgreSQL's CPU follows
 * the rows and index entries it writes, and a checkpoint's full-page images are most of its WAL.
 */
final class PgWork {

    /** The counters at one moment; the pg_stat_* ones lag by up to a second (statistics flushes). */
    record Sample(long walLsn, long walRecords, long walFpi, long walBuffersFull, long inserted, long updated,
            long hotUpdated) {

        /** What was written since {@code before}, per message, as one line. */
        String perMessage(Sample before, int messages) {
            double n = messages;
            return String.format(Locale.ROOT, "WAL %,.0f bytes, %.1f records, %.2f full-page images, %.3f writes"
                    + " for full WAL buffers; rows inserted %.2f, updated %.2f (HOT %.2f) per message",
                    (walLsn - before.walLsn) / n, (walRecords - before.walRecords) / n, (walFpi - before.walFpi) / n,
                    (walBuffersFull - before.walBuffersFull) / n, (inserted - before.inserted) / n,
                    (updated - before.updated) / n, (hotUpdated - before.hotUpdated) / n);
        }
    }

    private final String url;
    private final String user;
    private final String password;

    PgWork(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * The counters once the backends' statistics have reached the views (they flush at most once a
     * second, and an idle backend within a few seconds): sampled until two samples a second apart agree
     * on the rows, at most ten times.
     */
    Optional<Sample> settledSample() {
        Optional<Sample> last = sample();
        for (int i = 0; i < 10 && last.isPresent(); i++) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
            Optional<Sample> next = sample();
            if (next.isEmpty() || (next.get().inserted() == last.get().inserted()
                    && next.get().updated() == last.get().updated())) {
                return next.isEmpty() ? last : next;
            }
            last = next;
        }
        return last;
    }

    /** The counters now; empty when the database cannot be read. */
    Optional<Sample> sample() {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            // The statistics of other backends reach the views at their next flush: take the newest.
            st.execute("select pg_stat_clear_snapshot()");
            try (ResultSet rs = st.executeQuery("select pg_current_wal_lsn() - '0/0'::pg_lsn,"
                    + " (select wal_records from pg_stat_wal), (select wal_fpi from pg_stat_wal),"
                    + " (select wal_buffers_full from pg_stat_wal),"
                    + " (select coalesce(sum(n_tup_ins), 0) from pg_stat_user_tables),"
                    + " (select coalesce(sum(n_tup_upd), 0) from pg_stat_user_tables),"
                    + " (select coalesce(sum(n_tup_hot_upd), 0) from pg_stat_user_tables)")) {
                rs.next();
                return Optional.of(new Sample(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7)));
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}

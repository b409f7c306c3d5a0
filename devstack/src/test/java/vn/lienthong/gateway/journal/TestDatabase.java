package vn.lienthong.gateway.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One real PostgreSQL per test JVM (zonky embedded), started on first use, migrated by Flyway from
 * {@code db/migration}; {@link #clean()} gives a test an empty journal.
 */
public final class TestDatabase {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource dataSource;

    private TestDatabase() {
    }

    /** The pooled data source of the shared database, started and migrated on first use. */
    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            HikariConfig config = new HikariConfig();
            // As the gateway should run it: the driver turns JDBC batches of inserts into multi-row ones.
            config.setJdbcUrl(jdbcUrl() + "&reWriteBatchedInserts=true");
            config.setUsername("postgres");
            config.setMaximumPoolSize(8);
            dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop, "test-postgres-stop"));
        }
        return dataSource;
    }

    /** The JDBC URL of the shared database (user postgres, no password). */
    public static synchronized String jdbcUrl() {
        if (postgres == null) {
            dataSource();
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Empties every journal table and restarts its sequences; returns the data source. */
    public static DataSource clean() {
        DataSource ds = dataSource();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate message, delivery, delivery_attempt, delivery_order_head, quarantine, audit, audit_batch"
                    + " restart identity cascade");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ds;
    }

    private static synchronized void stop() {
        try {
            dataSource.close();
            postgres.close();
        } catch (IOException e) {
            // The JVM is exiting: nothing else to do.
        }
    }
}

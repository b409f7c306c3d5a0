package vn.lienthong.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/** A PostgreSQL server (zonky's binaries) whose data directory persists across starts. */
final class PostgresServer {

    static final String USER = "postgres";
    /** initdb runs with trust authentication on loopback, so any password is accepted. */
    static final String PASSWORD = "postgres";

    private final Path dataDir;
    private final int port;
    private final String database;
    private EmbeddedPostgres server;

    PostgresServer(Path dataDir, int port, String database) {
        this.dataDir = dataDir;
        this.port = port;
        this.database = database;
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + Ports.HOST + ":" + port + "/" + database;
    }

    synchronized boolean running() {
        return server != null;
    }

    synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", Ports.HOST)
                // zonky starts postgres with -F (fsync off) and synchronous_commit=off: fast, but a
                // commit could be lost in a crash, and the gateway acknowledges senders after commit.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                // Checkpoints further apart (the defaults are 1 GB and 5 min: about 110,000 messages
                // of WAL): after each one, the first change of every page writes the whole page to the
                // WAL, and the journal's random keys (message ids, delivery ids, audit subjects) touch a
                // new index page with nearly every row once the tables are large. README, "PostgreSQL's
                // rows per message", says what production should use.
                .setServerConfig("max_wal_size", "8GB")
                .setServerConfig("checkpoint_timeout", "15min");
        extraSettings().forEach(builder::setServerConfig);
        EmbeddedPostgres candidate = builder.start();
        try {
            createDatabaseIfAbsent(candidate);
        } catch (Exception e) {
            candidate.close();
            throw e;
        }
        server = candidate;
    }

    /**
     * Settings added for a diagnosis, e.g. {@code -Dlienthong.devstack.postgres-settings=
     * shared_preload_libraries=pg_stat_statements,track_io_timing=on} (comma-separated; a value
     * cannot hold a comma).
     */
    static java.util.Map<String, String> extraSettings() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        String spec = System.getProperty("lienthong.devstack.postgres-settings", "").strip();
        for (String item : spec.isEmpty() ? new String[0] : spec.split(",")) {
            int eq = item.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("lienthong.devstack.postgres-settings: expected name=value, got "
                        + item);
            }
            settings.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return settings;
    }

    synchronized void stop() throws Exception {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } finally {
            server = null;
        }
    }

    private void createDatabaseIfAbsent(EmbeddedPostgres pg) throws Exception {
        try (Connection connection = pg.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                query.setString(1, database);
                try (ResultSet rows = query.executeQuery()) {
                    exists = rows.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    // The name is a constant of this class's caller, never user input.
                    create.execute("create database \"" + database + "\"");
                }
            }
        }
    }
}

package vn.lienthong.gateway.atrest;

import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The data keys (AES-256), stored wrapped in table {@code data_key}, one per scope (classification)
 * and period: a new one is made when the scope's newest is older than the rotation period, so a
 * retention purge can delete (shred) the keys of periods past it. Unwrapped keys are cached.
 */
public final class DataKeys {

    /** A data key and its id (what sealed bodies name). */
    record DataKey(String id, SecretKey key, Instant createdAt) {
    }

    private final DataSource dataSource;
    private final JdbcTemplate db;
    private final KeyEncryptionKeys keks;
    private final Duration rotation;
    private final Clock clock;
    private final Map<String, DataKey> byId = new ConcurrentHashMap<>();
    private final Map<String, DataKey> currentByScope = new ConcurrentHashMap<>();

    /** Data keys in the database, wrapped by {@code keks}, a new one per scope every {@code rotation}. */
    public DataKeys(DataSource dataSource, KeyEncryptionKeys keks, Duration rotation, Clock clock) {
        this.dataSource = dataSource;
        this.db = new JdbcTemplate(dataSource);
        this.keks = keks;
        this.rotation = rotation;
        this.clock = clock;
    }

    /** The key new bodies of the scope are sealed with (made, wrapped and stored if the newest is too old). */
    DataKey current(String scope) {
        Instant now = clock.instant();
        DataKey cached = currentByScope.get(scope);
        if (cached != null && cached.createdAt().plus(rotation).isAfter(now)) {
            return cached;
        }
        synchronized (this) {
            Optional<DataKey> newest = db.query("select id, kek_alias, wrapped, created_at from data_key where scope = ?"
                    + " and created_at > ? order by created_at desc limit 1", rs -> rs.next()
                    ? Optional.of(new DataKey(rs.getString(1), keks.unwrap(rs.getString(2), rs.getBytes(3)),
                            rs.getTimestamp(4).toInstant()))
                    : Optional.<DataKey>empty(), scope, Timestamp.from(now.minus(rotation)));
            DataKey key = newest.orElseGet(() -> create(scope, now));
            byId.put(key.id(), key);
            currentByScope.put(scope, key);
            return key;
        }
    }

    private DataKey create(String scope, Instant now) {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            SecretKey key = generator.generateKey();
            // Short ids: every sealed body carries one.
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            // Committed on its own connection, outside any transaction the caller is in (the journal's):
            // a batch rolled back must not take away a key that this instance has cached and may use again.
            try (java.sql.Connection connection = dataSource.getConnection();
                    java.sql.PreparedStatement ps = connection.prepareStatement(
                            "insert into data_key (id, scope, kek_alias, wrapped, created_at) values (?, ?, ?, ?, ?)")) {
                connection.setAutoCommit(true);
                ps.setString(1, id);
                ps.setString(2, scope);
                ps.setString(3, keks.current());
                ps.setBytes(4, keks.wrap(key));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.executeUpdate();
            }
            return new DataKey(id, key, now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no data key could be made", e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("a new data key of " + scope + " could not be stored", e);
        }
    }

    /** The key a body names; absent once shredded by a retention purge. */
    Optional<SecretKey> byId(String id) {
        DataKey cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached.key());
        }
        Optional<DataKey> stored = db.query("select id, kek_alias, wrapped, created_at from data_key where id = ?",
                rs -> rs.next() ? Optional.of(new DataKey(rs.getString(1), keks.unwrap(rs.getString(2), rs.getBytes(3)),
                        rs.getTimestamp(4).toInstant())) : Optional.<DataKey>empty(), id);
        stored.ifPresent(k -> byId.put(k.id(), k));
        return stored.map(DataKey::key);
    }

    /**
     * Deletes, in the transaction of {@code connection}, the scope's keys whose period ended before
     * {@code cutoff} (every body they sealed is older than it): whatever copy of those bodies remains
     * (a backup) can no longer be read. Call {@link #forget} after the commit.
     *
     * @return the ids of the keys shredded
     */
    java.util.List<String> shred(java.sql.Connection connection, String scope, Instant cutoff) throws java.sql.SQLException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement ps = connection.prepareStatement(
                "delete from data_key where scope = ? and created_at < ? returning id")) {
            ps.setString(1, scope);
            ps.setTimestamp(2, Timestamp.from(cutoff.minus(rotation)));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Drops shredded keys from the cache. */
    void forget(java.util.Collection<String> ids) {
        ids.forEach(byId::remove);
        currentByScope.values().removeIf(k -> ids.contains(k.id()));
    }
}

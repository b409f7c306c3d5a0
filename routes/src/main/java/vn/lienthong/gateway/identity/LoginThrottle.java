package vn.lienthong.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute force: failed logins (SFTP passwords, REST calls without a good token) are counted per
 * source address and per client id in Bucket4j token buckets; once a source or a client has spent
 * its failures, its next attempts are refused at once (HTTP 429, a refused SFTP login), even with
 * the right credential, until the bucket refills (greedily: one failure back every period / limit).
 * Keycloak has no brute-force protection for client secrets, so the gateway keeps it in front.
 *
 * <p>The gateway's throttle ({@link #onDatabase}) keeps its buckets in PostgreSQL through Bucket4j's
 * proxy manager (table {@code login_bucket}), so failures counted on one instance count on all and
 * N instances give an attacker no more than one budget. A call whose source and client have no
 * recorded failure costs one indexed read; buckets are written only on failures. The in-memory
 * throttle ({@link #LoginThrottle(Limit, Limit)}, at most {@value #MAX_KEYS} keys of each kind, the
 * least recently used going first) is for a single process without the database (tests, the
 * embedded SFTP server).
 */
public final class LoginThrottle {

    /** Buckets kept per kind; a flood of addresses evicts the oldest, it does not exhaust memory. */
    static final int MAX_KEYS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How many failures are allowed in how long.
     *
     * @param failures failures a key may have in the period before it is refused
     * @param period the period over which they refill
     */
    public record Limit(int failures, Duration period) {
        /** At least one failure, over a positive period. */
        public Limit {
            if (failures < 1 || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("a login limit needs at least one failure over a positive period");
            }
        }
    }

    private final Limit perSource;
    private final Limit perClient;
    private final Buckets buckets;

    /** Limits on failures per source address and per client id, counted in this process's memory. */
    public LoginThrottle(Limit perSource, Limit perClient) {
        this(perSource, perClient, new InMemory());
    }

    private LoginThrottle(Limit perSource, Limit perClient, Buckets buckets) {
        this.perSource = Objects.requireNonNull(perSource, "perSource");
        this.perClient = Objects.requireNonNull(perClient, "perClient");
        this.buckets = buckets;
    }

    /**
     * The same limits counted in the gateway's database (table {@code login_bucket}, migration
     * V5_2), shared by every instance on it.
     */
    public static LoginThrottle onDatabase(DataSource dataSource, Limit perSource, Limit perClient) {
        return new LoginThrottle(perSource, perClient, new OnDatabase(dataSource));
    }

    /**
     * How long the caller must wait before trying again, if its source or its client has spent its
     * failures; empty if it may try now. A null source or client is not counted.
     */
    public Optional<Duration> refused(String source, String client) {
        Duration wait = Duration.ZERO;
        List<String> keys = new ArrayList<>(2);
        if (source != null) {
            keys.add(key("source", perSource, source));
        }
        if (client != null) {
            keys.add(key("client", perClient, client));
        }
        for (String key : buckets.failed(keys)) {
            Bucket bucket = buckets.bucket(key, key.startsWith("source") ? perSource : perClient);
            if (bucket.getAvailableTokens() < 1) {
                Duration own = Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
                wait = own.compareTo(wait) > 0 ? own : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : wait);
    }

    /** Counts one failed attempt against the source and the client (either may be null). */
    public void failed(String source, String client) {
        if (source != null) {
            buckets.bucket(key("source", perSource, source), perSource).tryConsume(1);
        }
        if (client != null) {
            buckets.bucket(key("client", perClient, client), perClient).tryConsume(1);
        }
        buckets.tidy();
    }

    // The limit is part of the key: a bucket stored under other limits (before a configuration
    // change) is simply another bucket, and lapses.
    private static String key(String kind, Limit limit, String value) {
        return kind + "|" + limit.failures() + "/" + limit.period().toMillis() + "|" + value;
    }

    private static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(limit.failures())
                .refillGreedy(limit.failures(), limit.period()).build()).build();
    }

    /** Where the buckets are kept. */
    private interface Buckets {
        /** Those of {@code keys} that have a bucket (a failure recorded, not yet lapsed). */
        Set<String> failed(List<String> keys);

        /** The bucket of {@code key}, made full if it has none. */
        Bucket bucket(String key, Limit limit);

        /** Forgets buckets full again, now and then. */
        default void tidy() {
        }
    }

    /** Buckets in this process, a bounded number of each kind. */
    private static final class InMemory implements Buckets {
        private final Map<String, Bucket> buckets = lru();

        @Override
        public synchronized Set<String> failed(List<String> keys) {
            Set<String> found = new HashSet<>();
            keys.stream().filter(buckets::containsKey).forEach(found::add);
            return found;
        }

        @Override
        public synchronized Bucket bucket(String key, Limit limit) {
            return buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(configuration(limit).getBandwidths()[0])
                    .build());
        }
    }

    /** Buckets in PostgreSQL, shared by every instance: Bucket4j's select-for-update proxy manager. */
    private static final class OnDatabase implements Buckets {
        private static final Logger LOG = LoggerFactory.getLogger(OnDatabase.class);
        static final String TABLE = "login_bucket";
        private static final long TIDY_EVERY_MS = 60_000;

        private final DataSource dataSource;
        private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;
        private final AtomicLong tidiedAt = new AtomicLong(System.currentTimeMillis());

        OnDatabase(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            // A row lapses once its bucket would be full again (plus a margin): nothing is kept longer.
            this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING).table(TABLE).idColumn("id").stateColumn("state")
                    .expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(5)))
                    .build();
        }

        @Override
        public Set<String> failed(List<String> keys) {
            if (keys.isEmpty()) {
                return Set.of();
            }
            Set<String> found = new HashSet<>();
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("select id from " + TABLE
                            + " where id = any (?) and state is not null")) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("the login limits cannot be read from the database", e);
            }
            return found;
        }

        @Override
        public Bucket bucket(String key, Limit limit) {
            return proxies.builder().build(key, () -> configuration(limit));
        }

        @Override
        public void tidy() {
            long last = tidiedAt.get();
            long now = System.currentTimeMillis();
            if (now - last >= TIDY_EVERY_MS && tidiedAt.compareAndSet(last, now)) {
                int removed;
                do {
                    removed = proxies.removeExpired(1_000);
                } while (removed == 1_000);
                LOG.debug("lapsed login buckets removed");
            }
        }
    }

    /** An SFTP login whose failures are counted here, refused at once while its source or user is over the limit. */
    public SftpLogin sftp(SftpLogin login) {
        return new SftpLogin() {
            @Override
            public boolean authenticate(String user, String password) {
                return authenticate(user, password, null);
            }

            @Override
            public boolean authenticate(String user, String password, String source) {
                if (refused(source, user).isPresent()) {
                    return false;
                }
                boolean ok = login.authenticate(user, password, source);
                if (!ok) {
                    failed(source, user);
                }
                return ok;
            }
        };
    }

    /**
     * The client a bearer token claims to be ({@code azp}, else {@code client_id}), read without
     * verifying it: a forged token still names the client whose secret someone is guessing at.
     */
    public static Optional<String> claimedClient(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization;
        String[] parts = token.split("\\.");
        if (parts.length < 2 || parts[1].length() > 8192) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode client = claims.hasNonNull("azp") ? claims.get("azp") : claims.get("client_id");
            return client != null && client.isTextual() && client.asText().length() <= 255
                    ? Optional.of(client.asText()) : Optional.empty();
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Bucket> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                // Sources and clients share one map: twice the bound of each kind.
                return size() > 2 * MAX_KEYS;
            }
        };
    }
}

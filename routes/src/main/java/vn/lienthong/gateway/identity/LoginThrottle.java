package vn.lienthong.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Brute force: failed logins (SFTP passwords, REST calls without a good token) are counted per
 * source address and per client id in Bucket4j token buckets; once a source or a client has spent
 * its failures, its next attempts are refused at once (HTTP 429, a refused SFTP login), even with
 * the right credential, until the bucket refills (greedily: one failure back every period / limit).
 * Keycloak has no brute-force protection for client secrets, so the gateway keeps it in front.
 * Buckets live in this instance's memory, at most {@value #MAX_KEYS} of each kind (the least
 * recently used go first): with N instances an attacker gets N times the budget.
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
    private final Map<String, Bucket> sources = lru();
    private final Map<String, Bucket> clients = lru();

    /** Limits on failures per source address and per client id. */
    public LoginThrottle(Limit perSource, Limit perClient) {
        this.perSource = perSource;
        this.perClient = perClient;
    }

    /**
     * How long the caller must wait before trying again, if its source or its client has spent its
     * failures; empty if it may try now. A null source or client is not counted.
     */
    public Optional<Duration> refused(String source, String client) {
        Duration wait = Duration.ZERO;
        for (Bucket bucket : new Bucket[] {existing(sources, source), existing(clients, client)}) {
            if (bucket != null && bucket.getAvailableTokens() < 1) {
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
            bucket(sources, source, perSource).tryConsume(1);
        }
        if (client != null) {
            bucket(clients, client, perClient).tryConsume(1);
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

    private static Bucket existing(Map<String, Bucket> buckets, String key) {
        if (key == null) {
            return null;
        }
        synchronized (buckets) {
            return buckets.get(key);
        }
    }

    private static Bucket bucket(Map<String, Bucket> buckets, String key, Limit limit) {
        synchronized (buckets) {
            return buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(Bandwidth.builder()
                    .capacity(limit.failures()).refillGreedy(limit.failures(), limit.period()).build()).build());
        }
    }

    private static Map<String, Bucket> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }
}

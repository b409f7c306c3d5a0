package vn.lienthong.gateway.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an agency's access token offline against the realm's published keys: an allowed
 * asymmetric algorithm, a signature by a key of the realm, the exact issuer, the gateway in the
 * audience, an expiry (with a small fixed skew), sane nbf/iat, and the {@code agency} and
 * {@code azp} claims. Whether the agency is still enabled is {@link AgencyDirectory}'s question.
 *
 * <p>The key set is cached; a token signed with a key id the cache does not know (a rotated
 * realm key) makes it fetch the set again, at most once per {@code minRefetchInterval}. Tokens
 * are never logged and never quoted in a refusal.
 *
 * <p>A token whose signature verified is remembered (by its SHA-256, never the token itself; at
 * most {@code cacheSize} of them, each until its expiry plus {@link #SKEW}) with its claims and
 * the key that verified it: an agency sends the same token with every message until it expires,
 * and an RS256 verification per message was 15 % of the gateway's CPU. A remembered token is
 * accepted again only while that key is still in the realm's key set, and its claims (expiry,
 * not-before, issue time as of the instant asked, issuer, audience, agency) are checked again
 * every time: only the parse and the signature check are saved. Revocation is unchanged: the
 * check is offline against the published keys, never introspection, so a Keycloak client token
 * was never revocable before its expiry here anyway (only removing its signing key ends it, and
 * that ends the remembered token too).
 */
public final class TokenVerifier {

    /** Clock difference tolerated between Keycloak and the gateway. */
    public static final Duration SKEW = Duration.ofSeconds(30);
    /** The key set is fetched again after this long even if every key id is known (removed keys go). */
    static final Duration KEYS_MAX_AGE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final String issuer;
    private final String audience;
    private final Set<JWSAlgorithm> allowed;
    private final JwksSource keys;
    private final Duration minRefetchInterval;
    private final Clock clock;

    /** The default number of verified tokens remembered. */
    public static final int CACHE_SIZE = 10_000;

    private final Cache<String, Verified> verified;
    private final int cacheSize;

    private volatile JWKSet cached;
    private volatile Instant fetchedAt = Instant.MIN;

    /**
     * A verifier for one realm.
     *
     * @param issuer the exact {@code iss} expected, e.g. {@code http://127.0.0.1:8180/realms/lienthong}
     * @param audience what {@code aud} must contain ({@code lienthong-gateway})
     * @param allowedAlgorithms JWS algorithm names; only asymmetric ones are accepted here
     * @param keys the realm's key set
     * @param minRefetchInterval the least time between two fetches of the key set caused by unknown key ids
     * @param clock the gateway's clock
     */
    public TokenVerifier(String issuer, String audience, Collection<String> allowedAlgorithms, JwksSource keys,
            Duration minRefetchInterval, Clock clock) {
        this(issuer, audience, allowedAlgorithms, keys, minRefetchInterval, clock, CACHE_SIZE);
    }

    /**
     * A verifier for one realm that remembers at most {@code cacheSize} verified tokens (0: none);
     * the other parameters as {@link #TokenVerifier(String, String, Collection, JwksSource, Duration, Clock)}.
     */
    public TokenVerifier(String issuer, String audience, Collection<String> allowedAlgorithms, JwksSource keys,
            Duration minRefetchInterval, Clock clock, int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("a negative token cache size: " + cacheSize);
        }
        this.cacheSize = cacheSize;
        // Caffeine evicts after the fact (its maintenance may run on another thread): 0 means none kept at all.
        this.verified = Caffeine.newBuilder().maximumSize(cacheSize)
                .expireAfter(Expiry.creating((String hash, Verified v) -> untilExpiry(v, clock)))
                .ticker(() -> nanos(clock)).build();
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.minRefetchInterval = Objects.requireNonNull(minRefetchInterval, "minRefetchInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        for (String name : allowedAlgorithms) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name.trim());
            // A shared-secret algorithm would let anyone holding the "key" (a public JWK) forge tokens.
            if (!ASYMMETRIC.contains(algorithm)) {
                throw new IllegalArgumentException("token algorithm " + name
                        + " cannot be allowed: only RS*, PS* and ES* signatures verify with the realm's public keys");
            }
            algorithms.add(algorithm);
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("no token algorithm is allowed");
        }
        this.allowed = Set.copyOf(algorithms);
    }

    /**
     * Verifies a compact JWT (without the {@code Bearer } prefix), valid now.
     *
     * @throws IdentityUnavailableException when the realm's keys cannot be fetched and none are cached
     */
    public Authentication verify(String token) {
        return verify(token, clock.instant());
    }

    /**
     * Verifies a compact JWT (without the {@code Bearer } prefix) as of {@code at}: its expiry,
     * not-before and issue time are checked against that instant (with {@link #SKEW}), e.g. the
     * time a broker accepted the message that carried it. Everything else is checked as of now.
     *
     * @throws IdentityUnavailableException when the realm's keys cannot be fetched and none are cached
     */
    public Authentication verify(String token, Instant at) {
        Objects.requireNonNull(at, "at");
        if (token == null || token.isBlank()) {
            return Authentication.refused("no token");
        }
        String hash = sha256(token.trim());
        Verified remembered = verified.getIfPresent(hash);
        if (remembered != null && keySet(false).getKeys().contains(remembered.key())) {
            return checkClaims(remembered.claims(), at);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.trim());
        } catch (ParseException e) {
            return Authentication.refused("the token is not a well-formed JWT");
        }
        if (jwt instanceof PlainJWT) {
            return Authentication.refused("algorithm none is not allowed");
        }
        if (jwt instanceof EncryptedJWT) {
            return Authentication.refused("an encrypted token is not accepted; send the signed access token");
        }
        SignedJWT signed = (SignedJWT) jwt;
        JWSHeader header = signed.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!allowed.contains(algorithm)) {
            return Authentication.refused("algorithm " + algorithm.getName() + " is not allowed (allowed: "
                    + allowed.stream().map(Algorithm::getName).sorted().collect(Collectors.joining(", ")) + ")");
        }
        List<JWK> candidates = candidates(header);
        if (candidates.isEmpty()) {
            return Authentication.refused("the token is signed with key " + (header.getKeyID() == null ? "(no kid)"
                    : "kid " + header.getKeyID()) + ", which the realm does not publish");
        }
        JWK key = verifyingKey(signed, candidates);
        if (key == null) {
            return Authentication.refused("signature does not verify with the realm's keys");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return Authentication.refused("the token's claims are not a JSON object");
        }
        Authentication result = checkClaims(claims, at);
        if (result instanceof Authentication.Authenticated && cacheSize > 0) {
            verified.put(hash, new Verified(claims, key));
        }
        return result;
    }

    /** A token whose signature verified: its claims and the realm key that verified it. */
    private record Verified(JWTClaimsSet claims, JWK key) {
    }

    /** Remembered until the token's expiry plus the skew (it is refused after that anyway). */
    private static Duration untilExpiry(Verified v, Clock clock) {
        Date exp = v.claims().getExpirationTime();
        Duration left = exp == null ? Duration.ZERO : Duration.between(clock.instant(), exp.toInstant().plus(SKEW));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The cache's time is the gateway's clock (a test's movable clock moves the expiries too). */
    private static long nanos(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Authentication checkClaims(JWTClaimsSet claims, Instant now) {
        if (!issuer.equals(claims.getIssuer())) {
            return Authentication.refused("issuer " + claims.getIssuer() + " is not " + issuer);
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            return Authentication.refused("audience does not include " + audience);
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return Authentication.refused("the token has no expiry (exp)");
        }
        if (now.isAfter(exp.toInstant().plus(SKEW))) {
            return Authentication.refused("token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
            return Authentication.refused("token not valid before " + nbf.toInstant());
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(SKEW).isBefore(iat.toInstant())) {
            return Authentication.refused("token issued in the future, at " + iat.toInstant());
        }
        Object typ = claims.getClaim("typ");
        // Keycloak marks its token kinds; an ID or refresh token is not a credential for the gateway.
        if (typ != null && !"Bearer".equals(typ)) {
            return Authentication.refused("a token of type " + typ + " is not an access token");
        }
        String agency;
        String clientId;
        try {
            agency = claims.getStringClaim("agency");
            clientId = claims.getStringClaim("azp");
        } catch (ParseException e) {
            return Authentication.refused("the token's agency or azp claim is not a string");
        }
        if (agency == null || agency.isBlank()) {
            return Authentication.refused("the token has no agency claim");
        }
        if (clientId == null || clientId.isBlank()) {
            return Authentication.refused("the token has no azp (client id) claim");
        }
        return new Authentication.Authenticated(new Caller(agency, clientId, realmRoles(claims), exp.toInstant()));
    }

    private static Set<String> realmRoles(JWTClaimsSet claims) {
        Object access = claims.getClaim("realm_access");
        if (!(access instanceof Map<?, ?> map) || !(map.get("roles") instanceof Collection<?> roles)) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (Object role : roles) {
            if (role instanceof String s) {
                names.add(s);
            }
        }
        return names;
    }

    /** The first candidate that verifies the signature, or null. */
    private static JWK verifyingKey(SignedJWT signed, List<JWK> candidates) {
        for (JWK key : candidates) {
            try {
                JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
                        : new ECDSAVerifier((ECKey) key);
                if (signed.verify(verifier)) {
                    return key;
                }
            } catch (JOSEException e) {
                // A key that cannot verify this algorithm (e.g. a curve that does not match) is not a match.
            }
        }
        return null;
    }

    /** The realm's signing keys that fit the header: its kid (fetching again if unknown) and key type. */
    private List<JWK> candidates(JWSHeader header) {
        JWKSet set = keySet(false);
        List<JWK> found = matching(set, header);
        if (found.isEmpty() && header.getKeyID() != null && refetchAllowed()) {
            found = matching(keySet(true), header);
        }
        return found;
    }

    private static List<JWK> matching(JWKSet set, JWSHeader header) {
        JWSAlgorithm algorithm = header.getAlgorithm();
        boolean rsa = JWSAlgorithm.Family.RSA.contains(algorithm);
        List<JWK> found = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            if (header.getKeyID() != null && !header.getKeyID().equals(key.getKeyID())) {
                continue;
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                continue;
            }
            // A key bound to one algorithm is used with that algorithm only.
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
                continue;
            }
            if (rsa ? key instanceof RSAKey : key instanceof ECKey) {
                found.add(key);
            }
        }
        return found;
    }

    private boolean refetchAllowed() {
        return !clock.instant().isBefore(fetchedAt.plus(minRefetchInterval));
    }

    private synchronized JWKSet keySet(boolean refetch) {
        Instant now = clock.instant();
        boolean old = cached == null || now.isAfter(fetchedAt.plus(KEYS_MAX_AGE));
        if (!refetch && !old) {
            return cached;
        }
        if (refetch && !refetchAllowed() && cached != null) {
            return cached;
        }
        try {
            JWKSet fresh = keys.load();
            cached = fresh;
            fetchedAt = now;
            LOG.debug("realm keys fetched: {}", fresh.getKeys().stream().map(JWK::getKeyID).toList());
            return fresh;
        } catch (IOException | RuntimeException e) {
            if (cached != null) {
                LOG.warn("the realm's keys could not be fetched again ({}); using the {} cached", e.toString(),
                        cached.getKeys().size());
                fetchedAt = now;
                return cached;
            }
            throw new IdentityUnavailableException("the realm's signing keys cannot be fetched: " + e.getMessage(), e);
        }
    }
}

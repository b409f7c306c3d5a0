package vn.lienthong.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token checks as pure logic, with keys made here standing in for the realm's (the checks
 * against the real Keycloak are in the channel tests).
 */
class TokenVerifierTest {

    private static final String ISSUER = "http://127.0.0.1:8180/realms/lienthong";
    private static final String AUDIENCE = "lienthong-gateway";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final List<String> ALLOWED = List.of("RS256", "PS256", "ES256");

    private static RSAKey realmKey;
    private static RSAKey rotatedKey;
    private static RSAKey attackerKey;
    private static ECKey ecKey;

    private final MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void keys() throws JOSEException {
        realmKey = new RSAKeyGenerator(2048).keyID("realm-1").keyUse(KeyUse.SIGNATURE).generate();
        rotatedKey = new RSAKeyGenerator(2048).keyID("realm-2").keyUse(KeyUse.SIGNATURE).generate();
        // The forger knows the realm's kid (it is public) but not its private key.
        attackerKey = new RSAKeyGenerator(2048).keyID("realm-1").keyUse(KeyUse.SIGNATURE).generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("realm-ec").keyUse(KeyUse.SIGNATURE).generate();
    }

    @Test
    void aRealmTokenGivesTheAgencyItsClientRolesAndExpiry() throws Exception {
        Authentication result = verifier(realmKey, ecKey).verify(rs256(realmKey, claims().build()));

        assertThat(result).isInstanceOf(Authentication.Authenticated.class);
        Caller caller = ((Authentication.Authenticated) result).caller();
        assertThat(caller.agency()).isEqualTo("MOIT.DMS");
        assertThat(caller.clientId()).isEqualTo("moit-dms");
        assertThat(caller.roles()).contains("notice:send", "case:transfer");
        assertThat(caller.expiresAt()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void anEs256TokenOfTheRealmIsAccepted() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ecKey.getKeyID()).build(),
                claims().build());
        jwt.sign(new ECDSASigner(ecKey));
        assertThat(verifier(realmKey, ecKey).verify(jwt.serialize())).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void aForgedSignatureWithTheRealmsKidIsRefused() throws Exception {
        assertThat(verifier(realmKey).verify(rs256(attackerKey, claims().build())))
                .isEqualTo(new Authentication.Refused("signature does not verify with the realm's keys"));
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String token = rs256(realmKey, claims().build());
        String[] parts = token.split("\\.");
        String other = rs256(realmKey, claims().claim("agency", "MOF.TAX").build()).split("\\.")[1];
        assertThat(verifier(realmKey).verify(parts[0] + "." + other + "." + parts[2]))
                .isEqualTo(new Authentication.Refused("signature does not verify with the realm's keys"));
    }

    @Test
    void anExpiredTokenIsRefusedWithItsExpiry() throws Exception {
        Instant expired = NOW.minus(TokenVerifier.SKEW).minusSeconds(1);
        String token = rs256(realmKey, claims().expirationTime(Date.from(expired)).build());
        assertThat(verifier(realmKey).verify(token)).isEqualTo(new Authentication.Refused("token expired at " + expired));
    }

    @Test
    void aTokenJustPastItsExpiryIsStillWithinTheSkew() throws Exception {
        String token = rs256(realmKey, claims().expirationTime(Date.from(NOW.minusSeconds(5))).build());
        assertThat(verifier(realmKey).verify(token)).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void aTokenExpiredNowIsAcceptedAsOfAnEarlierInstantWhenItWasValid() throws Exception {
        // Issued at NOW, lives 300 s; the gateway looks at it an hour later.
        String token = rs256(realmKey, claims().build());
        TokenVerifier verifier = verifier(realmKey);
        clock.advance(Duration.ofHours(1));
        assertThat(verifier.verify(token)).isEqualTo(new Authentication.Refused("token expired at " + NOW.plusSeconds(300)));
        assertThat(verifier.verify(token, NOW.plusSeconds(299))).isInstanceOf(Authentication.Authenticated.class);
        assertThat(verifier.verify(token, NOW.plusSeconds(300).plus(TokenVerifier.SKEW)))
                .as("the skew applies at the given instant too").isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void aTokenIsRefusedAsOfAnInstantAfterItsExpiry() throws Exception {
        String token = rs256(realmKey, claims().build());
        Instant past = NOW.plusSeconds(300).plus(TokenVerifier.SKEW).plusSeconds(1);
        // The gateway's own clock says the token is fresh: the given instant decides.
        assertThat(verifier(realmKey).verify(token, past))
                .isEqualTo(new Authentication.Refused("token expired at " + NOW.plusSeconds(300)));
    }

    @Test
    void aTokenIssuedAfterTheGivenInstantIsRefused() throws Exception {
        // A broker cannot have accepted a message carrying a token that did not exist yet.
        String token = rs256(realmKey, claims().build());
        Instant before = NOW.minus(TokenVerifier.SKEW).minusSeconds(1);
        assertThat(verifier(realmKey).verify(token, before))
                .isEqualTo(new Authentication.Refused("token issued in the future, at " + NOW));
        String notBefore = rs256(realmKey, claims().notBeforeTime(Date.from(NOW)).issueTime(null).build());
        assertThat(verifier(realmKey).verify(notBefore, before))
                .isEqualTo(new Authentication.Refused("token not valid before " + NOW));
    }

    @Test
    void aTokenWithoutExpiryIsRefused() throws Exception {
        String token = rs256(realmKey, claims().expirationTime(null).build());
        assertThat(verifier(realmKey).verify(token)).isEqualTo(new Authentication.Refused("the token has no expiry (exp)"));
    }

    @Test
    void aTokenNotYetValidOrIssuedInTheFutureIsRefused() throws Exception {
        Instant later = NOW.plus(TokenVerifier.SKEW).plusSeconds(60);
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().notBeforeTime(Date.from(later)).build())))
                .isEqualTo(new Authentication.Refused("token not valid before " + later));
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().issueTime(Date.from(later)).build())))
                .isEqualTo(new Authentication.Refused("token issued in the future, at " + later));
    }

    @Test
    void algorithmNoneIsRefused() {
        String token = new PlainJWT(claims().build()).serialize();
        assertThat(verifier(realmKey).verify(token)).isEqualTo(new Authentication.Refused("algorithm none is not allowed"));
    }

    @Test
    void aSharedSecretAlgorithmIsRefusedEvenWithTheRealmsPublicKeyAsSecret() throws Exception {
        // The classic confusion: HMAC keyed with the public key's bytes, which anyone can fetch.
        byte[] secret = realmKey.toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("realm-1").build(), claims().build());
        jwt.sign(new MACSigner(secret));
        assertThat(verifier(realmKey).verify(jwt.serialize()))
                .isEqualTo(new Authentication.Refused("algorithm HS256 is not allowed (allowed: ES256, PS256, RS256)"));
    }

    @Test
    void anAlgorithmOutsideTheAllowListIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("realm-1").build(), claims().build());
        jwt.sign(new RSASSASigner(realmKey));
        assertThat(verifier(realmKey).verify(jwt.serialize()))
                .isEqualTo(new Authentication.Refused("algorithm RS512 is not allowed (allowed: ES256, PS256, RS256)"));
    }

    @Test
    void sharedSecretAlgorithmsCannotBeAllowed() {
        assertThatThrownBy(() -> new TokenVerifier(ISSUER, AUDIENCE, List.of("RS256", "HS256"), () -> new JWKSet(),
                Duration.ofSeconds(10), clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HS256");
        assertThatThrownBy(() -> new TokenVerifier(ISSUER, AUDIENCE, List.of("none"), () -> new JWKSet(),
                Duration.ofSeconds(10), clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none");
    }

    @Test
    void anotherIssuerIsRefused() throws Exception {
        String other = "http://127.0.0.1:8180/realms/master";
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().issuer(other).build())))
                .isEqualTo(new Authentication.Refused("issuer " + other + " is not " + ISSUER));
        // Exact match: a prefix or a trailing slash is another issuer.
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().issuer(ISSUER + "/").build())))
                .isInstanceOf(Authentication.Refused.class);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().audience(List.of("account")).build())))
                .isEqualTo(new Authentication.Refused("audience does not include lienthong-gateway"));
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().audience((String) null).build())))
                .isEqualTo(new Authentication.Refused("audience does not include lienthong-gateway"));
    }

    @Test
    void aTokenWithoutAgencyOrClientIsRefused() throws Exception {
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().claim("agency", null).build())))
                .isEqualTo(new Authentication.Refused("the token has no agency claim"));
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().claim("azp", null).build())))
                .isEqualTo(new Authentication.Refused("the token has no azp (client id) claim"));
    }

    @Test
    void anIdTokenIsNotAnAccessToken() throws Exception {
        assertThat(verifier(realmKey).verify(rs256(realmKey, claims().claim("typ", "ID").build())))
                .isEqualTo(new Authentication.Refused("a token of type ID is not an access token"));
    }

    @Test
    void garbageIsRefusedWithoutQuotingIt() {
        Authentication result = verifier(realmKey).verify("not-a-jwt-secret-looking-thing");
        assertThat(result).isEqualTo(new Authentication.Refused("the token is not a well-formed JWT"));
        assertThat(verifier(realmKey).verify("")).isEqualTo(new Authentication.Refused("no token"));
    }

    @Test
    void aRotatedRealmKeyIsFetchedOnceOnItsFirstUnknownKid() throws Exception {
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(realmKey.toPublicJWK()));
        AtomicInteger loads = new AtomicInteger();
        TokenVerifier verifier = new TokenVerifier(ISSUER, AUDIENCE, ALLOWED, () -> {
            loads.incrementAndGet();
            return published.get();
        }, Duration.ofSeconds(10), clock);
        assertThat(verifier.verify(rs256(realmKey, claims().build()))).isInstanceOf(Authentication.Authenticated.class);
        assertThat(loads).hasValue(1);

        published.set(new JWKSet(List.<JWK>of(realmKey.toPublicJWK(), rotatedKey.toPublicJWK())));
        clock.advance(Duration.ofSeconds(11));
        assertThat(verifier.verify(rs256(rotatedKey, claims().build()))).isInstanceOf(Authentication.Authenticated.class);
        assertThat(loads).hasValue(2);
        assertThat(verifier.verify(rs256(rotatedKey, claims().build()))).isInstanceOf(Authentication.Authenticated.class);
        assertThat(loads).as("the new key is cached").hasValue(2);
    }

    @Test
    void unknownKidsDoNotMakeItFetchMoreThanOncePerInterval() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        TokenVerifier verifier = new TokenVerifier(ISSUER, AUDIENCE, ALLOWED, () -> {
            loads.incrementAndGet();
            return new JWKSet(realmKey.toPublicJWK());
        }, Duration.ofSeconds(10), clock);
        verifier.verify(rs256(realmKey, claims().build()));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown").generate();
        clock.advance(Duration.ofSeconds(11));
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(rs256(stranger, claims().build())))
                    .isEqualTo(new Authentication.Refused("the token is signed with key kid unknown, which the realm does not publish"));
        }
        assertThat(loads).as("one fetch for the first unknown kid, none for the next four").hasValue(2);
    }

    @Test
    void aRememberedTokenIsCheckedAgainAsOfEachInstantAndRefusedAfterItsExpiry() throws Exception {
        TokenVerifier verifier = verifier(realmKey);
        String token = rs256(realmKey, claims().build());
        assertThat(verifier.verify(token)).isInstanceOf(Authentication.Authenticated.class);
        assertThat(verifier.verify(token)).isInstanceOf(Authentication.Authenticated.class);
        // Remembered, but its time claims still hold as of the instant asked.
        assertThat(verifier.verify(token, NOW.minusSeconds(60)))
                .isEqualTo(new Authentication.Refused("token issued in the future, at " + NOW));
        clock.advance(Duration.ofSeconds(300).plus(TokenVerifier.SKEW).plusSeconds(1));
        assertThat(verifier.verify(token))
                .isEqualTo(new Authentication.Refused("token expired at " + NOW.plusSeconds(300)));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyLeavesTheRealm() throws Exception {
        AtomicReference<JWKSet> published = new AtomicReference<>(
                new JWKSet(List.<JWK>of(realmKey.toPublicJWK(), rotatedKey.toPublicJWK())));
        TokenVerifier verifier = new TokenVerifier(ISSUER, AUDIENCE, ALLOWED, published::get, Duration.ofSeconds(10),
                clock);
        String token = rs256(realmKey, claims().expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).build());
        assertThat(verifier.verify(token)).isInstanceOf(Authentication.Authenticated.class);
        published.set(new JWKSet(rotatedKey.toPublicJWK()));
        clock.advance(Duration.ofMinutes(11));
        assertThat(verifier.verify(token)).isEqualTo(new Authentication.Refused(
                "the token is signed with key kid realm-1, which the realm does not publish"));
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsStillRefused() throws Exception {
        TokenVerifier verifier = verifier(realmKey);
        String token = rs256(realmKey, claims().build());
        assertThat(verifier.verify(token)).isInstanceOf(Authentication.Authenticated.class);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().claim("agency", "SBV").build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2];
        assertThat(verifier.verify(forged))
                .isEqualTo(new Authentication.Refused("signature does not verify with the realm's keys"));
    }

    @Test
    void realmKeysOutOfReachAreTheGatewaysTroubleNotTheTokens() {
        TokenVerifier verifier = new TokenVerifier(ISSUER, AUDIENCE, ALLOWED, () -> {
            throw new IOException("connection refused");
        }, Duration.ofSeconds(10), clock);
        assertThatThrownBy(() -> verifier.verify(rs256(realmKey, claims().build())))
                .isInstanceOf(IdentityUnavailableException.class);
    }

    // ---------------------------------------------------------------- helpers

    private TokenVerifier verifier(JWK... published) {
        List<JWK> keys = new ArrayList<>();
        for (JWK key : published) {
            keys.add(key.toPublicJWK());
        }
        return new TokenVerifier(ISSUER, AUDIENCE, ALLOWED, () -> new JWKSet(keys), Duration.ofSeconds(10), clock);
    }

    /** What Keycloak puts in an agency's access token. */
    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE, "account"))
                .subject("service-account-moit-dms")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(300)))
                .claim("typ", "Bearer")
                .claim("azp", "moit-dms")
                .claim("agency", "MOIT.DMS")
                .claim("realm_access", Map.of("roles", List.of("notice:send", "case:transfer", "default-roles-lienthong")));
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package vn.lienthong.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;

/**
 * Real access tokens from the shared test stack's Keycloak, as agencies' systems get them: the
 * client-credentials grant with the demo secret {@code <clientId>-demo-secret}. Tokens are cached
 * per client until shortly before they expire.
 */
public final class Tokens {

    /** The demo secret of every agency client of the test realm is its client id plus this. */
    public static final String DEMO_SECRET_SUFFIX = "-demo-secret";

    private static final Map<String, TokenEndpoint.Grant> CACHE = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static volatile Registry registry;

    private Tokens() {
    }

    /** The realm's issuer in the shared stack. */
    public static String issuer() {
        Object issuer = TestStack.get().springProperties().get("lienthong.identity.issuer");
        if (issuer == null) {
            throw new IllegalStateException("the shared test stack runs no Keycloak");
        }
        return issuer.toString();
    }

    /** The realm's token endpoint. */
    public static TokenEndpoint endpoint() {
        return new TokenEndpoint(issuer(), HTTP);
    }

    /** {@code Bearer <token>} for an agency of config/agencies.yaml (by registry code, e.g. MOIT.DMS). */
    public static String bearer(String agencyCode) {
        return "Bearer " + accessToken(clientOf(agencyCode));
    }

    /** A cached access token of a client with its demo secret. */
    public static String accessToken(String clientId) {
        TokenEndpoint.Grant grant = CACHE.get(clientId);
        if (grant == null || Instant.now().isAfter(grant.expiresAt().minusSeconds(30))) {
            grant = fresh(clientId, clientId + DEMO_SECRET_SUFFIX)
                    .orElseThrow(() -> new IllegalStateException("Keycloak refuses the demo secret of " + clientId));
            CACHE.put(clientId, grant);
        }
        return grant.accessToken();
    }

    /** A new grant, not cached: empty when Keycloak refuses the credentials. */
    public static Optional<TokenEndpoint.Grant> fresh(String clientId, String secret) {
        try {
            return endpoint().clientCredentials(clientId, secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public client people get bearer tokens from in the demo realm (password grant). */
    public static final String PEOPLE_CLI_CLIENT = "lienthong-cli";

    /** {@code Bearer <token>} of a person (a realm user such as the demo {@code operator}/{@code operator-demo}). */
    public static String person(String username, String password) {
        return "Bearer " + personGrant(username, password)
                .orElseThrow(() -> new IllegalStateException("Keycloak refuses " + username + "'s password"));
    }

    /** A person's access token, or empty when Keycloak refuses (wrong password, disabled person). */
    public static Optional<String> personGrant(String username, String password) {
        String form = "grant_type=password&client_id=" + PEOPLE_CLI_CLIENT + "&scope=openid&username="
                + java.net.URLEncoder.encode(username, java.nio.charset.StandardCharsets.UTF_8) + "&password="
                + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(issuer() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("access_token").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Keycloak client of a registry agency (config/agencies.yaml). */
    public static String clientOf(String agencyCode) {
        Registry r = registry;
        if (r == null) {
            // Surefire runs in the module directory.
            r = Registry.load(Path.of("../config/agencies.yaml"));
            registry = r;
        }
        return r.agency(agencyCode).map(Agency::keycloakClient)
                .orElseThrow(() -> new IllegalArgumentException(agencyCode + " is not in config/agencies.yaml"));
    }
}

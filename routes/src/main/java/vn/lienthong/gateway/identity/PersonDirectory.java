package vn.lienthong.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a person (a Keycloak user of the realm: an operator or auditor) is still enabled, asked
 * of the admin REST API with the gateway's own client and remembered for the refresh interval, so
 * that a person disabled in Keycloak is refused within {@link AgencyDirectory#REVOCATION_BOUND}
 * even while their earlier tokens and browser sessions still verify.
 *
 * <p>When Keycloak cannot be asked and the last answer is older than the bound, the person is
 * refused: the operator's seat fails closed (people cannot log in without Keycloak anyway).
 */
public final class PersonDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PersonDirectory.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Answer(boolean enabled, Instant at) {
    }

    private final URI realmAdmin;
    private final TokenEndpoint tokens;
    private final String gatewayClientId;
    private final String gatewayClientSecret;
    private final Duration refresh;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile TokenEndpoint.Grant adminGrant;

    /**
     * A directory of the realm's people.
     *
     * @param adminUrl Keycloak's base URL (the admin API is under {@code /admin/realms/<realm>})
     * @param realm the realm
     * @param tokens the realm's token endpoint
     * @param gatewayClientId the gateway's own client, allowed to view users
     * @param gatewayClientSecret its secret
     * @param refresh how long an answer is used before Keycloak is asked again
     */
    public PersonDirectory(String adminUrl, String realm, TokenEndpoint tokens, String gatewayClientId,
            String gatewayClientSecret, Duration refresh, HttpClient http, Clock clock) {
        String base = adminUrl.endsWith("/") ? adminUrl.substring(0, adminUrl.length() - 1) : adminUrl;
        this.realmAdmin = URI.create(base + "/admin/realms/" + encode(realm) + "/");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.gatewayClientId = Objects.requireNonNull(gatewayClientId, "gatewayClientId");
        this.gatewayClientSecret = Objects.requireNonNull(gatewayClientSecret, "gatewayClientSecret");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether the user with this id ({@code sub} of their token) exists and is enabled: from an
     * answer at most one refresh interval old, else from Keycloak now; an older answer within the
     * revocation bound stands while Keycloak does not answer.
     */
    public boolean enabled(String userId) {
        if (userId == null || userId.isBlank()) {
            return false;
        }
        Instant now = clock.instant();
        Answer known = answers.get(userId);
        if (known != null && !now.isAfter(known.at().plus(refresh))) {
            return known.enabled();
        }
        try {
            Answer fresh = new Answer(ask(userId), now);
            answers.put(userId, fresh);
            return fresh.enabled();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot ask Keycloak whether a person is enabled ({})", e.toString());
            return known != null && !now.isAfter(known.at().plus(AgencyDirectory.REVOCATION_BOUND)) && known.enabled();
        }
    }

    private boolean ask(String userId) throws IOException {
        HttpResponse<String> response = send("users/" + encode(userId), adminToken());
        if (response.statusCode() == 401) {
            adminGrant = null;
            response = send("users/" + encode(userId), adminToken());
        }
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + realmAdmin.getPath() + "users/{id} answered " + response.statusCode());
        }
        JsonNode user = MAPPER.readTree(response.body());
        return user.path("enabled").asBoolean(false);
    }

    private HttpResponse<String> send(String path, String token) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(realmAdmin.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String adminToken() throws IOException {
        TokenEndpoint.Grant grant = adminGrant;
        if (grant == null || clock.instant().isAfter(grant.expiresAt().minusSeconds(10))) {
            grant = tokens.clientCredentials(gatewayClientId, gatewayClientSecret).orElseThrow(() -> new IOException(
                    "Keycloak refuses the gateway's own client " + gatewayClientId + " (wrong secret or disabled)"));
            adminGrant = grant;
        }
        return grant.accessToken();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package vn.lienthong.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
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

    private final RealmAdminReader admin;
    private final Duration refresh;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

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
        this.admin = new RealmAdminReader(adminUrl, realm, tokens, gatewayClientId, gatewayClientSecret, http, clock);
        this.refresh = Objects.requireNonNull(refresh, "refresh");
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
        HttpResponse<String> response = admin.get("users/" + RealmAdminReader.encode(userId));
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + admin.pathOf("users/") + "{id}" + " answered " + response.statusCode());
        }
        JsonNode user = MAPPER.readTree(response.body());
        return user.path("enabled").asBoolean(false);
    }
}

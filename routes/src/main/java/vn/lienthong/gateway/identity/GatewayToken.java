package vn.lienthong.gateway.identity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own access token (client-credentials grant of its Keycloak client), kept until
 * shortly before it expires: what it shows a recipient it pushes to, who can check it against the
 * realm's keys. Empty while Keycloak refuses or cannot be reached.
 */
public final class GatewayToken implements Supplier<Optional<String>> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayToken.class);
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final TokenEndpoint endpoint;
    private final String clientId;
    private final String secret;
    private final Clock clock;
    private TokenEndpoint.Grant grant;

    /** The token of this client. */
    public GatewayToken(TokenEndpoint endpoint, String clientId, String secret, Clock clock) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Optional<String> get() {
        if (grant == null || !clock.instant().plus(MARGIN).isBefore(grant.expiresAt())) {
            try {
                grant = endpoint.clientCredentials(clientId, secret).orElse(null);
            } catch (IOException e) {
                LOG.warn("no gateway token: {}", e.getMessage());
                grant = null;
            }
        }
        return grant == null ? Optional.empty() : Optional.of(grant.accessToken());
    }
}

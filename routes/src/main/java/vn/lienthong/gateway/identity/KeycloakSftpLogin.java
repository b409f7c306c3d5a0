package vn.lienthong.gateway.identity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFTP logins checked by Keycloak: the user is an agency's client id and the password its client
 * secret; the login succeeds only if the client-credentials grant gives a token that verifies and
 * names the agency whose client that is. Local accounts (the gateway's own) are checked apart.
 * Which folder a user sees is the SFTP server's business: one folder per agency.
 */
public final class KeycloakSftpLogin implements SftpLogin {

    private static final Logger LOG = LoggerFactory.getLogger(KeycloakSftpLogin.class);

    private final TokenEndpoint tokens;
    private final TokenVerifier verifier;
    private final Function<String, Optional<String>> agencyOfClient;
    private final Function<String, Optional<SftpLogin>> localAccounts;

    /**
     * A login over the realm.
     *
     * @param agencyOfClient the registry agency code whose keycloakClient is the given user, if any
     * @param localAccounts the login of a user that is not an agency client (the gateway's own
     *     account), if the user is one
     */
    public KeycloakSftpLogin(TokenEndpoint tokens, TokenVerifier verifier,
            Function<String, Optional<String>> agencyOfClient, Function<String, Optional<SftpLogin>> localAccounts) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.agencyOfClient = Objects.requireNonNull(agencyOfClient, "agencyOfClient");
        this.localAccounts = Objects.requireNonNull(localAccounts, "localAccounts");
    }

    /**
     * A login against the realm with this issuer, for tokens with this audience and the default
     * algorithms (RS256, PS256, ES256).
     */
    public static KeycloakSftpLogin of(String issuer, String audience, Function<String, Optional<String>> agencyOfClient,
            Function<String, Optional<SftpLogin>> localAccounts) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        TokenVerifier verifier = new TokenVerifier(issuer, audience, List.of("RS256", "PS256", "ES256"),
                JwksSource.http(URI.create(issuer + "/protocol/openid-connect/certs"), http), Duration.ofSeconds(10),
                Clock.systemUTC());
        return new KeycloakSftpLogin(new TokenEndpoint(issuer, http), verifier, agencyOfClient, localAccounts);
    }

    @Override
    public boolean authenticate(String user, String password) {
        if (user == null || password == null || password.isEmpty()) {
            return false;
        }
        Optional<SftpLogin> local = localAccounts.apply(user);
        if (local.isPresent()) {
            return local.get().authenticate(user, password);
        }
        Optional<String> agency = agencyOfClient.apply(user);
        if (agency.isEmpty()) {
            LOG.info("SFTP login refused: {} is not the client of a registry agency", user);
            return false;
        }
        try {
            Optional<TokenEndpoint.Grant> grant = tokens.clientCredentials(user, password);
            if (grant.isEmpty()) {
                LOG.info("SFTP login refused: Keycloak does not accept the credentials of {}", user);
                return false;
            }
            Authentication checked = verifier.verify(grant.get().accessToken());
            if (checked instanceof Authentication.Refused refused) {
                LOG.warn("SFTP login refused: the token Keycloak gave {} does not verify: {}", user, refused.reason());
                return false;
            }
            Caller caller = ((Authentication.Authenticated) checked).caller();
            if (!user.equals(caller.clientId()) || !agency.get().equals(caller.agency())) {
                LOG.warn("SFTP login refused: the token of {} names agency {} (client {}), the registry says {}", user,
                        caller.agency(), caller.clientId(), agency.get());
                return false;
            }
            return true;
        } catch (IOException | IdentityUnavailableException e) {
            LOG.warn("SFTP login of {} refused: Keycloak cannot be asked ({})", user, e.getMessage());
            return false;
        }
    }
}

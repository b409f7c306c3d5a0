package vn.lienthong.gateway.identity;

import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;

/**
 * Who sent an input, on any channel: a bearer token that verifies, issued to the registry
 * agency's own client, which Keycloak still has enabled (REST, JMS, Kafka); or the owner of an
 * SFTP folder, whose login Keycloak accepted, if its client is still enabled.
 *
 * Every method throws {@link IdentityUnavailableException} when Keycloak cannot be asked.
 */
public final class AgencyAuthenticator {

    /** The header (HTTP) or message property (JMS) or record header (Kafka) that carries the token. */
    public static final String AUTHORIZATION = "Authorization";

    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;
    private final AgencyDirectory directory;
    private final Supplier<Registry> registry;
    private final QueueAgeBound queueAge;

    /**
     * An authenticator over the realm's tokens, what Keycloak says now, the registry, and the bounds
     * on broker times of queued inputs.
     */
    public AgencyAuthenticator(TokenVerifier verifier, AgencyDirectory directory, Registry registry,
            QueueAgeBound queueAge) {
        this(verifier, directory, () -> registry, queueAge);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public AgencyAuthenticator(TokenVerifier verifier, AgencyDirectory directory, Supplier<Registry> registry,
            QueueAgeBound queueAge) {
        this.verifier = verifier;
        this.directory = directory;
        this.registry = registry;
        this.queueAge = queueAge;
    }

    /** Checks an {@code Authorization} value ({@code Bearer <jwt>}) valid now; null when the input had none. */
    public Authentication bearer(String authorization) {
        return bearer(authorization, null);
    }

    /**
     * Checks the {@code Authorization} value of an input a broker held: its token must have been
     * valid when the broker accepted the input ({@code acceptedAt}, a time the broker set, not the
     * producer; null: none is known, so now). Whether the agency is enabled, and its roles, are
     * what Keycloak says now, however long the input waited.
     */
    public Authentication bearer(String authorization, Instant acceptedAt) {
        if (authorization == null || authorization.isBlank()) {
            return Authentication.refused("no bearer token: send the agency's access token as Authorization: Bearer <token>");
        }
        String value = authorization.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Authentication.refused("the Authorization value is not a bearer token (Bearer <token>)");
        }
        String token = value.substring(BEARER.length()).trim();
        Authentication verified;
        if (acceptedAt == null) {
            verified = verifier.verify(token);
        } else {
            Optional<String> outOfBounds = queueAge.refusal(acceptedAt);
            if (outOfBounds.isPresent()) {
                return Authentication.refused(outOfBounds.get());
            }
            verified = verifier.verify(token, acceptedAt);
            if (verified instanceof Authentication.Refused refused) {
                return Authentication.refused(refused.reason() + " (checked as of " + acceptedAt
                        + ", when the broker accepted the input)");
            }
        }
        if (!(verified instanceof Authentication.Authenticated ok)) {
            return verified;
        }
        Caller caller = ok.caller();
        Optional<Agency> agency = registry.get().agency(caller.agency());
        if (agency.isEmpty()) {
            return Authentication.refused("the token's agency " + caller.agency() + " is not an agency of the registry");
        }
        if (!agency.get().keycloakClient().equals(caller.clientId())) {
            return Authentication.refused("the token was issued to client " + caller.clientId() + ", which is not "
                    + caller.agency() + "'s client");
        }
        return enabled(agency.get()).map(state -> {
            // Roles taken away in Keycloak go with the next refresh, not with the token's expiry.
            Set<String> roles = new HashSet<>(caller.roles());
            roles.retainAll(state.roles());
            return (Authentication) new Authentication.Authenticated(
                    new Caller(caller.agency(), caller.clientId(), roles, caller.expiresAt()));
        }).orElseGet(() -> disabled(agency.get()));
    }

    /** The owner of an SFTP folder, whose login proved it, with the roles Keycloak gives it now. */
    public Authentication folderOwner(Agency agency) {
        return enabled(agency).map(state -> (Authentication) new Authentication.Authenticated(
                new Caller(agency.code(), agency.keycloakClient(), state.roles(), null)))
                .orElseGet(() -> disabled(agency));
    }

    /** Whether the directory can answer now (Keycloak answered recently enough). */
    public boolean available() {
        return directory.available();
    }

    private Optional<AgencyDirectory.ClientState> enabled(Agency agency) {
        return directory.client(agency.keycloakClient()).filter(AgencyDirectory.ClientState::enabled);
    }

    private Authentication disabled(Agency agency) {
        boolean known = directory.client(agency.keycloakClient()).isPresent();
        return Authentication.refused(known
                ? agency.code() + " is disabled in Keycloak (client " + agency.keycloakClient() + ")"
                : agency.code() + " has no client " + agency.keycloakClient() + " in Keycloak");
    }
}

package vn.lienthong.gateway.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An agency system whose identity was proved: by a token that verified, or by an SFTP login that
 * Keycloak accepted.
 *
 * @param agency the registry code the identity names (the token's {@code agency} claim)
 * @param clientId its Keycloak client (the token's {@code azp}, or the SFTP login)
 * @param roles its realm roles (capabilities) as far as both the token and Keycloak now grant them
 * @param expiresAt when the token expires; null for an identity proved by an SFTP login
 */
public record Caller(String agency, String clientId, Set<String> roles, Instant expiresAt) {
    public Caller {
        Objects.requireNonNull(agency, "agency");
        Objects.requireNonNull(clientId, "clientId");
        roles = Set.copyOf(roles);
    }

    /** Whether the caller holds this realm role. */
    public boolean has(String role) {
        return roles.contains(role);
    }
}

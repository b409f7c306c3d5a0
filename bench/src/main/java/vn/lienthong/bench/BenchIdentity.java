package vn.lienthong.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.identity.provisioning.KeycloakProvisioner;
import vn.lienthong.gateway.identity.TokenEndpoint;
import vn.lienthong.gateway.registry.Registry;

/**
 * The benchmark sender's identity: its Keycloak client provisioned from the benchmark registry,
 * with access tokens that outlive a run (messages wait on the queue, preloaded or backlogged,
 * longer than the realm's five minutes), and the token every message carries.
 */
final class BenchIdentity {

    /** The benchmark's sending agency's client (src/main/resources/bench/agencies.yaml). */
    static final String SENDER_CLIENT = "bench-src";

    private BenchIdentity() {
    }

    /**
     * Provisions the registry's clients (demo secrets), gives the sender's tokens this lifespan,
     * and returns {@code Bearer <token>} for the sender.
     */
    static String provisionAndAuthorize(KeycloakServer keycloak, Path registry, Duration tokenLifespan) {
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(keycloak.baseUrl(), keycloak.adminUsername(),
                keycloak.adminPassword())) {
            provisioner.withDemoSecrets().sync(Registry.load(registry));
        }
        try (Keycloak admin = KeycloakBuilder.builder().serverUrl(keycloak.baseUrl()).realm("master")
                .clientId("admin-cli").grantType(OAuth2Constants.PASSWORD)
                .username(keycloak.adminUsername()).password(keycloak.adminPassword()).build()) {
            List<ClientRepresentation> found = admin.realm(KeycloakServer.REALM).clients().findByClientId(SENDER_CLIENT);
            if (found.isEmpty()) {
                throw new BenchmarkFailure("provisioning made no Keycloak client " + SENDER_CLIENT);
            }
            ClientResource client = admin.realm(KeycloakServer.REALM).clients().get(found.get(0).getId());
            ClientRepresentation representation = client.toRepresentation();
            representation.getAttributes().put("access.token.lifespan", Long.toString(tokenLifespan.toSeconds()));
            client.update(representation);
        }
        try {
            return "Bearer " + new TokenEndpoint(keycloak.issuer(), HttpClient.newHttpClient())
                    .clientCredentials(SENDER_CLIENT, SENDER_CLIENT + "-demo-secret")
                    .orElseThrow(() -> new BenchmarkFailure("Keycloak gives " + SENDER_CLIENT + " no token"))
                    .accessToken();
        } catch (IOException e) {
            throw new BenchmarkFailure("no token for " + SENDER_CLIENT + ": " + e.getMessage());
        }
    }
}

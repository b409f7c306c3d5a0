package vn.lienthong.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.testsupport.TestStack;

/** The shared test stack's real Keycloak runs realm {@code lienthong} and issues the tokens the contract describes. */
class KeycloakRealmTest {

    private static final Registry REGISTRY = Registry.load(Path.of("../config/agencies.yaml"));

    @Test
    void serverIsUpWithTheRealmAndAStableIssuer() throws Exception {
        KeycloakServer keycloak = TestStack.get().keycloak();
        assertThat(keycloak.running()).isTrue();
        HttpResponse<String> discovery = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains("\"issuer\":\"" + keycloak.issuer() + "\"")
                .contains("\"token_endpoint\":\"" + keycloak.tokenEndpoint() + "\"");
        assertThat(keycloak.issuer()).isEqualTo("http://127.0.0.1:" + keycloak.port() + "/realms/lienthong");
    }

    @Test
    void springPropertiesNameTheIdentityProvider() {
        TestStack stack = TestStack.get();
        assertThat(stack.springProperties())
                .containsEntry("lienthong.identity.issuer", stack.keycloak().issuer())
                .containsEntry("lienthong.identity.audience", "lienthong-gateway")
                .containsEntry("lienthong.identity.admin-url", stack.keycloak().baseUrl())
                .containsEntry("lienthong.identity.gateway-client-id", "lienthong-gateway")
                .containsEntry("lienthong.identity.gateway-client-secret", "lienthong-gateway-demo-secret");
    }

    @Test
    void everyDemoAgencyGetsATokenWithItsAgencyTheGatewayAudienceAndExactlyItsCapabilities() {
        TestStack stack = TestStack.get();
        for (Agency agency : REGISTRY.agencies()) {
            JsonNode claims = TestStack.jwtClaims(stack.accessToken(agency.keycloakClient()));
            assertThat(claims.path("iss").asText()).isEqualTo(stack.keycloak().issuer());
            assertThat(claims.path("agency").asText()).as("agency of %s", agency.keycloakClient()).isEqualTo(agency.code());
            assertThat(claims.path("azp").asText()).isEqualTo(agency.keycloakClient());
            Set<String> audiences = new TreeSet<>();
            claims.path("aud").forEach(a -> audiences.add(a.asText()));
            if (claims.path("aud").isTextual()) {
                audiences.add(claims.path("aud").asText());
            }
            assertThat(audiences).as("aud of %s", agency.keycloakClient()).contains(EmbeddedStack.GATEWAY_AUDIENCE);
            Set<String> capabilities = new TreeSet<>();
            claims.path("realm_access").path("roles").forEach(r -> {
                if (Capability.ofRole(r.asText()).isPresent()) {
                    capabilities.add(r.asText());
                }
            });
            assertThat(capabilities).as("capabilities of %s", agency.keycloakClient())
                    .isEqualTo(Capability.rolesFor(agency.sends()));
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(300);
        }
    }

    @Test
    void demoPeopleSignInAndHoldTheirOneRole() throws Exception {
        KeycloakServer keycloak = TestStack.get().keycloak();
        try (Keycloak admin = Keycloak.getInstance(keycloak.baseUrl(), "master", keycloak.adminUsername(),
                keycloak.adminPassword(), "admin-cli")) {
            for (String person : new String[] {"operator", "auditor"}) {
                // The realm's admin-cli allows the password grant: it proves the demo password, not the roles
                // (its tokens carry no role scope).
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(keycloak.tokenEndpoint()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                                + person + "&password=" + person + "-demo"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                String id = admin.realm("lienthong").users().searchByUsername(person, true).get(0).getId();
                Set<String> roles = new TreeSet<>();
                admin.realm("lienthong").users().get(id).roles().realmLevel().listAll().forEach(r -> roles.add(r.getName()));
                roles.remove("default-roles-lienthong");
                assertThat(roles).as(person).containsExactly(person);
            }
        }
    }

    @Test
    void aWrongSecretGetsNoToken() {
        HttpResponse<String> response = TestStack.get().requestToken("mof-tax", "not-the-secret");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("unauthorized_client");
    }

    @Test
    void theGatewayClientGetsAToken() {
        JsonNode claims = TestStack.jwtClaims(TestStack.get().accessToken(EmbeddedStack.GATEWAY_CLIENT_ID,
                EmbeddedStack.GATEWAY_CLIENT_DEMO_SECRET));
        assertThat(claims.path("azp").asText()).isEqualTo(EmbeddedStack.GATEWAY_CLIENT_ID);
        assertThat(claims.has("agency")).isFalse();
    }
}

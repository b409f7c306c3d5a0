package vn.lienthong.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import vn.lienthong.devstack.EmbeddedStack;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;

/**
 * {@code config/keycloak/lienthong-realm.json} and {@code config/agencies.yaml} agree: every agency
 * has its client, claim, audience and exactly its capabilities, and no client claims an agency the
 * registry does not have. Changing one file without the other fails here.
 */
class RealmFileTest {

    private static final Registry REGISTRY = Registry.load(Path.of("../config/agencies.yaml"));
    private static final JsonNode REALM = readRealm();

    private static JsonNode readRealm() {
        try {
            return new ObjectMapper().readTree(EmbeddedStack.KeycloakOptions.repositoryRealmFile().toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read the realm file", e);
        }
    }

    @Test
    void realmHasTheCapabilityAndHumanRolesAndShortTokens() {
        assertThat(REALM.path("realm").asText()).isEqualTo("lienthong");
        assertThat(REALM.path("enabled").asBoolean()).isTrue();
        assertThat(REALM.path("accessTokenLifespan").asInt()).isEqualTo(300);
        Set<String> roles = new TreeSet<>();
        REALM.path("roles").path("realm").forEach(role -> roles.add(role.path("name").asText()));
        Set<String> expected = new TreeSet<>(Capability.allRoles());
        expected.add("operator");
        expected.add("auditor");
        expected.add("monitoring");
        assertThat(roles).isEqualTo(expected);
    }

    @Test
    void everyAgencyHasItsConfidentialClientWithClaimAudienceAndExactlyItsRoles() {
        Map<String, JsonNode> clients = clientsById();
        Map<String, Set<String>> serviceAccountRoles = serviceAccountRealmRoles();
        for (Agency agency : REGISTRY.agencies()) {
            String id = agency.keycloakClient();
            JsonNode client = clients.get(id);
            assertThat(client).as("client %s of %s", id, agency.code()).isNotNull();
            assertThat(client.path("enabled").asBoolean()).as(id).isTrue();
            assertThat(client.path("publicClient").asBoolean(true)).as(id).isFalse();
            assertThat(client.path("serviceAccountsEnabled").asBoolean()).as(id).isTrue();
            assertThat(client.path("standardFlowEnabled").asBoolean(true)).as(id).isFalse();
            assertThat(client.path("directAccessGrantsEnabled").asBoolean(true)).as(id).isFalse();
            assertThat(client.path("clientAuthenticatorType").asText()).as(id).isEqualTo("client-secret");
            assertThat(client.path("secret").asText()).as(id).isEqualTo(id + "-demo-secret");
            assertThat(agencyClaim(client)).as("agency claim of %s", id).isEqualTo(agency.code());
            assertThat(audiences(client)).as("audience of %s", id).containsExactly(EmbeddedStack.GATEWAY_AUDIENCE);
            assertThat(serviceAccountRoles.get(id)).as("roles of %s's service account", id)
                    .isEqualTo(expectedRoles(agency));
        }
    }

    @Test
    void noClientClaimsAnAgencyTheRegistryDoesNotHave() {
        Map<String, String> claimed = new HashMap<>();
        clientsById().forEach((id, client) -> {
            String code = agencyClaim(client);
            if (code != null) {
                claimed.put(id, code);
            }
        });
        Map<String, String> registered = new HashMap<>();
        REGISTRY.agencies().forEach(a -> registered.put(a.keycloakClient(), a.code()));
        assertThat(claimed).isEqualTo(registered);
    }

    @Test
    void theGatewayClientReadsClientsAndUsers() {
        JsonNode gateway = clientsById().get(EmbeddedStack.GATEWAY_CLIENT_ID);
        assertThat(gateway).isNotNull();
        assertThat(gateway.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(gateway.path("publicClient").asBoolean(true)).isFalse();
        assertThat(gateway.path("secret").asText()).isEqualTo(EmbeddedStack.GATEWAY_CLIENT_DEMO_SECRET);
        JsonNode account = user("service-account-" + EmbeddedStack.GATEWAY_CLIENT_ID);
        Set<String> roles = new TreeSet<>();
        account.path("clientRoles").path("realm-management").forEach(r -> roles.add(r.asText()));
        assertThat(roles).containsExactlyInAnyOrder("view-clients", "query-clients", "view-users", "query-users");
        assertThat(account.path("realmRoles").size()).isZero();
    }

    @Test
    void peopleLogInThroughTheConsoleClientAndTakeBearerTokensThroughTheCliClient() {
        JsonNode console = clientsById().get(EmbeddedStack.CONSOLE_CLIENT_ID);
        assertThat(console).isNotNull();
        assertThat(console.path("publicClient").asBoolean(true)).isFalse();
        assertThat(console.path("secret").asText()).isEqualTo(EmbeddedStack.CONSOLE_CLIENT_DEMO_SECRET);
        assertThat(console.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(console.path("serviceAccountsEnabled").asBoolean(true)).isFalse();
        assertThat(console.path("directAccessGrantsEnabled").asBoolean(true)).isFalse();
        assertThat(console.path("attributes").path("pkce.code.challenge.method").asText()).isEqualTo("S256");
        assertThat(console.path("redirectUris").toString()).contains("/login/oauth2/code/keycloak");
        JsonNode cli = clientsById().get("lienthong-cli");
        assertThat(cli).isNotNull();
        assertThat(cli.path("publicClient").asBoolean()).isTrue();
        assertThat(cli.path("serviceAccountsEnabled").asBoolean(true)).isFalse();
        assertThat(cli.path("standardFlowEnabled").asBoolean(true)).isFalse();
        JsonNode monitoring = clientsById().get("lienthong-monitoring");
        assertThat(monitoring.path("serviceAccountsEnabled").asBoolean()).isTrue();
        Set<String> scraper = new TreeSet<>();
        user("service-account-lienthong-monitoring").path("realmRoles").forEach(r -> scraper.add(r.asText()));
        assertThat(scraper).containsExactlyInAnyOrder("default-roles-lienthong", "monitoring");
        assertThat(agencyClaim(monitoring)).isNull();
        // Neither is an agency: no agency claim, so people's tokens never pass the agency channels.
        assertThat(agencyClaim(console)).isNull();
        assertThat(agencyClaim(cli)).isNull();
    }

    @Test
    void demoPeopleHaveOneHumanRoleEach() {
        for (String name : new String[] {"operator", "auditor"}) {
            JsonNode person = user(name);
            Set<String> roles = new TreeSet<>();
            person.path("realmRoles").forEach(r -> roles.add(r.asText()));
            roles.remove("default-roles-lienthong");
            assertThat(roles).as(name).containsExactly(name);
            assertThat(person.path("credentials").get(0).path("value").asText()).isEqualTo(name + "-demo");
        }
    }

    @Test
    void everySendableTypeHasOneCapabilityAndReceiptsNone() {
        Set<String> seen = new HashSet<>();
        for (MessageType type : MessageType.values()) {
            if (type.gatewayOnly()) {
                // receipts and deadline notices: only the gateway says them
                assertThat(Capability.toSend(type)).isEmpty();
            } else {
                Capability capability = Capability.toSend(type).orElseThrow();
                assertThat(capability.type()).isEqualTo(type);
                assertThat(seen.add(capability.role())).as("role %s used once", capability.role()).isTrue();
                assertThat(Capability.ofRole(capability.role())).contains(capability);
            }
        }
        assertThat(Capability.rolesFor(Set.of(MessageType.FREEZE_REPORT, MessageType.RECEIPT)))
                .containsExactly("freeze:execute");
    }

    private static Set<String> expectedRoles(Agency agency) {
        Set<String> roles = new TreeSet<>(Capability.rolesFor(agency.sends()));
        roles.add("default-roles-lienthong");
        return roles;
    }

    private static Map<String, JsonNode> clientsById() {
        Map<String, JsonNode> clients = new HashMap<>();
        REALM.path("clients").forEach(c -> clients.put(c.path("clientId").asText(), c));
        return clients;
    }

    private static Map<String, Set<String>> serviceAccountRealmRoles() {
        Map<String, Set<String>> roles = new HashMap<>();
        REALM.path("users").forEach(u -> {
            if (u.hasNonNull("serviceAccountClientId")) {
                Set<String> names = new TreeSet<>();
                u.path("realmRoles").forEach(r -> names.add(r.asText()));
                roles.put(u.path("serviceAccountClientId").asText(), names);
            }
        });
        return roles;
    }

    private static JsonNode user(String username) {
        for (JsonNode u : REALM.path("users")) {
            if (u.path("username").asText().equals(username)) {
                return u;
            }
        }
        throw new AssertionError("no user " + username + " in the realm file");
    }

    private static String agencyClaim(JsonNode client) {
        for (JsonNode mapper : client.path("protocolMappers")) {
            if ("oidc-hardcoded-claim-mapper".equals(mapper.path("protocolMapper").asText())
                    && "agency".equals(mapper.path("config").path("claim.name").asText())) {
                assertThat(mapper.path("config").path("access.token.claim").asText()).isEqualTo("true");
                return mapper.path("config").path("claim.value").asText();
            }
        }
        return null;
    }

    private static Set<String> audiences(JsonNode client) {
        Set<String> audiences = new TreeSet<>();
        for (JsonNode mapper : client.path("protocolMappers")) {
            if ("oidc-audience-mapper".equals(mapper.path("protocolMapper").asText())
                    && "true".equals(mapper.path("config").path("access.token.claim").asText())) {
                audiences.add(mapper.path("config").path("included.client.audience").asText());
            }
        }
        return audiences;
    }
}

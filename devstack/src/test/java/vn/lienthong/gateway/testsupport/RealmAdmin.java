package vn.lienthong.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.identity.provisioning.KeycloakProvisioner;
import vn.lienthong.gateway.registry.Agency;

/**
 * Changes the shared test Keycloak's realm as an operator would, through the gateway's
 * {@link KeycloakProvisioner} (fixture agency clients, their roles, enabling, disabling, rotating
 * secrets) and, for what operators do not do, its admin REST API (token lifespans, a master-realm
 * token). Tests that change a client use a fixture client of their own.
 */
public final class RealmAdmin {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer keycloak;
    private final String realmAdmin;
    /** Clients, roles, secrets and enabling go through the gateway's own provisioning, as operators' do. */
    private final KeycloakProvisioner provisioner;

    /** The admin of the shared stack's realm (for the JVM's life, like the stack). */
    public RealmAdmin(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        this.realmAdmin = keycloak.baseUrl() + "/admin/realms/" + KeycloakServer.REALM;
        this.provisioner = KeycloakProvisioner.connect(keycloak.baseUrl(), keycloak.adminUsername(),
                keycloak.adminPassword()).withDemoSecrets();
    }

    /**
     * Makes sure the agency's client exists as the provisioning creates it (secret
     * {@code <clientId>-demo-secret}, the {@code agency} claim, the gateway audience), enabled, and with
     * exactly these realm roles on its service account, whatever the registry would grant.
     */
    public void ensureAgencyClient(Agency agency, Collection<String> roles) {
        String clientId = agency.keycloakClient();
        provisioner.addAgency(agency);
        Set<String> held = new TreeSet<>(provisioner.serviceAccountRoles(clientId));
        held.remove("default-roles-" + KeycloakServer.REALM);
        Set<String> extra = new TreeSet<>(held);
        extra.removeAll(roles);
        Set<String> missing = new TreeSet<>(roles);
        missing.removeAll(held);
        provisioner.revoke(clientId, extra);
        if (!missing.isEmpty()) {
            provisioner.grant(clientId, missing);
        }
        provisioner.enable(clientId);
    }

    /** Enables or disables a client (a disabled client gets no token; the gateway refuses its earlier ones). */
    public void setEnabled(String clientId, boolean enabled) {
        if (enabled) {
            provisioner.enable(clientId);
        } else {
            provisioner.disable(clientId);
        }
    }

    /**
     * Makes sure a person (a user of the realm, as operators and auditors are) exists, enabled, with
     * this password and exactly these of the people's roles ({@code operator}, {@code auditor}).
     * Tests that disable a person use one of their own, never the demo people.
     */
    public void ensurePerson(String username, String password, Collection<String> roles) {
        ObjectNode user = JSON.createObjectNode().put("username", username).put("enabled", true)
                .put("firstName", "Test").put("lastName", username).put("email", username + "@lienthong.invalid")
                .put("emailVerified", true);
        user.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        HttpResponse<String> created = send("POST", "/users", user);
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            expect(created, 201);
        }
        String id = personId(username);
        ObjectNode reset = JSON.createObjectNode().put("type", "password").put("value", password).put("temporary", false);
        expect(send("PUT", "/users/" + id + "/reset-password", reset), 204);
        for (String role : new String[] {"operator", "auditor"}) {
            com.fasterxml.jackson.databind.node.ArrayNode mapping = JSON.createArrayNode().add(call("GET", "/roles/" + role, null));
            expect(send(roles.contains(role) ? "POST" : "DELETE", "/users/" + id + "/role-mappings/realm", mapping), 204);
        }
        setPersonEnabled(username, true);
    }

    /** Enables or disables a person (a disabled person gets no token and no login; the gateway refuses earlier ones). */
    public void setPersonEnabled(String username, boolean enabled) {
        String id = personId(username);
        ObjectNode user = (ObjectNode) call("GET", "/users/" + id, null);
        user.put("enabled", enabled);
        expect(send("PUT", "/users/" + id, user), 204);
    }

    /** The Keycloak id of a person (the {@code sub} of their tokens). */
    public String personId(String username) {
        JsonNode found = call("GET", "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8), null);
        if (!found.isArray() || found.isEmpty()) {
            throw new IllegalStateException("no person " + username + " in the realm");
        }
        return found.get(0).path("id").asText();
    }

    /** Sets how long a client's access tokens live (client attribute {@code access.token.lifespan}). */
    public void setAccessTokenLifespan(String clientId, Duration lifespan) {
        String id = internalId(clientId);
        ObjectNode client = (ObjectNode) call("GET", "/clients/" + id, null);
        ObjectNode attributes = client.has("attributes") ? (ObjectNode) client.get("attributes") : client.putObject("attributes");
        attributes.put("access.token.lifespan", Long.toString(lifespan.toSeconds()));
        expect(send("PUT", "/clients/" + id, client), 204);
    }

    /** Gives a client a new secret (generated by Keycloak) and returns it; the old one stops working. */
    public String rotateSecret(String clientId) {
        return provisioner.rotateSecret(clientId);
    }

    /**
     * Removes a client (and so its service account) if the realm has it: a test that adds a province
     * "not registered yet" first takes away the client the realm file gave it.
     */
    public void removeClient(String clientId) {
        String id = internalId(clientId);
        if (id != null) {
            expect(send("DELETE", "/clients/" + id, null), 204);
        }
    }

    private String internalId(String clientId) {
        JsonNode found = call("GET", "/clients?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null);
        return found.isArray() && !found.isEmpty() ? found.get(0).path("id").asText() : null;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpResponse<String> response = send(method, path, body);
        expect(response, 200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realmAdmin + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        return exchange(request);
    }

    /** A token of the master realm's admin: signed by another realm, for another issuer. */
    public String masterRealmToken() {
        return adminToken();
    }

    private String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username="
                + URLEncoder.encode(keycloak.adminUsername(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(keycloak.adminPassword(), StandardCharsets.UTF_8);
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(keycloak.baseUrl()
                + "/realms/master/protocol/openid-connect/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        expect(response, 200);
        try {
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}

package vn.lienthong.gateway.identity.provisioning;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import vn.lienthong.gateway.identity.provisioning.ProvisioningReport.Kind;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.identity.Capability;

/**
 * Keeps realm {@code lienthong} in step with the registry through Keycloak's admin API: creates
 * what is missing (capability roles, agency clients with their {@code agency} claim and gateway
 * audience, the roles their service accounts need), reports what disagrees, and deletes nothing.
 * Also adds one agency, rotates a client's secret, and disables or enables a client.
 */
public final class KeycloakProvisioner implements AutoCloseable {

    /** The realm the agencies live in. */
    public static final String REALM = "lienthong";
    /** The gateway's own client, and the audience agencies' tokens carry. */
    public static final String GATEWAY_CLIENT_ID = "lienthong-gateway";
    /** The claim that names a client's agency. */
    public static final String AGENCY_CLAIM = "agency";
    /** People who operate the gateway. */
    public static final String OPERATOR_ROLE = "operator";
    /** People who read and verify the audit log. */
    public static final String AUDITOR_ROLE = "auditor";
    /** The client roles of {@code realm-management} the gateway's service account reads agencies with. */
    public static final List<String> GATEWAY_MANAGEMENT_ROLES = List.of("view-clients", "query-clients", "view-users",
            "query-users");

    private static final String HARDCODED_CLAIM_MAPPER = "oidc-hardcoded-claim-mapper";
    private static final String AUDIENCE_MAPPER = "oidc-audience-mapper";
    private static final String REALM_MANAGEMENT = "realm-management";

    private final Keycloak keycloak;
    private final RealmResource realm;
    private final boolean demoSecrets;

    private KeycloakProvisioner(Keycloak keycloak, boolean demoSecrets) {
        this.keycloak = keycloak;
        this.realm = keycloak.realm(REALM);
        this.demoSecrets = demoSecrets;
    }

    /**
     * Connects as an admin of the master realm (user and password, through {@code admin-cli}).
     *
     * @param serverUrl e.g. {@code http://127.0.0.1:8180}
     */
    public static KeycloakProvisioner connect(String serverUrl, String adminUsername, String adminPassword) {
        Keycloak keycloak = KeycloakBuilder.builder()
                .serverUrl(serverUrl)
                .realm("master")
                .clientId("admin-cli")
                .grantType(OAuth2Constants.PASSWORD)
                .username(adminUsername)
                .password(adminPassword)
                .build();
        return new KeycloakProvisioner(keycloak, false);
    }

    /**
     * This provisioner, except that clients it creates get the demo secret {@code <clientId>-demo-secret}
     * instead of a random one (embedded default only: the demo secrets are public). Both share one
     * connection: close only one of them.
     */
    public KeycloakProvisioner withDemoSecrets() {
        return new KeycloakProvisioner(keycloak, true);
    }

    // ---------------------------------------------------------------- sync

    /**
     * Brings the realm up to the registry: creates missing capability and human roles, the
     * gateway's client, every agency's client, its claim and audience mappers and its service
     * account's roles; reports clients that claim agencies the registry does not give them, extra
     * roles, disabled clients and odd client settings, and leaves them as they are. A second run
     * right after changes nothing.
     */
    public ProvisioningReport sync(Registry registry) {
        ProvisioningReport.Builder report = new ProvisioningReport.Builder();
        ensureRealmRoles(report);
        ensureGatewayClient(report);
        Map<String, Agency> byClient = new LinkedHashMap<>();
        for (Agency agency : registry.agencies()) {
            byClient.put(agency.keycloakClient(), agency);
        }
        for (ClientRepresentation client : realm.clients().findAll()) {
            String claimed = agencyClaim(client).orElse(null);
            if (claimed == null) {
                continue;
            }
            Agency agency = byClient.get(client.getClientId());
            if (agency == null) {
                report.add(Kind.UNKNOWN_AGENCY_CLIENT, client.getClientId(), "claims agency " + claimed
                        + ", which the registry does not give this client"
                        + registry.agency(claimed).map(a -> " (its client is " + a.keycloakClient() + ")").orElse(""));
            }
        }
        for (Agency agency : registry.agencies()) {
            ensureAgency(agency, report);
        }
        return report.build();
    }

    /** Creates or completes one agency's client, its mappers and roles (and any missing realm role). */
    public ProvisioningReport addAgency(Agency agency) {
        ProvisioningReport.Builder report = new ProvisioningReport.Builder();
        ensureRealmRoles(report);
        ensureAgency(agency, report);
        return report.build();
    }

    // ---------------------------------------------------------------- one client

    /**
     * Issues a new secret for a client and returns it; the old one stops working at once (a
     * rotated secret kept by a client policy is invalidated too). The caller hands it to the agency
     * and must not log it.
     */
    public String rotateSecret(String clientId) {
        ClientResource client = client(clientId);
        String secret = client.generateNewSecret().getValue();
        try {
            client.invalidateRotatedSecret();
        } catch (NotFoundException noneKept) {
            // No secret-rotation policy: the old secret is already gone.
        }
        return secret;
    }

    /** Disables a client: it gets no new tokens, and the gateway refuses it once its directory refreshes. */
    public void disable(String clientId) {
        setEnabled(clientId, false);
    }

    /** Enables a client again. */
    public void enable(String clientId) {
        setEnabled(clientId, true);
    }

    /** Whether a client exists and is enabled. */
    public boolean enabled(String clientId) {
        return find(clientId).map(c -> Boolean.TRUE.equals(c.isEnabled())).orElse(false);
    }

    /** Whether the realm has a client with this id. */
    public boolean exists(String clientId) {
        return find(clientId).isPresent();
    }

    /** The realm roles held directly by a client's service account (sorted). */
    public Set<String> serviceAccountRoles(String clientId) {
        UserRepresentation account = client(clientId).getServiceAccountUser();
        Set<String> roles = new TreeSet<>();
        realm.users().get(account.getId()).roles().realmLevel().listAll().forEach(r -> roles.add(r.getName()));
        return roles;
    }

    /** Grants realm roles to a client's service account (for operators' fixes and for tests of drift). */
    public void grant(String clientId, Set<String> roles) {
        UserRepresentation account = client(clientId).getServiceAccountUser();
        List<RoleRepresentation> representations = new ArrayList<>();
        for (String role : roles) {
            representations.add(realm.roles().get(role).toRepresentation());
        }
        realm.users().get(account.getId()).roles().realmLevel().add(representations);
    }

    /** Takes realm roles from a client's service account (the explicit fix of an extra role that sync reports). */
    public void revoke(String clientId, Set<String> roles) {
        UserRepresentation account = client(clientId).getServiceAccountUser();
        List<RoleRepresentation> representations = new ArrayList<>();
        for (String role : roles) {
            representations.add(realm.roles().get(role).toRepresentation());
        }
        if (!representations.isEmpty()) {
            realm.users().get(account.getId()).roles().realmLevel().remove(representations);
        }
    }

    private void setEnabled(String clientId, boolean enabled) {
        ClientResource client = client(clientId);
        ClientRepresentation representation = client.toRepresentation();
        if (!Objects.equals(representation.isEnabled(), enabled)) {
            representation.setEnabled(enabled);
            client.update(representation);
        }
    }

    private ClientResource client(String clientId) {
        ClientRepresentation found = find(clientId).orElseThrow(() -> new IllegalArgumentException(
                "realm " + REALM + " has no client " + clientId));
        return realm.clients().get(found.getId());
    }

    private Optional<ClientRepresentation> find(String clientId) {
        return realm.clients().findByClientId(clientId).stream().filter(c -> clientId.equals(c.getClientId())).findFirst();
    }

    // ---------------------------------------------------------------- the steps

    private void ensureRealmRoles(ProvisioningReport.Builder report) {
        Set<String> existing = new TreeSet<>();
        realm.roles().list().forEach(r -> existing.add(r.getName()));
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Capability capability : Capability.values()) {
            wanted.put(capability.role(), "Capability: may send " + capability.type().wireName());
        }
        wanted.put(OPERATOR_ROLE, "A person who operates the gateway");
        wanted.put(AUDITOR_ROLE, "A person who reads the audit log and verifies it");
        wanted.forEach((name, description) -> {
            if (!existing.contains(name)) {
                RoleRepresentation role = new RoleRepresentation();
                role.setName(name);
                role.setDescription(description);
                realm.roles().create(role);
                report.add(Kind.ROLE_CREATED, "", name);
            }
        });
    }

    private void ensureGatewayClient(ProvisioningReport.Builder report) {
        ClientRepresentation gateway = find(GATEWAY_CLIENT_ID).orElse(null);
        if (gateway == null) {
            gateway = create(confidentialClient(GATEWAY_CLIENT_ID, "The gateway itself: reads agencies' clients and roles"));
            report.add(Kind.CLIENT_CREATED, GATEWAY_CLIENT_ID, "the gateway's service-account client");
        }
        if (!Boolean.TRUE.equals(gateway.isServiceAccountsEnabled())) {
            report.add(Kind.CLIENT_SETTINGS, GATEWAY_CLIENT_ID, "service account disabled: the gateway cannot read agencies");
            return;
        }
        ClientRepresentation management = find(REALM_MANAGEMENT).orElseThrow(() -> new IllegalStateException(
                "realm " + REALM + " has no " + REALM_MANAGEMENT + " client"));
        UserRepresentation account = realm.clients().get(gateway.getId()).getServiceAccountUser();
        Set<String> held = new TreeSet<>();
        realm.users().get(account.getId()).roles().clientLevel(management.getId()).listAll()
                .forEach(r -> held.add(r.getName()));
        List<RoleRepresentation> missing = new ArrayList<>();
        for (String role : GATEWAY_MANAGEMENT_ROLES) {
            if (!held.contains(role)) {
                missing.add(realm.clients().get(management.getId()).roles().get(role).toRepresentation());
                report.add(Kind.ROLE_GRANTED, GATEWAY_CLIENT_ID, REALM_MANAGEMENT + " " + role);
            }
        }
        if (!missing.isEmpty()) {
            realm.users().get(account.getId()).roles().clientLevel(management.getId()).add(missing);
        }
    }

    private void ensureAgency(Agency agency, ProvisioningReport.Builder report) {
        String clientId = agency.keycloakClient();
        ClientRepresentation client = find(clientId).orElse(null);
        if (client == null) {
            ClientRepresentation wanted = confidentialClient(clientId, agency.code() + " - " + agency.name().en());
            wanted.setProtocolMappers(List.of(agencyClaimMapper(agency.code()), audienceMapper()));
            client = create(wanted);
            report.add(Kind.CLIENT_CREATED, clientId, "for " + agency.code() + " with its agency claim and the "
                    + GATEWAY_CLIENT_ID + " audience");
        } else {
            checkSettings(client, report);
            ensureMappers(client, agency, report);
        }
        if (!Boolean.TRUE.equals(client.isServiceAccountsEnabled())) {
            return;
        }
        UserRepresentation account = realm.clients().get(client.getId()).getServiceAccountUser();
        List<RoleRepresentation> held = realm.users().get(account.getId()).roles().realmLevel().listAll();
        Set<String> heldNames = new TreeSet<>();
        held.forEach(r -> heldNames.add(r.getName()));
        Set<String> wanted = Capability.rolesFor(agency.sends());
        List<RoleRepresentation> missing = new ArrayList<>();
        for (String role : wanted) {
            if (!heldNames.contains(role)) {
                missing.add(realm.roles().get(role).toRepresentation());
                report.add(Kind.ROLE_GRANTED, clientId, role);
            }
        }
        if (!missing.isEmpty()) {
            realm.users().get(account.getId()).roles().realmLevel().add(missing);
        }
        String defaultRoles = "default-roles-" + REALM;
        for (String role : heldNames) {
            if (!wanted.contains(role) && !role.equals(defaultRoles)) {
                report.add(Kind.EXTRA_ROLE, clientId, role + " (the registry lets " + agency.code() + " send "
                        + agency.sends() + ")");
            }
        }
    }

    private static void checkSettings(ClientRepresentation client, ProvisioningReport.Builder report) {
        String id = client.getClientId();
        if (!Boolean.TRUE.equals(client.isEnabled())) {
            report.add(Kind.CLIENT_DISABLED, id, "refused on every channel until enabled");
        }
        if (Boolean.TRUE.equals(client.isPublicClient())) {
            report.add(Kind.CLIENT_SETTINGS, id, "is a public client (no secret)");
        }
        if (!Boolean.TRUE.equals(client.isServiceAccountsEnabled())) {
            report.add(Kind.CLIENT_SETTINGS, id, "has no service account: it cannot get client-credentials tokens");
        }
        if (Boolean.TRUE.equals(client.isDirectAccessGrantsEnabled()) || Boolean.TRUE.equals(client.isStandardFlowEnabled())
                || Boolean.TRUE.equals(client.isImplicitFlowEnabled())) {
            report.add(Kind.CLIENT_SETTINGS, id, "allows user log-in flows an agency system does not need");
        }
    }

    private void ensureMappers(ClientRepresentation client, Agency agency, ProvisioningReport.Builder report) {
        String id = client.getClientId();
        List<ProtocolMapperRepresentation> mappers = client.getProtocolMappers() == null ? List.of()
                : client.getProtocolMappers();
        Optional<String> claim = agencyClaim(client);
        List<ProtocolMapperRepresentation> missing = new ArrayList<>();
        if (claim.isEmpty()) {
            missing.add(agencyClaimMapper(agency.code()));
            report.add(Kind.MAPPER_CREATED, id, AGENCY_CLAIM + " = " + agency.code());
        } else if (!claim.get().equals(agency.code())) {
            report.add(Kind.WRONG_AGENCY_CLAIM, id, "claims " + claim.get() + ", the registry says " + agency.code());
        }
        boolean hasAudience = mappers.stream().anyMatch(m -> AUDIENCE_MAPPER.equals(m.getProtocolMapper())
                && GATEWAY_CLIENT_ID.equals(config(m, "included.client.audience"))
                && "true".equals(config(m, "access.token.claim")));
        if (!hasAudience) {
            missing.add(audienceMapper());
            report.add(Kind.MAPPER_CREATED, id, "audience " + GATEWAY_CLIENT_ID);
        }
        if (!missing.isEmpty()) {
            // A mapper of the same name blocks creation: name ours after what they do, uniquely.
            Set<String> names = new LinkedHashSet<>();
            mappers.forEach(m -> names.add(m.getName()));
            for (ProtocolMapperRepresentation mapper : missing) {
                String name = mapper.getName();
                for (int n = 2; names.contains(mapper.getName()); n++) {
                    mapper.setName(name + " " + n);
                }
                try (Response response = realm.clients().get(client.getId()).getProtocolMappers().createMapper(mapper)) {
                    requireSuccess(response, "adding mapper " + mapper.getName() + " to " + id);
                }
            }
        }
    }

    private ClientRepresentation create(ClientRepresentation client) {
        try (Response response = realm.clients().create(client)) {
            requireSuccess(response, "creating client " + client.getClientId());
        }
        return find(client.getClientId()).orElseThrow(() -> new IllegalStateException(
                "client " + client.getClientId() + " was created but cannot be found"));
    }

    private static void requireSuccess(Response response, String what) {
        if (response.getStatus() / 100 != 2) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            throw new WebApplicationException(what + " failed: HTTP " + response.getStatus() + " " + body, response.getStatus());
        }
    }

    private ClientRepresentation confidentialClient(String clientId, String description) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setName(clientId);
        client.setDescription(description);
        client.setEnabled(true);
        client.setProtocol("openid-connect");
        client.setPublicClient(false);
        client.setClientAuthenticatorType("client-secret");
        client.setServiceAccountsEnabled(true);
        client.setStandardFlowEnabled(false);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setFrontchannelLogout(false);
        if (demoSecrets) {
            client.setSecret(clientId + "-demo-secret");
        }
        return client;
    }

    // ---------------------------------------------------------------- mappers

    /** The {@code agency} claim a client's hardcoded-claim mapper puts in access tokens, if any. */
    static Optional<String> agencyClaim(ClientRepresentation client) {
        if (client.getProtocolMappers() == null) {
            return Optional.empty();
        }
        return client.getProtocolMappers().stream()
                .filter(m -> HARDCODED_CLAIM_MAPPER.equals(m.getProtocolMapper()))
                .filter(m -> AGENCY_CLAIM.equals(config(m, "claim.name")))
                .map(m -> config(m, "claim.value"))
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static String config(ProtocolMapperRepresentation mapper, String key) {
        return mapper.getConfig() == null ? null : mapper.getConfig().get(key);
    }

    private static ProtocolMapperRepresentation agencyClaimMapper(String code) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("claim.name", AGENCY_CLAIM);
        config.put("claim.value", code);
        config.put("jsonType.label", "String");
        config.put("access.token.claim", "true");
        config.put("id.token.claim", "false");
        config.put("userinfo.token.claim", "false");
        config.put("introspection.token.claim", "true");
        return mapper(AGENCY_CLAIM, HARDCODED_CLAIM_MAPPER, config);
    }

    private static ProtocolMapperRepresentation audienceMapper() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("included.client.audience", GATEWAY_CLIENT_ID);
        config.put("access.token.claim", "true");
        config.put("id.token.claim", "false");
        config.put("introspection.token.claim", "true");
        return mapper("audience " + GATEWAY_CLIENT_ID, AUDIENCE_MAPPER, config);
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper(type);
        mapper.setConfig(config);
        return mapper;
    }

    /** Closes the admin client's connections. */
    @Override
    public void close() {
        keycloak.close();
    }
}

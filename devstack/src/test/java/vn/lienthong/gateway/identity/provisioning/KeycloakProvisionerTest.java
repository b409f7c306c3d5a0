package vn.lienthong.gateway.identity.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.lienthong.gateway.identity.provisioning.ProvisioningFixtures.clientOf;
import static vn.lienthong.gateway.identity.provisioning.ProvisioningFixtures.configRegistry;
import static vn.lienthong.gateway.identity.provisioning.ProvisioningFixtures.province;
import static vn.lienthong.gateway.identity.provisioning.ProvisioningFixtures.provisioner;
import static vn.lienthong.gateway.identity.provisioning.ProvisioningFixtures.registryWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import vn.lienthong.gateway.identity.provisioning.ProvisioningReport.Finding;
import vn.lienthong.gateway.identity.provisioning.ProvisioningReport.Kind;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.identity.Capability;

/**
 * Provisioning against the shared real Keycloak. Every test that changes a client uses a province
 * of its own that {@code config/agencies.yaml} does not have, so the demo clients other test
 * classes use stay as imported.
 */
class KeycloakProvisionerTest {

    private static final Set<String> PROVINCE_ROLES = Set.of("notice:send", "case:transfer", "info:request",
            "info:respond", "report:submit");

    @Test
    void theImportedRealmAlreadyMatchesTheRegistry() {
        try (KeycloakProvisioner provisioner = provisioner()) {
            ProvisioningReport report = provisioner.sync(configRegistry());
            assertThat(report.changes()).isEmpty();
            // Other tests' fixture provinces may show up as unknown clients; the registry's own never drift.
            for (Agency agency : configRegistry().agencies()) {
                assertThat(report.about(agency.keycloakClient())).as(agency.code()).isEmpty();
            }
        }
    }

    @Test
    void syncCreatesANewProvinceAndASecondSyncChangesNothing() {
        Registry registry = registryWith("46");
        String client = clientOf("46");
        try (KeycloakProvisioner provisioner = provisioner()) {
            ProvisioningReport first = provisioner.sync(registry);
            assertThat(first.changes()).extracting(Finding::clientId).containsOnly(client);
            assertThat(first.changes()).filteredOn(f -> f.kind() == Kind.CLIENT_CREATED).hasSize(1);
            assertThat(first.changes()).filteredOn(f -> f.kind() == Kind.ROLE_GRANTED).extracting(Finding::detail)
                    .containsExactlyInAnyOrderElementsOf(PROVINCE_ROLES);
            assertThat(first.about(client)).allMatch(f -> f.kind().change());

            ProvisioningReport second = provisioner.sync(registry);
            assertThat(second.changed()).as(second.describe()).isFalse();
            assertThat(second.about(client)).isEmpty();
            for (Agency agency : registry.agencies()) {
                assertThat(second.about(agency.keycloakClient())).as(agency.code()).isEmpty();
            }
            assertThat(provisioner.serviceAccountRoles(client)).containsAll(PROVINCE_ROLES);
        }
    }

    @Test
    void anAddedProvinceGetsATokenWithItsAgencyAudienceAndCapabilities() {
        Agency agency = province("48");
        String client = agency.keycloakClient();
        try (KeycloakProvisioner provisioner = provisioner()) {
            ProvisioningReport report = provisioner.addAgency(agency);
            assertThat(report.changes()).extracting(Finding::kind).contains(Kind.CLIENT_CREATED);
            assertThat(report.drift()).isEmpty();
            assertThat(provisioner.addAgency(agency).changed()).isFalse();

            String secret = provisioner.rotateSecret(client);
            JsonNode claims = TestStack.jwtClaims(TestStack.get().accessToken(client, secret));
            assertThat(claims.path("agency").asText()).isEqualTo("PROV.48");
            assertThat(claims.path("azp").asText()).isEqualTo(client);
            Set<String> audiences = new TreeSet<>();
            claims.path("aud").forEach(a -> audiences.add(a.asText()));
            assertThat(audiences).contains(KeycloakProvisioner.GATEWAY_CLIENT_ID);
            Set<String> capabilities = new TreeSet<>();
            claims.path("realm_access").path("roles").forEach(r -> {
                if (Capability.ofRole(r.asText()).isPresent()) {
                    capabilities.add(r.asText());
                }
            });
            assertThat(capabilities).isEqualTo(PROVINCE_ROLES);
        }
    }

    @Test
    void rotatingASecretRefusesTheOldOneAndAcceptsTheNew() {
        Agency agency = province("51");
        String client = agency.keycloakClient();
        TestStack stack = TestStack.get();
        try (KeycloakProvisioner provisioner = provisioner()) {
            provisioner.withDemoSecrets().addAgency(agency);
            String old = TestStack.demoSecret(client);
            assertThat(stack.requestToken(client, old).statusCode()).isEqualTo(200);

            String fresh = provisioner.rotateSecret(client);
            assertThat(fresh).isNotEqualTo(old).hasSizeGreaterThanOrEqualTo(32);
            assertThat(stack.requestToken(client, old).statusCode()).isEqualTo(401);
            assertThat(stack.requestToken(client, fresh).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDisabledClientGetsNoTokenIsReportedNotEnabledAndCanBeEnabledAgain() {
        Registry registry = registryWith("52");
        Agency agency = registry.agency("PROV.52").orElseThrow();
        String client = agency.keycloakClient();
        TestStack stack = TestStack.get();
        try (KeycloakProvisioner provisioner = provisioner()) {
            provisioner.withDemoSecrets().addAgency(agency);
            String secret = TestStack.demoSecret(client);
            assertThat(stack.requestToken(client, secret).statusCode()).isEqualTo(200);

            provisioner.disable(client);
            assertThat(provisioner.enabled(client)).isFalse();
            assertThat(stack.requestToken(client, secret).statusCode()).isNotEqualTo(200);
            ProvisioningReport report = provisioner.sync(registry);
            assertThat(report.about(client)).extracting(Finding::kind).containsExactly(Kind.CLIENT_DISABLED);
            assertThat(provisioner.enabled(client)).isFalse();

            provisioner.enable(client);
            assertThat(provisioner.enabled(client)).isTrue();
            assertThat(stack.requestToken(client, secret).statusCode()).isEqualTo(200);
            assertThat(provisioner.sync(registry).about(client)).isEmpty();
        }
    }

    @Test
    void anExtraRoleIsReportedAndLeftInPlace() {
        Registry registry = registryWith("56");
        Agency agency = registry.agency("PROV.56").orElseThrow();
        String client = agency.keycloakClient();
        try (KeycloakProvisioner provisioner = provisioner()) {
            provisioner.addAgency(agency);
            provisioner.grant(client, Set.of("freeze:request"));

            ProvisioningReport report = provisioner.sync(registry);
            assertThat(report.about(client)).hasSize(1).first().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(Kind.EXTRA_ROLE);
                assertThat(f.detail()).startsWith("freeze:request");
            });
            assertThat(report.changed()).isFalse();
            assertThat(provisioner.serviceAccountRoles(client)).contains("freeze:request");
        }
    }

    @Test
    void aClientClaimingAnAgencyTheRegistryLacksIsReportedAndKept() {
        Agency agency = province("66");
        String client = agency.keycloakClient();
        try (KeycloakProvisioner provisioner = provisioner()) {
            provisioner.addAgency(agency);
            ProvisioningReport report = provisioner.sync(configRegistry());
            assertThat(report.about(client)).extracting(Finding::kind).containsExactly(Kind.UNKNOWN_AGENCY_CLIENT);
            assertThat(report.about(client).get(0).detail()).contains("PROV.66");
            assertThat(provisioner.exists(client)).isTrue();
            assertThat(provisioner.enabled(client)).isTrue();
        }
    }

    @Test
    void aWrongClaimAndLogInFlowsAreReportedAndLeftAsTheyAre() {
        Registry registry = registryWith("68");
        Agency agency = registry.agency("PROV.68").orElseThrow();
        String clientId = agency.keycloakClient();
        var keycloak = TestStack.get().keycloak();
        try (KeycloakProvisioner provisioner = provisioner();
                Keycloak admin = Keycloak.getInstance(keycloak.baseUrl(), "master", keycloak.adminUsername(),
                        keycloak.adminPassword(), "admin-cli")) {
            provisioner.addAgency(agency);
            ClientResource client = admin.realm("lienthong").clients().get(
                    admin.realm("lienthong").clients().findByClientId(clientId).get(0).getId());
            ProtocolMapperRepresentation claim = client.getProtocolMappers().getMappers().stream()
                    .filter(m -> "agency".equals(m.getConfig().get("claim.name"))).findFirst().orElseThrow();
            claim.getConfig().put("claim.value", "PROV.01");
            client.getProtocolMappers().update(claim.getId(), claim);
            ClientRepresentation settings = client.toRepresentation();
            settings.setDirectAccessGrantsEnabled(true);
            client.update(settings);

            ProvisioningReport report = provisioner.sync(registry);
            assertThat(report.about(clientId)).extracting(Finding::kind)
                    .containsExactlyInAnyOrder(Kind.WRONG_AGENCY_CLAIM, Kind.CLIENT_SETTINGS);
            assertThat(report.about(clientId)).filteredOn(f -> f.kind() == Kind.WRONG_AGENCY_CLAIM)
                    .extracting(Finding::detail).containsExactly("claims PROV.01, the registry says PROV.68");
            assertThat(report.changed()).isFalse();
            assertThat(client.getProtocolMappers().getMapperById(claim.getId()).getConfig().get("claim.value"))
                    .isEqualTo("PROV.01");
            assertThat(client.toRepresentation().isDirectAccessGrantsEnabled()).isTrue();
        }
    }

    @Test
    void unknownClientsAreNamedInTheError() {
        try (KeycloakProvisioner provisioner = provisioner()) {
            assertThatThrownBy(() -> provisioner.rotateSecret("no-such-client"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no-such-client");
        }
    }
}

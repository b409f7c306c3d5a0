package vn.lienthong.gateway.identity.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.testsupport.RealmAdmin;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.schemas.ids.Provinces;

/**
 * Registries for provisioning tests: the real {@code config/agencies.yaml} with provinces taken out
 * and added back as if new (their clients removed from the realm first), so each test changes clients
 * of its own and never the demo ones other tests use (the registry holds all 34 provinces).
 */
final class ProvisioningFixtures {

    static final Path CONFIG_REGISTRY = Path.of("../config/agencies.yaml");
    /**
     * The provinces these tests add as new, each test its own: the registries here leave them all
     * out (and add back only the test's own), so that one test's changes to its client never show
     * as drift in another's sync.
     */
    static final List<String> FIXTURE_PROVINCES = List.of("46", "48", "51", "52", "56", "66", "68", "80", "82");

    private ProvisioningFixtures() {
    }

    /** The real registry without the fixture provinces. */
    static Registry configRegistry() {
        return Registry.parse(registryTextWithout(), CONFIG_REGISTRY + " without the fixture provinces");
    }

    /**
     * The text of the real registry with these provinces taken out and appended again, their clients
     * removed from the shared realm: provinces as if not registered yet.
     */
    static String registryTextWith(String... provinceCodes) {
        StringBuilder text = new StringBuilder(registryTextWithout());
        RealmAdmin realm = new RealmAdmin(TestStack.get().keycloak());
        for (String code : provinceCodes) {
            realm.removeClient(clientOf(code));
            String name = Provinces.current().stream().filter(p -> p.code().equals(code)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(code + " is not a current province")).name();
            text.append("""

                      - code: PROV.%1$s
                        <<: *province
                        name: {vi: "%2$s", en: "%2$s"}
                        keycloakClient: %3$s
                        channels:
                          - {kind: rest, format: canonical-json, delivery: pull}
                    """.formatted(code, name, clientOf(code)));
        }
        return text.toString();
    }

    /** The text of the real registry without the fixture provinces' blocks. */
    static String registryTextWithout() {
        List<String> lines = new ArrayList<>(read(CONFIG_REGISTRY).lines().toList());
        for (String code : FIXTURE_PROVINCES) {
            int start = lines.indexOf("  - code: PROV." + code);
            if (start < 0) {
                throw new IllegalArgumentException("PROV." + code + " is not in " + CONFIG_REGISTRY);
            }
            int end = start + 1;
            while (end < lines.size() && lines.get(end).startsWith("    ")) {
                end++;
            }
            lines.subList(start, end).clear();
        }
        return String.join("\n", lines) + "\n";
    }

    /** The real registry with these provinces appended. */
    static Registry registryWith(String... provinceCodes) {
        return Registry.parse(registryTextWith(provinceCodes), "config/agencies.yaml + PROV." + String.join(", PROV.", provinceCodes));
    }

    /** The fixture province's agency. */
    static Agency province(String code) {
        return registryWith(code).agency("PROV." + code).orElseThrow();
    }

    /** The client id of a fixture province. */
    static String clientOf(String provinceCode) {
        return "prov-" + provinceCode;
    }

    /** A provisioner connected as the shared Keycloak's admin. */
    static KeycloakProvisioner provisioner() {
        var keycloak = TestStack.get().keycloak();
        return KeycloakProvisioner.connect(keycloak.baseUrl(), keycloak.adminUsername(), keycloak.adminPassword());
    }

    /** Writes a registry text under target/ and returns its path. */
    static Path write(String text, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "identity-fixtures"));
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

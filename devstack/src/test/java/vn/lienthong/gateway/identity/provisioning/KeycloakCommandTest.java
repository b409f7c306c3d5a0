package vn.lienthong.gateway.identity.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lienthong.devstack.KeycloakServer;
import vn.lienthong.gateway.testsupport.TestStack;

/** The {@code keycloak} command against the shared real Keycloak, on a province of its own. */
class KeycloakCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeycloakCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> adminEnv() {
        KeycloakServer keycloak = TestStack.get().keycloak();
        return Map.of("LIENTHONG_KEYCLOAK_URL", keycloak.baseUrl(),
                "LIENTHONG_KEYCLOAK_ADMIN_USER", keycloak.adminUsername(),
                "LIENTHONG_KEYCLOAK_ADMIN_PASSWORD", keycloak.adminPassword());
    }

    @Test
    void addRotateDisableEnableAndSyncFromTheCommandLine() {
        Path registry = ProvisioningFixtures.write(ProvisioningFixtures.registryTextWith("80"), "with-prov-80.yaml");
        String client = ProvisioningFixtures.clientOf("80");
        Map<String, String> env = adminEnv();
        TestStack stack = TestStack.get();

        Run add = run(env, "add", "PROV.80", "--registry", registry.toString());
        assertThat(add.status()).as(add.err()).isZero();
        assertThat(add.out()).contains("client created: " + client).contains("keycloak rotate PROV.80");

        Run rotate = run(env, "rotate", client, "--registry", registry.toString());
        assertThat(rotate.status()).as(rotate.err()).isZero();
        String secret = rotate.out().strip();
        assertThat(secret).doesNotContain(" ").hasSizeGreaterThanOrEqualTo(32);
        assertThat(rotate.err()).doesNotContain(secret).contains("old one no longer works");
        assertThat(stack.requestToken(client, secret).statusCode()).isEqualTo(200);

        Run disable = run(env, "disable", "PROV.80", "--registry=" + registry);
        assertThat(disable.status()).isZero();
        assertThat(stack.requestToken(client, secret).statusCode()).isNotEqualTo(200);
        Run sync = run(env, "sync", "--registry", registry.toString());
        assertThat(sync.status()).as("drift found").isEqualTo(1);
        assertThat(sync.out()).contains("client disabled: " + client).doesNotContain(secret);

        Run enable = run(env, "enable", "PROV.80", "--registry", registry.toString());
        assertThat(enable.status()).isZero();
        assertThat(stack.requestToken(client, secret).statusCode()).isEqualTo(200);
        Run again = run(env, "sync", "--registry", registry.toString());
        assertThat(again.out()).startsWith("no changes").doesNotContain(client);
    }

    @Test
    void anAgencyOutsideTheRegistryIsRefusedWithoutTouchingKeycloak() {
        Path without = ProvisioningFixtures.write(ProvisioningFixtures.registryTextWithout(), "without-prov-82.yaml");
        Run add = run(adminEnv(), "add", "PROV.82", "--registry", without.toString());
        assertThat(add.status()).isEqualTo(2);
        assertThat(add.err()).contains("PROV.82").contains("add the agency to the registry first");
    }

    @Test
    void aWrongAdminPasswordIsReportedAndNotEchoed() {
        List<String> args = new ArrayList<>(List.of("sync", "--registry", ProvisioningFixtures.CONFIG_REGISTRY.toString(),
                "--url", TestStack.get().keycloak().baseUrl(), "--admin-password", "wrong-password-123"));
        Run run = run(Map.of(), args.toArray(String[]::new));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("refused the admin sign-in of admin").doesNotContain("wrong-password-123");
    }

    @Test
    void anUnreachableKeycloakIsNamed() {
        Run run = run(Map.of("LIENTHONG_KEYCLOAK_ADMIN_PASSWORD", "x"), "sync", "--url", "http://127.0.0.1:1",
                "--registry", ProvisioningFixtures.CONFIG_REGISTRY.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("http://127.0.0.1:1 did not answer");
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertThat(run(Map.of(), "sync").err()).contains("no admin password");
        assertThat(run(Map.of("LIENTHONG_KEYCLOAK_ADMIN_PASSWORD", "x"), "rotate").err()).contains("rotate takes one agency code");
        assertThat(run(Map.of("LIENTHONG_KEYCLOAK_ADMIN_PASSWORD", "x"), "purge", "X").err()).contains("unknown action purge");
        assertThat(run(Map.of(), "sync", "--colour", "x").status()).isEqualTo(2);
    }
}

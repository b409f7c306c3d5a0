package vn.lienthong.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How {@link KeycloakServer} finds its distribution and JDK and what it runs, with a stand-in
 * {@code kc.sh} where a real server is not the point (the real one is tested through the shared
 * test stack: {@code KeycloakRealmTest}).
 */
class KeycloakServerTest {

    private static Path newDir() throws IOException {
        return Files.createDirectories(Path.of("target", "keycloak-server-test", UUID.randomUUID().toString()))
                .toAbsolutePath();
    }

    /** A distribution whose kc.sh records its arguments and environment, prints a line and exits 3. */
    private static Path fakeDistribution(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("fake-dist").resolve("bin"));
        Files.createDirectories(dir.resolve("fake-dist").resolve("lib").resolve("lib"));
        Files.writeString(dir.resolve("fake-dist").resolve("lib").resolve("lib").resolve("some.jar"), "jar");
        Path script = bin.resolve("kc.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo "$@" > "$(dirname "$0")/../args.txt"
                echo "JAVA_HOME=$JAVA_HOME ADMIN=$KC_BOOTSTRAP_ADMIN_USERNAME" >> "$(dirname "$0")/../args.txt"
                echo "stand-in Keycloak giving up on purpose"
                exit 3
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("fake-dist");
    }

    @Test
    void aServerThatExitsWhileStartingFailsWithItsLogTailAndRunsWhatTheContractSays() throws IOException {
        Path dir = newDir();
        Path realm = Files.writeString(dir.resolve("realm.json"), "{\"realm\":\"lienthong\"}");
        KeycloakServer server = new KeycloakServer(dir.resolve("instance"), Optional.of(fakeDistribution(dir)), realm,
                18999, 18998, KeycloakServer.Storage.MEMORY, "admin", "admin-secret");

        assertThatThrownBy(server::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("stand-in Keycloak giving up on purpose")
                .hasMessageContaining(server.logFile().toString());
        assertThat(server.running()).isFalse();

        String recorded = Files.readString(server.home().resolve("args.txt"));
        assertThat(recorded).contains("start-dev", "--http-host=127.0.0.1", "--http-port=18999",
                "--http-management-port=18998", "--health-enabled=true", "--hostname=http://127.0.0.1:18999",
                "--db=dev-mem", "--import-realm");
        assertThat(recorded).contains("JAVA_HOME=" + KeycloakServer.newestJdk(), "ADMIN=admin");
        assertThat(server.home().resolve("data/import/lienthong-realm.json")).hasSameTextualContentAs(realm);
        assertThat(server.home().resolve("lib/lib/some.jar")).hasContent("jar");
        assertThat(server.issuer()).isEqualTo("http://127.0.0.1:18999/realms/lienthong");
        assertThat(server.tokenEndpoint()).isEqualTo(server.issuer() + "/protocol/openid-connect/token");
    }

    @Test
    void fileStorageAsksForTheDevFileDatabase() throws IOException {
        Path dir = newDir();
        Path realm = Files.writeString(dir.resolve("realm.json"), "{}");
        KeycloakServer server = new KeycloakServer(dir.resolve("instance"), Optional.of(fakeDistribution(dir)), realm,
                18997, 18996, KeycloakServer.Storage.FILE, "admin", "x");
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(server.home().resolve("args.txt"))).contains("--db=dev-file");
    }

    @Test
    void aMissingDistributionNamesWhereItLooked() throws IOException {
        Path nowhere = newDir().resolve("no-keycloak-here");
        assertThatThrownBy(() -> KeycloakServer.findDistribution(Optional.of(nowhere)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("devstack/target/keycloak");
    }

    @Test
    void aMissingRealmFileIsNamed() throws IOException {
        Path dir = newDir();
        KeycloakServer server = new KeycloakServer(dir.resolve("instance"), Optional.of(fakeDistribution(dir)),
                dir.resolve("missing-realm.json"), 18995, 18994, KeycloakServer.Storage.MEMORY, "admin", "x");
        assertThatThrownBy(server::start).hasMessageContaining("missing-realm.json");
    }

    @Test
    void theBuildsDistributionIsFoundFromTheModuleDirectory() {
        Path found = KeycloakServer.findDistribution(Optional.empty());
        assertThat(found.getFileName().toString()).isEqualTo("keycloak-" + KeycloakServer.distributionVersion());
        assertThat(found.resolve("bin/kc.sh")).isRegularFile();
    }

    @Test
    void jdkVersionsAreReadFromReleaseFiles() throws IOException {
        Path dir = newDir();
        for (var entry : List.of(List.of("a", "JAVA_VERSION=\"17.0.15\"", "17"), List.of("b", "JAVA_VERSION=\"1.8.0_292\"", "8"),
                List.of("c", "IMPLEMENTOR=x\nJAVA_VERSION=\"25\"\n", "25"), List.of("d", "nothing", "0"))) {
            Path home = Files.createDirectories(dir.resolve(entry.get(0)));
            Files.writeString(home.resolve("release"), entry.get(1));
            assertThat(KeycloakServer.jdkVersion(home)).as(entry.get(1)).isEqualTo(Integer.parseInt(entry.get(2)));
        }
        assertThat(KeycloakServer.jdkVersion(dir.resolve("none"))).isZero();
        Path newest = KeycloakServer.newestJdk();
        assertThat(KeycloakServer.jdkVersion(newest)).isGreaterThanOrEqualTo(17)
                .isGreaterThanOrEqualTo(KeycloakServer.jdkVersion(Path.of(System.getProperty("java.home"))));
        assertThat(newest.resolve("bin/java")).isExecutable();
    }
}

package vn.lienthong.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.identity.provisioning.KeycloakProvisioner;
import vn.lienthong.gateway.testsupport.TestStack;

/**
 * A Keycloak of its own (not the shared one: this test changes a demo client) with file storage, as
 * the embedded default runs it: a stop leaves no process and frees its ports, and the realm with
 * its changes survives the restart.
 */
class KeycloakRestartTest {

    @Test
    void fileStorageKeepsTheRealmAcrossARestartAndStopLeavesNothingRunning() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "keycloak-restart-test", UUID.randomUUID().toString()));
        HashSet<Integer> taken = new HashSet<>();
        int port = Ports.orFree(0, taken);
        int management = Ports.orFree(0, taken);
        KeycloakServer server = new KeycloakServer(dir, Optional.empty(),
                EmbeddedStack.KeycloakOptions.repositoryRealmFile(), port, management, KeycloakServer.Storage.FILE,
                "admin", "restart-admin");
        try {
            server.start();
            assertThat(processesIn(server.home())).as("the server's processes are seen while it runs").isPositive();
            assertThat(tokenStatus(server, "mof-tax", "mof-tax-demo-secret")).isEqualTo(200);
            String rotated;
            try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(server.baseUrl(), "admin", "restart-admin")) {
                rotated = provisioner.rotateSecret("mof-tax");
            }

            server.stop();
            assertThat(server.running()).isFalse();
            assertThat(processesIn(server.home())).isZero();
            assertThat(free(port)).as("HTTP port free after stop").isTrue();
            assertThat(free(management)).as("management port free after stop").isTrue();

            server.start();
            assertThat(tokenStatus(server, "mof-tax", "mof-tax-demo-secret")).as("old secret after restart").isEqualTo(401);
            assertThat(tokenStatus(server, "mof-tax", rotated)).as("rotated secret after restart").isEqualTo(200);
        } finally {
            server.stop();
        }
        assertThat(processesIn(server.home())).isZero();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static long processesIn(Path home) {
        String marker = home.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .count();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(Ports.HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int tokenStatus(KeycloakServer server, String clientId, String secret) {
        return TestStack.requestToken(server, clientId, secret).statusCode();
    }
}

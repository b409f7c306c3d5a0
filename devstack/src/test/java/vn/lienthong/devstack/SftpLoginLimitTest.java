package vn.lienthong.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.identity.LoginThrottle;
import vn.lienthong.gateway.identity.SftpLogin;

/**
 * Brute force on the SFTP server (a real SSHD, logins by a real SSH client): after the failures a
 * user or a source address is allowed, even the right password is refused; once the bucket
 * refills, the right password logs in again.
 */
class SftpLoginLimitTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private SftpServer server;
    private SshClient client;
    private int port;

    @BeforeEach
    void start() throws IOException {
        Path dir = Path.of("target").toAbsolutePath().resolve("sftp-limit-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // 3 failures per user and 5 per address, forgiven one by one over 15 s (one every 5 s and 3 s):
        // far slower than a login, so the limit is reached before any failure is forgiven.
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Limit(5, Duration.ofSeconds(15)),
                new LoginThrottle.Limit(3, Duration.ofSeconds(15)));
        server = new SftpServer(dir.resolve("root"), dir.resolve("hostkey.ser"), port,
                throttle.sftp(SftpLogin.ofPasswords(Map.of("agency", "right", "other", "other-right"))));
        server.addUser("agency", "agency");
        server.addUser("other", "other");
        for (int i = 0; i < 6; i++) {
            server.addUser("guess-" + i, "guess-" + i);
        }
        server.start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterEach
    void stop() throws IOException {
        client.stop();
        server.stop();
    }

    @Test
    void failedLoginsPerUserAreLimitedAndTheLimitLifts() {
        assertThat(login("agency", "right")).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(login("agency", "guess-" + i)).isFalse();
        }
        // The user's failures are spent: the right password is refused too, another user is not.
        assertThat(login("agency", "right")).isFalse();
        assertThat(login("other", "other-right")).isTrue();
        // The bucket refills: the right password logs in again.
        await().atMost(WITHIN).until(() -> login("agency", "right"));
    }

    @Test
    void failedLoginsPerSourceAreLimitedAndTheLimitLifts() {
        // One failure each for five users: the address has spent its failures.
        for (int i = 0; i < 5; i++) {
            assertThat(login("guess-" + i, "wrong")).isFalse();
        }
        assertThat(login("agency", "right")).isFalse();
        await().atMost(WITHIN).until(() -> login("agency", "right"));
    }

    private boolean login(String user, String password) {
        try (ClientSession session = client.connect(user, "127.0.0.1", port).verify(WITHIN).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(WITHIN);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

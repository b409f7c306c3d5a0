package vn.lienthong.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's gateway SFTP secret: random per data folder, made once, kept owner-only. */
class LocalSecretTest {

    @TempDir
    Path dir;

    @Test
    void madeOnceThenReadBack() {
        Path file = dir.resolve("data/gateway-sftp.secret");

        LocalSecret first = LocalSecret.readOrCreate(file);
        LocalSecret again = LocalSecret.readOrCreate(file);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).as("shown only when made").isFalse();
        assertThat(again.value()).isEqualTo(first.value());
        // 24 random bytes, base64url without padding.
        assertThat(first.value()).matches("[A-Za-z0-9_-]{32}");
    }

    @Test
    void eachDataFolderHasItsOwn() {
        assertThat(LocalSecret.readOrCreate(dir.resolve("a/secret")).value())
                .isNotEqualTo(LocalSecret.readOrCreate(dir.resolve("b/secret")).value())
                .isNotEqualTo("gateway-demo-secret");
    }

    @Test
    void onlyItsOwnerMayReadIt() throws Exception {
        Path file = dir.resolve("secret");
        LocalSecret.readOrCreate(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
    }

    @Test
    void itsTextNeverShowsTheValue() {
        LocalSecret secret = LocalSecret.readOrCreate(dir.resolve("secret"));
        assertThat(secret.toString()).doesNotContain(secret.value());
    }
}

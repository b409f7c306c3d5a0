package vn.lienthong.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the benchmark starts the gateway: the build's extracted layout with its CDS archive, as production does. */
class GatewayLaunchTest {

    @TempDir
    Path target;

    /** Launch works on absolute paths; the temporary folder may be relative (java.io.tmpdir=target/tmp). */
    @BeforeEach
    void absolute() {
        target = target.toAbsolutePath();
    }

    @Test
    void withoutAnExtractedLayoutTheRunnableJarRunsAsGiven() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 100);
        GatewayProcess.Launch launch = GatewayProcess.Launch.of(runnable, true, List.of());
        assertThat(launch.jar()).isEqualTo(runnable);
        assertThat(launch.jvmArgs()).isEmpty();
        assertThat(launch.archive()).isNull();
    }

    @Test
    void theFirstStartOfABuildTrainsTheArchiveIntoAFileOfItsOwn() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 100);
        Path extracted = file(target.resolve("gateway").resolve("lienthong-gateway.jar"), 100);
        GatewayProcess.Launch launch = GatewayProcess.Launch.of(runnable, true, List.of());
        assertThat(launch.jar()).isEqualTo(extracted);
        assertThat(launch.archive()).isEqualTo(target.resolve("gateway").resolve("lienthong-gateway.jsa"));
        assertThat(launch.training()).isNotNull().isNotEqualTo(launch.archive());
        assertThat(launch.training().getParent()).isEqualTo(target.resolve("gateway"));
        assertThat(launch.jvmArgs()).containsExactly("-XX:ArchiveClassesAtExit=" + launch.training());
    }

    @Test
    void laterStartsUseTheArchiveOfTheirBuild() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 100);
        file(target.resolve("gateway").resolve("lienthong-gateway.jar"), 100);
        Path archive = file(target.resolve("gateway").resolve("lienthong-gateway.jsa"), 200);
        GatewayProcess.Launch launch = GatewayProcess.Launch.of(runnable, true, List.of());
        assertThat(launch.training()).isNull();
        assertThat(launch.jvmArgs()).containsExactly("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void anArchiveOfAnEarlierBuildIsTrainedAgain() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 300);
        file(target.resolve("gateway").resolve("lienthong-gateway.jar"), 300);
        file(target.resolve("gateway").resolve("lienthong-gateway.jsa"), 200);
        assertThat(GatewayProcess.Launch.of(runnable, true, List.of()).training()).isNotNull();
    }

    @Test
    void anExtractedLayoutOlderThanTheJarAskedForIsNotUsed() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 300);
        file(target.resolve("gateway").resolve("lienthong-gateway.jar"), 100);
        assertThat(GatewayProcess.Launch.of(runnable, true, List.of()).jar()).isEqualTo(runnable);
    }

    @Test
    void withJfrOrAnAgentTheExtractedJarRunsWithoutTheArchive() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 100);
        Path extracted = file(target.resolve("gateway").resolve("lienthong-gateway.jar"), 100);
        file(target.resolve("gateway").resolve("lienthong-gateway.jsa"), 200);
        for (String option : List.of("-XX:StartFlightRecording=filename=x.jfr", "-javaagent:agent.jar")) {
            GatewayProcess.Launch launch = GatewayProcess.Launch.of(runnable, true, List.of("-Xmx1g", option));
            assertThat(launch.jar()).isEqualTo(extracted);
            assertThat(launch.jvmArgs()).isEmpty();
            assertThat(launch.archive()).isNull();
        }
    }

    @Test
    void cdsCanBeTurnedOff() throws IOException {
        Path runnable = file(target.resolve("lienthong-gateway.jar"), 100);
        file(target.resolve("gateway").resolve("lienthong-gateway.jar"), 100);
        GatewayProcess.Launch launch = GatewayProcess.Launch.of(runnable, false, List.of());
        assertThat(launch.jar()).isEqualTo(runnable);
        assertThat(launch.jvmArgs()).isEmpty();
    }

    private static Path file(Path path, long epochSecond) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "x");
        Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(epochSecond)));
        return path;
    }
}

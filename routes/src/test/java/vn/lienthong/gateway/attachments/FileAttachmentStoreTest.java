package vn.lienthong.gateway.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lienthong.gateway.ingress.IngressPipeline;

/** The file store: content-addressed, written aside and moved into place, kept once, bounded. */
class FileAttachmentStoreTest {

    @TempDir
    Path dir;

    @Test
    void bytesAreKeptUnderTheirSha256AndReadBackTheSame() throws IOException {
        FileAttachmentStore store = new FileAttachmentStore(dir.resolve("attachments"));
        byte[] bytes = "biên bản vi phạm hành chính".getBytes(StandardCharsets.UTF_8);

        AttachmentStore.Stored stored = store.put(new ByteArrayInputStream(bytes), 1_000);

        assertThat(stored.sha256()).isEqualTo(IngressPipeline.sha256(bytes));
        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(store.size(stored.sha256())).hasValue((long) bytes.length);
        try (InputStream in = store.open(stored.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(Files.exists(dir.resolve("attachments").resolve(stored.sha256().substring(0, 2))
                .resolve(stored.sha256()))).isTrue();
        assertThat(temporaryFiles()).as("nothing left aside").isZero();
    }

    @Test
    void theSameBytesTwiceAreOneBlob() throws IOException {
        FileAttachmentStore store = new FileAttachmentStore(dir);
        byte[] bytes = new byte[100_000];
        AttachmentStore.Stored first = store.put(new ByteArrayInputStream(bytes), bytes.length);
        AttachmentStore.Stored second = store.put(new ByteArrayInputStream(bytes), bytes.length);
        assertThat(second).isEqualTo(first);
        try (Stream<Path> blobs = Files.walk(dir).filter(Files::isRegularFile)) {
            assertThat(blobs).hasSize(1);
        }
    }

    @Test
    void anInputOverTheLimitIsRefusedAndNothingIsKept() throws IOException {
        FileAttachmentStore store = new FileAttachmentStore(dir);
        byte[] bytes = new byte[10_001];
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), 10_000))
                .isInstanceOf(AttachmentStore.TooLargeException.class).hasMessageContaining("10000");
        assertThat(store.size(IngressPipeline.sha256(bytes))).isEmpty();
        assertThat(temporaryFiles()).isZero();
    }

    @Test
    void anInputThatFailsHalfwayLeavesNothing() {
        FileAttachmentStore store = new FileAttachmentStore(dir);
        InputStream broken = new InputStream() {
            private int left = 70_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> store.put(broken, 1_000_000)).isInstanceOf(IOException.class)
                .hasMessage("connection reset");
        assertThat(temporaryFiles()).isZero();
    }

    @Test
    void anUnknownBlobIsAbsentAndANameThatIsNoSha256IsRefused() throws IOException {
        FileAttachmentStore store = new FileAttachmentStore(dir);
        String absent = "a".repeat(64);
        assertThat(store.size(absent)).isEmpty();
        assertThatThrownBy(() -> store.open(absent)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    private long temporaryFiles() {
        try (Stream<Path> files = Files.list(dir.resolve(Files.exists(dir.resolve("attachments")) ? "attachments/tmp" : "tmp"))) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

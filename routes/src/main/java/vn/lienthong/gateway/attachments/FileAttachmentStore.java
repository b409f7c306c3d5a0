package vn.lienthong.gateway.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import vn.lienthong.gateway.atrest.StreamCipher;

/**
 * The attachment store on a file system (by default {@code data/attachments}): blob
 * {@code <root>/<first two hex digits>/<sha256>}, written to {@code <root>/tmp/} first and moved
 * into place atomically, so a reader never sees half a blob and a crash leaves only a temp file.
 * Several gateway instances may share the folder (a network file system): the same bytes have the
 * same name, so concurrent writers of one blob agree. With a {@link StreamCipher} the files hold
 * only sealed bytes; the name stays the SHA-256 of the clear file.
 */
public final class FileAttachmentStore implements AttachmentStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;
    private final StreamCipher cipher;

    /** A store under {@code root}, created if missing, keeping files in clear. */
    public FileAttachmentStore(Path root) {
        this(root, StreamCipher.CLEAR);
    }

    /** A store under {@code root}, created if missing, sealing what it keeps with {@code cipher}. */
    public FileAttachmentStore(Path root, StreamCipher cipher) {
        this.cipher = cipher;
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new IllegalStateException("the attachment folder " + this.root + " cannot be created: " + e, e);
        }
    }

    /** Where the blobs are. */
    public Path root() {
        return root;
    }

    @Override
    public Stored put(InputStream in, long maxBytes) throws IOException {
        Path temp = Files.createTempFile(tmp, "upload-", ".part");
        try {
            MessageDigest sha256 = sha256();
            long size = 0;
            StreamCipher.Sealing sealing = cipher.seal(Files.newOutputStream(temp));
            try (OutputStream out = new DigestOutputStream(sealing.clear(), sha256)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            String hash = HexFormat.of().formatHex(sha256.digest());
            Path target = path(hash);
            if (Files.exists(target) && Objects.equals(keyId(target), sealing.keyId())) {
                // The same bytes, sealed under the current key already: kept once.
                return new Stored(hash, size, sealing.keyId());
            }
            // New, or kept in clear or under an older data key: replaced (atomically), so a file sent again
            // lives as long as the current key, whatever retention shreds.
            Files.createDirectories(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileAlreadyExistsException e) {
                // Another writer put the same bytes first: they are the same blob.
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the attachment folder " + root + " cannot move files atomically", e);
            }
            return new Stored(hash, size, sealing.keyId());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        Path path = path(sha256);
        try {
            return Optional.of(cipher.clearSize(head(path), Files.size(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        return AttachmentStore.verified(cipher.open(Files.newInputStream(path(sha256))), sha256);
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /** The data key a stored file names (null: in clear, or gone). */
    private String keyId(Path path) throws IOException {
        try {
            return cipher.keyId(head(path)).orElse(null);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static byte[] head(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(StreamCipher.HEAD_BYTES);
        }
    }

    private Path path(String sha256) {
        if (!AttachmentStore.isSha256(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 of the store (64 lower-case hex digits)");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FileAttachmentStore[" + root + "]";
    }
}

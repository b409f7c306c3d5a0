package vn.lienthong.gateway.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where attachment bytes are kept, content-addressed by their SHA-256: one write ({@link #put}) and
 * one read ({@link #open}) so that a wrapper (encryption at rest, another backend) can take both.
 * Bytes are streamed both ways; no implementation holds a whole attachment in memory.
 */
public interface AttachmentStore {

    /** A SHA-256 as the store names blobs: 64 lower-case hex digits. */
    Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * A blob as stored: the SHA-256 and size of its clear bytes, and the data key that seals it at
     * rest (null: kept in clear).
     */
    record Stored(String sha256, long size, String keyId) {
        /** A blob kept in clear. */
        public Stored(String sha256, long size) {
            this(sha256, size, null);
        }
    }

    /** The input was larger than the limit: nothing was kept. */
    final class TooLargeException extends IOException {
        private final long limit;

        /** Refused over {@code limit} bytes. */
        public TooLargeException(long limit) {
            super("larger than " + limit + " bytes");
            this.limit = limit;
        }

        /** The limit that was passed. */
        public long limit() {
            return limit;
        }
    }

    /**
     * Reads {@code in} to its end (at most {@code maxBytes}), hashing as it goes, and keeps the bytes
     * under their SHA-256; bytes already stored are kept once. Nothing is visible under the hash
     * until the whole input is there (written aside, then moved atomically).
     *
     * @throws TooLargeException after {@code maxBytes} bytes; nothing is kept
     */
    Stored put(InputStream in, long maxBytes) throws IOException;

    /** The size of a stored blob, or empty when none is stored under {@code sha256}. */
    Optional<Long> size(String sha256) throws IOException;

    /**
     * The bytes of a stored blob, as a stream the caller closes.
     *
     * @throws java.nio.file.NoSuchFileException when none is stored under {@code sha256}
     */
    InputStream open(String sha256) throws IOException;

    /**
     * Deletes a blob (a retention purge shredded its data key); nothing happens when none is stored.
     */
    void delete(String sha256) throws IOException;

    /**
     * {@code clear} as it is read, checked at its end: bytes whose SHA-256 is not {@code sha256}
     * fail the last read with an {@link IOException}, so a reader never takes altered bytes for the file.
     */
    static InputStream verified(InputStream clear, String sha256) {
        return new VerifiedInputStream(clear, sha256);
    }

    /** Whether {@code s} is a SHA-256 as the store names blobs. */
    static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }
}

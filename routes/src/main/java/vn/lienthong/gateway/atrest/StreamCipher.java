package vn.lienthong.gateway.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Seals streamed bytes (stored attachments) before they are stored and opens them when read, in
 * bounded memory whatever their size. A sealed stream starts with a header naming its data key, so
 * rotating keys never rewrites stored objects; bytes stored in clear (before sealing was on) open
 * as they are.
 */
public interface StreamCipher {

    /** How many leading bytes of a stored object {@link #keyId} and {@link #clearSize} need at most. */
    int HEAD_BYTES = 512;

    /** Stores bytes as they are (a store without sealing, tests of the store alone). */
    StreamCipher CLEAR = new StreamCipher() {
        @Override
        public Sealing seal(OutputStream stored) {
            return new Sealing(null, stored);
        }

        @Override
        public InputStream open(InputStream stored) {
            return stored;
        }

        @Override
        public Optional<String> keyId(byte[] head) {
            return Optional.empty();
        }

        @Override
        public long clearSize(byte[] head, long storedSize) {
            return storedSize;
        }
    };

    /**
     * A sealing stream: write the clear bytes to {@code clear} and close it (which closes the stored
     * stream); {@code keyId} names the data key that seals them (null: stored in clear).
     */
    record Sealing(String keyId, OutputStream clear) {
    }

    /** Starts sealing into {@code stored} under the current data key of attachments. */
    Sealing seal(OutputStream stored) throws IOException;

    /**
     * The clear bytes of a stored object, as a stream the caller closes; a segment altered, cut or
     * reordered fails the read with an {@link IOException}.
     *
     * @throws java.nio.file.NoSuchFileException when retention shredded the data key that sealed it
     */
    InputStream open(InputStream stored) throws IOException;

    /** The data key a stored object names, from its first bytes; empty when it is stored in clear. */
    Optional<String> keyId(byte[] head);

    /** The size of the clear bytes of a stored object of {@code storedSize} bytes starting with {@code head}. */
    long clearSize(byte[] head, long storedSize);
}

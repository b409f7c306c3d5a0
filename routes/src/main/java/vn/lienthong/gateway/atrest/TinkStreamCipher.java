package vn.lienthong.gateway.atrest;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * {@link StreamCipher} with Tink's streaming AEAD {@link AesGcmHkdfStreaming} (segment-wise AES-256-GCM,
 * a fresh key per stream derived by HKDF-SHA256 from the data key and a random salt), under the data
 * keys of {@link DataKeys} in scope {@link BodyCipher#ATTACHMENT}: rotation and shredding work as
 * for bodies. A sealed object is a header (a magic number, then the data key's id), authenticated as
 * the stream's associated data, then Tink's ciphertext. Only one segment is held in memory.
 */
public final class TinkStreamCipher implements StreamCipher {

    /** Starts every sealed object; differs from the bodies' magic so the two are never confused. */
    private static final byte[] MAGIC = {0x00, 'L', 'T', 'A', 0x01};
    /** 256 KiB segments: what a reader or writer holds at once, per stream. */
    private static final int SEGMENT = 256 * 1024;
    private static final int KEY_BYTES = 32;

    private final DataKeys keys;
    private final Map<String, AesGcmHkdfStreaming> aeads = new ConcurrentHashMap<>();

    /** Seals with the attachment data keys of {@code keys}. */
    public TinkStreamCipher(DataKeys keys) {
        this.keys = keys;
    }

    @Override
    public Sealing seal(OutputStream stored) throws IOException {
        DataKeys.DataKey key = keys.current(BodyCipher.ATTACHMENT);
        byte[] header = header(key.id());
        stored.write(header);
        try {
            return new Sealing(key.id(), aead(key.id(), key.key()).newEncryptingStream(stored, header));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an attachment could not be sealed under data key " + key.id(), e);
        }
    }

    @Override
    public InputStream open(InputStream stored) throws IOException {
        byte[] prefix = stored.readNBytes(MAGIC.length + 1);
        if (prefix.length <= MAGIC.length || !Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            // Stored before sealing was on: as it is.
            return new SequenceInputStream(new ByteArrayInputStream(prefix), stored);
        }
        int idLength = prefix[MAGIC.length] & 0xff;
        byte[] idBytes = stored.readNBytes(idLength);
        if (idBytes.length != idLength) {
            throw new IOException("a sealed attachment is cut short in its header");
        }
        String id = new String(idBytes, StandardCharsets.US_ASCII);
        SecretKey key = keys.byId(id).orElse(null);
        if (key == null) {
            stored.close();
            throw new NoSuchFileException("attachment sealed under data key " + id,
                    null, "the data key was shredded by a retention purge: the attachment is gone");
        }
        try {
            return aead(id, key).newDecryptingStream(stored, header(id));
        } catch (GeneralSecurityException e) {
            throw new IOException("an attachment sealed under data key " + id + " does not open", e);
        }
    }

    @Override
    public Optional<String> keyId(byte[] head) {
        if (head.length <= MAGIC.length || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        int idLength = head[MAGIC.length] & 0xff;
        if (head.length < MAGIC.length + 1 + idLength) {
            return Optional.empty();
        }
        return Optional.of(new String(head, MAGIC.length + 1, idLength, StandardCharsets.US_ASCII));
    }

    @Override
    public long clearSize(byte[] head, long storedSize) {
        Optional<String> id = keyId(head);
        if (id.isEmpty()) {
            return storedSize;
        }
        long ciphertext = storedSize - header(id.get()).length;
        AesGcmHkdfStreaming shape = shape();
        // The ciphertext's size grows with the clear size; find the clear size that gives it.
        long low = 0;
        long high = ciphertext;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (shape.expectedCiphertextSize(mid) < ciphertext) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        if (shape.expectedCiphertextSize(low) != ciphertext) {
            throw new IllegalStateException("a sealed attachment of " + storedSize + " bytes is cut short or altered");
        }
        return low;
    }

    private AesGcmHkdfStreaming aead(String id, SecretKey key) {
        return aeads.computeIfAbsent(id, k -> create(key.getEncoded()));
    }

    /** The sizes of the stream do not depend on the key: any key gives them. */
    private AesGcmHkdfStreaming shape() {
        return aeads.computeIfAbsent("", k -> create(new byte[KEY_BYTES]));
    }

    private static AesGcmHkdfStreaming create(byte[] ikm) {
        try {
            return new AesGcmHkdfStreaming(ikm, "HmacSha256", KEY_BYTES, SEGMENT, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the streaming AEAD cannot be made", e);
        }
    }

    private static byte[] header(String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(MAGIC.length + 1 + idBytes.length).put(MAGIC).put((byte) idBytes.length).put(idBytes)
                .array();
    }
}

package vn.lienthong.gateway.atrest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * {@link BodyCipher} with the JDK's AES/GCM/NoPadding: a sealed body is a header (a magic number,
 * then the data key's id) authenticated as associated data, a random 96-bit nonce, and the cipher
 * text with its 128-bit tag. Bytes without the magic number were stored before sealing began and
 * open as they are.
 */
public final class AesGcmBodyCipher implements BodyCipher {

    /** Starts every sealed body; a NUL first byte never starts the JSON, XML or CSV the gateway stores. */
    private static final byte[] MAGIC = {0x00, 'L', 'T', 0x01};
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final DataKeys keys;
    private final SecureRandom random = new SecureRandom();
    /**
     * One cipher per thread, initialised afresh for each body: {@code Cipher.getInstance} walks the
     * providers, and a cipher re-initialised with the same key keeps its expanded key schedule.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    });

    /** Seals with the data keys of {@code keys}. */
    public AesGcmBodyCipher(DataKeys keys) {
        this.keys = keys;
    }

    @Override
    public byte[] seal(byte[] clear, String scope) {
        if (clear == null) {
            return null;
        }
        DataKeys.DataKey key = keys.current(scope);
        byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        byte[] header = ByteBuffer.allocate(MAGIC.length + 1 + id.length).put(MAGIC).put((byte) id.length).put(id).array();
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(clear);
            return ByteBuffer.allocate(header.length + NONCE + sealed.length).put(header).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a body could not be sealed under data key " + key.id(), e);
        }
    }

    @Override
    public byte[] open(byte[] stored) {
        if (stored == null || !sealed(stored)) {
            return stored;
        }
        int idLength = stored[MAGIC.length] & 0xff;
        int headerLength = MAGIC.length + 1 + idLength;
        String id = new String(stored, MAGIC.length + 1, idLength, StandardCharsets.US_ASCII);
        SecretKey key = keys.byId(id).orElseThrow(() -> new ShreddedBodyException(id));
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, headerLength, NONCE));
            cipher.updateAAD(stored, 0, headerLength);
            return cipher.doFinal(stored, headerLength + NONCE, stored.length - headerLength - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a body sealed under data key " + id + " does not open: altered, or the"
                    + " wrong key store", e);
        }
    }

    /** Whether stored bytes are a sealed body (else they were stored in clear). */
    public static boolean sealed(byte[] stored) {
        return stored.length > MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** A body whose data key a retention purge deleted: it is gone for good. */
    public static final class ShreddedBodyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ShreddedBodyException(String keyId) {
            super("the body's data key " + keyId + " was shredded by a retention purge: the body is gone");
        }
    }
}

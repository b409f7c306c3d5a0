package vn.lienthong.gateway.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (AES-256) in a PKCS12 key store: the configured alias wraps new data
 * keys; every AES entry unwraps the data keys it wrapped, so a new key-encryption key (a new alias)
 * needs no rewrapping. As with the receipt key, the embedded default generates the store once;
 * production requires one configured.
 */
public final class KeyEncryptionKeys {

    /** The alias the embedded default generates. */
    public static final String EMBEDDED_ALIAS = "lienthong-kek-1";

    private final String current;
    private final Map<String, SecretKey> keys;

    private KeyEncryptionKeys(String current, Map<String, SecretKey> keys) {
        this.current = current;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * The configured store: with {@code generate} (the embedded default only) made with one new key
     * when the file does not exist yet; otherwise it must exist.
     *
     * @throws IllegalStateException naming the setting or the store and what is wrong (never the password)
     */
    public static KeyEncryptionKeys configured(String keyStore, String password, String alias, boolean generate) {
        if (keyStore == null || keyStore.isBlank()) {
            throw new IllegalStateException("no key-encryption key: message bodies are stored encrypted, so the gateway"
                    + " needs a PKCS12 key store holding an AES key; set lienthong.at-rest.key-store,"
                    + " lienthong.at-rest.key-store-password and lienthong.at-rest.key-alias (in production: the"
                    + " environment variables LIENTHONG_AT_REST_KEY_STORE, LIENTHONG_AT_REST_KEY_STORE_PASSWORD,"
                    + " LIENTHONG_AT_REST_KEY_ALIAS)");
        }
        char[] secret = password == null ? new char[0] : password.toCharArray();
        Path store = Path.of(keyStore);
        if (generate && !Files.exists(store)) {
            generate(store, secret);
        }
        if (!Files.isRegularFile(store)) {
            throw new IllegalStateException("the key-encryption key store " + store.toAbsolutePath()
                    + " (lienthong.at-rest.key-store) does not exist");
        }
        return load(store, secret, alias == null || alias.isBlank() ? null : alias);
    }

    /** Reads a store; {@code alias} (null: the store's only AES key) wraps new data keys. */
    public static KeyEncryptionKeys load(Path store, char[] password, String alias) {
        Map<String, SecretKey> keys = new HashMap<>();
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String name : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(name)) {
                    Key key = ks.getKey(name, password);
                    if (key instanceof SecretKey secret && "AES".equalsIgnoreCase(secret.getAlgorithm())) {
                        keys.put(name, new SecretKeySpec(secret.getEncoded(), "AES"));
                    }
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the key-encryption key store " + store.toAbsolutePath()
                    + " cannot be read (is it a PKCS12 file and the password right?): " + e.getMessage(), e);
        }
        if (alias == null) {
            if (keys.size() != 1) {
                throw new IllegalStateException("the key-encryption key store " + store.toAbsolutePath() + " holds "
                        + keys.size() + " AES keys: name the current one in lienthong.at-rest.key-alias");
            }
            alias = keys.keySet().iterator().next();
        } else if (!keys.containsKey(alias)) {
            throw new IllegalStateException("the key-encryption key store " + store.toAbsolutePath()
                    + " holds no AES key " + alias + " (lienthong.at-rest.key-alias); it holds " + keys.keySet());
        }
        return new KeyEncryptionKeys(alias, keys);
    }

    /** Creates a store with one new AES-256 key under {@link #EMBEDDED_ALIAS}, written whole or not at all. */
    static void generate(Path store, char[] password) {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, password);
            ks.setEntry(EMBEDDED_ALIAS, new KeyStore.SecretKeyEntry(generator.generateKey()),
                    new KeyStore.PasswordProtection(password));
            Path parent = store.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".kek-", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                ks.store(out, password);
            }
            try {
                // A hard link fails if the store exists: two instances starting at once keep the first key.
                Files.createLink(store, temp);
            } catch (java.nio.file.FileAlreadyExistsException another) {
                // made by another instance meanwhile: use that one
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the key-encryption key store " + store.toAbsolutePath()
                    + " could not be created: " + e.getMessage(), e);
        }
    }

    /** The alias that wraps new data keys. */
    public String current() {
        return current;
    }

    /** A data key wrapped (AES key wrap, RFC 3394) by the current key. */
    byte[] wrap(SecretKey dataKey) {
        try {
            Cipher wrap = Cipher.getInstance("AESWrap");
            wrap.init(Cipher.WRAP_MODE, keys.get(current));
            return wrap.wrap(dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a data key could not be wrapped with " + current, e);
        }
    }

    /** A data key unwrapped by the key that wrapped it. */
    SecretKey unwrap(String alias, byte[] wrapped) {
        SecretKey kek = keys.get(alias);
        if (kek == null) {
            throw new IllegalStateException("the key-encryption key " + alias + " that wrapped a data key is not in the"
                    + " key store (lienthong.at-rest.key-store): keep retired keys in the store");
        }
        try {
            Cipher unwrap = Cipher.getInstance("AESWrap");
            unwrap.init(Cipher.UNWRAP_MODE, kek);
            return (SecretKey) unwrap.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a data key could not be unwrapped with " + alias, e);
        }
    }
}

package vn.lienthong.gateway.receipts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's receipt keys, read from a PKCS12 key store: the one that signs (the configured
 * alias) and the public keys of every entry, published so that receipts signed before a key
 * rollover still verify. Keys are named by their RFC 7638 thumbprint ({@code kid}).
 */
public final class ReceiptKeys {

    /** The key store type the gateway reads and writes. */
    public static final String STORE_TYPE = "PKCS12";
    /** The alias of the key the embedded default generates. */
    public static final String EMBEDDED_ALIAS = "lienthong-receipts";

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptKeys.class);
    /** keytool reads the store password from this variable, so it never appears on a command line. */
    private static final String PASSWORD_VARIABLE = "LIENTHONG_RECEIPTS_STORE_PASSWORD";

    private final String signingAlias;
    private final PrivateKey signingKey;
    private final JWK signingPublicKey;
    private final JWKSet publicKeys;

    private ReceiptKeys(String signingAlias, PrivateKey signingKey, JWK signingPublicKey, JWKSet publicKeys) {
        this.signingAlias = signingAlias;
        this.signingKey = signingKey;
        this.signingPublicKey = signingPublicKey;
        this.publicKeys = publicKeys;
    }

    /**
     * The keys the settings name ({@code lienthong.receipts.*}): the key store, generated first
     * when {@code generate} is set and it does not exist yet.
     *
     * @throws IllegalStateException when no key store is configured: a gateway never sends unsigned receipts
     */
    public static ReceiptKeys configured(String keyStore, String password, String alias, boolean generate) {
        if (keyStore == null || keyStore.isBlank()) {
            throw new IllegalStateException("no receipt signing key: the gateway signs every receipt, so it needs a"
                    + " PKCS12 key store; set lienthong.receipts.key-store, lienthong.receipts.key-store-password and"
                    + " lienthong.receipts.key-alias (in production: the environment variables"
                    + " LIENTHONG_RECEIPTS_KEY_STORE, LIENTHONG_RECEIPTS_KEY_STORE_PASSWORD, LIENTHONG_RECEIPTS_KEY_ALIAS)");
        }
        char[] secret = password == null ? new char[0] : password.toCharArray();
        Path store = Path.of(keyStore);
        if (generate) {
            return loadOrGenerate(store, secret);
        }
        if (!Files.isRegularFile(store)) {
            throw new IllegalStateException("the receipt key store " + store.toAbsolutePath()
                    + " (lienthong.receipts.key-store) does not exist");
        }
        return load(store, secret, alias);
    }

    /**
     * Reads a PKCS12 key store. {@code alias} names the signing key; blank, the store must hold
     * exactly one private key. Every entry with a certificate is published.
     *
     * @throws IllegalStateException naming the store and what is wrong with it (never the password)
     */
    public static ReceiptKeys load(Path store, char[] password, String alias) {
        KeyStore keyStore;
        try (InputStream in = Files.newInputStream(store)) {
            keyStore = KeyStore.getInstance(STORE_TYPE);
            keyStore.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the receipt key store " + store.toAbsolutePath()
                    + " cannot be read (is it a PKCS12 file and the password right?): " + e.getMessage(), e);
        }
        try {
            String signing = signingAlias(keyStore, store, alias);
            Key key = keyStore.getKey(signing, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalStateException("the entry " + signing + " of the receipt key store "
                        + store.toAbsolutePath() + " holds no private key");
            }
            List<JWK> published = new ArrayList<>();
            JWK signingPublic = null;
            for (String a : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(a);
                if (certificate == null) {
                    continue;
                }
                Optional<JWK> jwk = publicJwk(certificate.getPublicKey());
                if (jwk.isEmpty()) {
                    LOG.warn("receipt key store entry {} is neither an EC (P-256, P-384, P-521) nor an RSA key:"
                            + " not published", a);
                    continue;
                }
                published.add(jwk.get());
                if (a.equals(signing)) {
                    signingPublic = jwk.get();
                }
            }
            if (signingPublic == null) {
                throw new IllegalStateException("the entry " + signing + " of the receipt key store "
                        + store.toAbsolutePath() + " has no certificate with an EC (P-256, P-384, P-521) or RSA key");
            }
            LOG.info("receipts signed with key {} ({}) of {}; {} key(s) published", signingPublic.getKeyID(),
                    signingPublic.getAlgorithm(), store.toAbsolutePath(), published.size());
            return new ReceiptKeys(signing, privateKey, signingPublic, new JWKSet(published));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the receipt key store " + store.toAbsolutePath()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The key store at {@code store}, generated first (an EC P-256 key under {@link #EMBEDDED_ALIAS},
     * with the JDK's keytool) if there is none: the embedded default signs with a key of its own
     * that outlives restarts, so its receipts stay verifiable.
     */
    public static ReceiptKeys loadOrGenerate(Path store, char[] password) {
        try {
            Files.createDirectories(store.toAbsolutePath().getParent());
            // One generator at a time, across threads and processes sharing the data directory.
            Path lockFile = store.resolveSibling(store.getFileName() + ".lock");
            synchronized (ReceiptKeys.class) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = channel.lock()) {
                    if (!Files.exists(store)) {
                        generate(store, password);
                        LOG.info("generated a receipt signing key in {}", store.toAbsolutePath());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot generate the receipt key store " + store.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        return load(store, password, EMBEDDED_ALIAS);
    }

    private static void generate(Path store, char[] password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("this Java runtime has no keytool (" + keytool
                    + "): configure a key store in lienthong.receipts.key-store instead");
        }
        Path temp = store.resolveSibling("." + store.getFileName() + ".new");
        Files.deleteIfExists(temp);
        ProcessBuilder command = new ProcessBuilder(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", EMBEDDED_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=lienthong gateway receipts (embedded default)", "-validity", "36500",
                "-storetype", STORE_TYPE, "-keystore", temp.toString(), "-storepass:env", PASSWORD_VARIABLE)
                .redirectErrorStream(true);
        command.environment().put(PASSWORD_VARIABLE, new String(password));
        Process process = command.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool generated the key", e);
        }
        Files.move(temp, store, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String signingAlias(KeyStore keyStore, Path store, String alias) throws GeneralSecurityException {
        List<String> withKeys = new ArrayList<>();
        for (String a : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(a)) {
                withKeys.add(a);
            }
        }
        if (alias != null && !alias.isBlank()) {
            if (!keyStore.containsAlias(alias)) {
                throw new IllegalStateException("the receipt key store " + store.toAbsolutePath() + " has no entry "
                        + alias + " (lienthong.receipts.key-alias); its entries with keys: " + withKeys);
            }
            return alias;
        }
        if (withKeys.size() != 1) {
            throw new IllegalStateException("the receipt key store " + store.toAbsolutePath() + " holds "
                    + withKeys.size() + " private keys " + withKeys
                    + ": name the signing one in lienthong.receipts.key-alias");
        }
        return withKeys.get(0);
    }

    /** A public key as a JWK with its algorithm, use and thumbprint kid; empty for other key types. */
    static Optional<JWK> publicJwk(PublicKey key) {
        try {
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                JWSAlgorithm algorithm = curve == null ? null : switch (curve.getName()) {
                    case "P-256" -> JWSAlgorithm.ES256;
                    case "P-384" -> JWSAlgorithm.ES384;
                    case "P-521" -> JWSAlgorithm.ES512;
                    default -> null;
                };
                if (algorithm == null) {
                    return Optional.empty();
                }
                return Optional.of(new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                        .keyIDFromThumbprint().build());
            }
            if (key instanceof RSAPublicKey rsa) {
                return Optional.of(new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                        .keyIDFromThumbprint().build());
            }
            return Optional.empty();
        } catch (JOSEException e) {
            throw new IllegalStateException("the thumbprint of a receipt key cannot be computed", e);
        }
    }

    /** The alias of the key that signs. */
    public String signingAlias() {
        return signingAlias;
    }

    /** The private key that signs; it never leaves this package's signer. */
    PrivateKey signingKey() {
        return signingKey;
    }

    /** The public half of the signing key, with its kid and algorithm. */
    public JWK signingPublicKey() {
        return signingPublicKey;
    }

    /** The public keys of every entry: what {@code GET /api/v1/keys} publishes. */
    public JWKSet publicKeys() {
        return publicKeys;
    }

    @Override
    public String toString() {
        return "ReceiptKeys[signing " + signingPublicKey.getKeyID() + ", " + publicKeys.size() + " published]";
    }
}

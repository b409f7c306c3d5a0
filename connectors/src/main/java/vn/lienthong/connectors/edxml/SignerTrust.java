package vn.lienthong.connectors.edxml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The certificates whose keys may sign an agency's edXML documents, by agency code: a signed
 * document verifies only with a certificate configured for its sender. The gateway builds it from
 * its configuration (a folder of certificates or a key store); the connector knows no registry.
 */
public final class SignerTrust {

    private static final Pattern AGENCY = Pattern.compile("[A-Z][A-Z0-9]*(\\.[A-Z0-9]+)*");

    private final Map<String, List<X509Certificate>> byAgency;

    private SignerTrust(Map<String, List<X509Certificate>> byAgency) {
        Map<String, List<X509Certificate>> copy = new TreeMap<>();
        byAgency.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byAgency = Collections.unmodifiableMap(copy);
    }

    /** No certificates: every signed document is refused as unverifiable, unsigned ones pass as unsigned. */
    public static SignerTrust none() {
        return new SignerTrust(Map.of());
    }

    /** Exactly these certificates per agency code. */
    public static SignerTrust of(Map<String, List<X509Certificate>> byAgency) {
        return new SignerTrust(byAgency);
    }

    /**
     * The certificates of a folder: each file {@code <AGENCY CODE>[-anything].pem|.crt|.cer} holds
     * one or more certificates (PEM or DER) of that agency, e.g. {@code PROV.37.pem},
     * {@code PROV.37-2026.crt}. Other files are ignored; a file that names an agency and does not
     * hold certificates fails the start.
     *
     * @throws IllegalArgumentException naming the file that cannot be read
     */
    public static SignerTrust fromDirectory(Path dir) {
        Map<String, List<X509Certificate>> map = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (!Files.isRegularFile(file) || !(lower.endsWith(".pem") || lower.endsWith(".crt") || lower.endsWith(".cer"))) {
                    continue;
                }
                String stem = name.substring(0, name.lastIndexOf('.'));
                int dash = stem.indexOf('-');
                String agency = dash < 0 ? stem : stem.substring(0, dash);
                if (!AGENCY.matcher(agency).matches()) {
                    throw new IllegalArgumentException(file + ": the file name must start with an agency code (e.g. PROV.37.pem)");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    List<X509Certificate> certs = new ArrayList<>();
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        certs.add((X509Certificate) c);
                    }
                    if (certs.isEmpty()) {
                        throw new IllegalArgumentException(file + " holds no certificate");
                    }
                    map.computeIfAbsent(agency, k -> new ArrayList<>()).addAll(certs);
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(file + " is not a PEM or DER X.509 certificate: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the signer certificates folder " + dir + " cannot be read", e);
        }
        return new SignerTrust(map);
    }

    /**
     * The certificate entries of a key store, each alias {@code <AGENCY CODE>} or
     * {@code <AGENCY CODE>:<anything>} (aliases are lower-cased by some key stores: read upper-case).
     */
    public static SignerTrust fromKeyStore(KeyStore store) {
        Map<String, List<X509Certificate>> map = new LinkedHashMap<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate c = store.getCertificate(alias);
                if (!(c instanceof X509Certificate x509)) {
                    continue;
                }
                String upper = alias.toUpperCase(Locale.ROOT);
                String agency = upper.contains(":") ? upper.substring(0, upper.indexOf(':')) : upper;
                if (AGENCY.matcher(agency).matches()) {
                    map.computeIfAbsent(agency, k -> new ArrayList<>()).add(x509);
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("the key store cannot be read: " + e.getMessage(), e);
        }
        return new SignerTrust(map);
    }

    /** The certificates configured for an agency, possibly none. */
    public List<X509Certificate> certificates(String agency) {
        return byAgency.getOrDefault(agency, List.of());
    }

    /** The agencies with at least one certificate. */
    public java.util.Set<String> agencies() {
        return byAgency.keySet();
    }
}

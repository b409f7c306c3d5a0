package vn.lienthong.gateway.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a channel's inputs must carry their format's own verified signature (edXML's XML-DSig,
 * Decree 30/2020) or may come unsigned, authenticated by the channel alone.
 */
public enum Signatures {
    /** Unsigned inputs are accepted and recorded as unsigned (the default). */
    OPTIONAL,
    /** An unsigned input is refused (SIGNATURE_REQUIRED); only for formats whose connector verifies signatures. */
    REQUIRED;

    /** The name used in {@code agencies.yaml}: {@code optional} or {@code required}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting for its YAML name, if it is one. */
    public static Optional<Signatures> fromYamlName(String name) {
        return Arrays.stream(values()).filter(s -> s.yamlName().equals(name)).findFirst();
    }
}

package vn.lienthong.gateway.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The transports an agency can be connected by. */
public enum ChannelKind {
    REST,
    JMS,
    KAFKA,
    SFTP;

    /** The name used in {@code agencies.yaml}: {@code rest}, {@code jms}, {@code kafka}, {@code sftp}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for its YAML name, if it is one. */
    public static Optional<ChannelKind> fromYamlName(String name) {
        return Arrays.stream(values()).filter(k -> k.yamlName().equals(name)).findFirst();
    }
}

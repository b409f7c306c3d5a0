package vn.lienthong.gateway.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How deliveries reach an agency on a REST channel. */
public enum Delivery {
    /** The agency fetches its inbox from the gateway. */
    PULL,
    /** The gateway POSTs each delivery to the agency's URL. */
    PUSH;

    /** The name used in {@code agencies.yaml}: {@code pull} or {@code push}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The delivery mode for its YAML name, if it is one. */
    public static Optional<Delivery> fromYamlName(String name) {
        return Arrays.stream(values()).filter(d -> d.yamlName().equals(name)).findFirst();
    }
}

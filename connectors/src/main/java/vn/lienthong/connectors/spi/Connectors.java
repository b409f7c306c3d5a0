package vn.lienthong.connectors.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The connectors on the classpath, by format name (declared in META-INF/services). */
public final class Connectors {

    private final Map<String, Connector> byFormat;

    private Connectors(Collection<Connector> connectors) {
        Map<String, Connector> map = new TreeMap<>();
        for (Connector c : connectors) {
            Connector earlier = map.put(c.format(), c);
            if (earlier != null) {
                throw new IllegalStateException("two connectors for format " + c.format() + ": "
                        + earlier.getClass().getName() + " and " + c.getClass().getName());
            }
        }
        this.byFormat = Map.copyOf(map);
    }

    /** Every connector found by {@link ServiceLoader}. */
    public static Connectors discover() {
        return new Connectors(ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    /** Exactly these connectors (tests, embedding). */
    public static Connectors of(Connector... connectors) {
        return new Connectors(List.of(connectors));
    }

    /** These connectors with {@code replacement} in place of the one of its format (e.g. configured from the registry). */
    public Connectors replacing(Connector replacement) {
        Map<String, Connector> map = new TreeMap<>(byFormat);
        map.put(replacement.format(), replacement);
        return new Connectors(map.values());
    }

    /** The connector of a format. */
    public Optional<Connector> forFormat(String format) {
        return Optional.ofNullable(byFormat.get(format));
    }

    /** The formats whose connector verifies signatures of their own ({@link Connector#verifiesSignatures()}). */
    public Set<String> signedFormats() {
        return byFormat.values().stream().filter(Connector::verifiesSignatures).map(Connector::format)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The format names served. */
    public Set<String> formats() {
        return byFormat.keySet();
    }
}

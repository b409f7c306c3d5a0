package vn.lienthong.gateway.registry;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in force, replaced whole when a changed file has been read and checked: whoever holds
 * this (and reads {@link #get()} per use) sees the new registry at once; listeners adapt what was
 * built from the old one (ingress routes of new channels, the agencies the directory follows, the
 * edXML organ ids, retry policies, metrics and health gauges per agency: see {@link #derived}).
 * The replacement is the one reload event: nothing polls the registry for changes.
 */
public final class LiveRegistry implements Supplier<Registry> {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRegistry.class);

    private final AtomicReference<Registry> current;
    private final List<BiConsumer<Registry, Registry>> listeners = new CopyOnWriteArrayList<>();

    /** Holds {@code initial} until it is replaced. */
    public LiveRegistry(Registry initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The registry in force. */
    @Override
    public Registry get() {
        return current.get();
    }

    /**
     * A value made from the registry in force, made again on each replacement (before later
     * listeners run): what is derived from the registry (organ ids, retry policies, party lists)
     * follows a reload without being rebuilt at each use. A derivation that fails on a new registry
     * keeps the last value and is logged.
     */
    public <T> Supplier<T> derived(Function<Registry, T> derive) {
        Objects.requireNonNull(derive, "derive");
        AtomicReference<T> value = new AtomicReference<>(derive.apply(get()));
        onChange((previous, next) -> value.set(derive.apply(next)));
        return value::get;
    }

    /** Tells {@code listener} (old, new) after each replacement, in the order listeners were added. */
    public void onChange(BiConsumer<Registry, Registry> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Puts {@code next} in force and tells the listeners; a listener that fails is logged and the
     * others still run (the registry itself is replaced either way: it was checked whole).
     */
    public void replace(Registry next) {
        Registry previous = current.getAndSet(Objects.requireNonNull(next, "next"));
        for (BiConsumer<Registry, Registry> listener : listeners) {
            try {
                listener.accept(previous, next);
            } catch (RuntimeException e) {
                LOG.error("a registry listener failed to adapt to the new registry", e);
            }
        }
    }
}

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
    private final List<Derived<?>> derived = new CopyOnWriteArrayList<>();

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
     * A value made from the registry in force, made again from each new registry before it is put
     * in force (and before the listeners run): what is derived from the registry (organ ids, retry
     * policies, health checks) follows a reload without being rebuilt at each use. A new registry
     * that a derivation refuses (it throws) is refused whole: see {@link #replace}.
     */
    public <T> Supplier<T> derived(Function<Registry, T> derive) {
        Derived<T> value = new Derived<>(Objects.requireNonNull(derive, "derive"), derive.apply(get()));
        derived.add(value);
        return value.current::get;
    }

    /** A derived value and how it is made. */
    private record Derived<T>(Function<Registry, T> derive, AtomicReference<T> current) {
        Derived(Function<Registry, T> derive, T initial) {
            this(derive, new AtomicReference<>(initial));
        }

        /** Makes the value for {@code next}; the returned step puts it in force. */
        Runnable prepare(Registry next) {
            T value = derive.apply(next);
            return () -> current.set(value);
        }
    }

    /** Tells {@code listener} (old, new) after each replacement, in the order listeners were added. */
    public void onChange(BiConsumer<Registry, Registry> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Puts {@code next} in force and tells the listeners; a listener that fails is logged and the
     * others still run (the registry itself is replaced either way: it was checked whole).
     *
     * @throws RegistryException if a derived value cannot be made from {@code next} (e.g. an
     *     agency's retry policy that the gateway's defaults make invalid): nothing is replaced
     */
    public void replace(Registry next) {
        prepare(next).run();
    }

    /**
     * Makes what is derived from {@code next} without putting anything in force yet; the returned
     * step puts {@code next} and those values in force and tells the listeners (as {@link #replace}).
     *
     * @throws RegistryException if a derived value cannot be made from {@code next}
     */
    public synchronized Runnable prepare(Registry next) {
        Objects.requireNonNull(next, "next");
        List<Runnable> steps = new java.util.ArrayList<>();
        for (Derived<?> value : derived) {
            try {
                steps.add(value.prepare(next));
            } catch (RuntimeException e) {
                throw new RegistryException(List.of(new Problem("registry", 0, "the gateway cannot use it: "
                        + e.getMessage())), e);
            }
        }
        return () -> putInForce(next, steps);
    }

    private synchronized void putInForce(Registry next, List<Runnable> steps) {
        Registry previous = current.getAndSet(next);
        steps.forEach(Runnable::run);
        for (BiConsumer<Registry, Registry> listener : listeners) {
            try {
                listener.accept(previous, next);
            } catch (RuntimeException e) {
                LOG.error("a registry listener failed to adapt to the new registry", e);
            }
        }
    }
}

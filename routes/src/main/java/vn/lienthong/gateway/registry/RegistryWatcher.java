package vn.lienthong.gateway.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the registry file when it changes: polls its SHA-256 (a file watch misses edits on some
 * mounts, and a hash ignores a touch that changes nothing), checks the new text whole, and only then
 * puts it in force. A broken file keeps the registry in force, logs every problem with file and line,
 * and shows in metrics ({@code lienthong_registry_reloads_total{outcome}} and
 * {@code lienthong_registry_file_broken}, 1 while the file on disk is the broken one).
 */
public final class RegistryWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

    private final Path file;
    private final LiveRegistry live;
    private final Duration interval;
    private final Counter reloaded;
    private final Counter refused;
    private final AtomicInteger broken = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-watcher");
        t.setDaemon(true);
        return t;
    });
    private volatile String hash;
    private volatile String lastProblem;

    /** A watcher of {@code file}, whose current content is what {@code live} holds. */
    public RegistryWatcher(Path file, LiveRegistry live, Duration interval, MeterRegistry meters) {
        this.file = Objects.requireNonNull(file, "file");
        this.live = Objects.requireNonNull(live, "live");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.hash = hashOf(file);
        this.reloaded = Counter.builder("lienthong.registry.reloads").tag("outcome", "reloaded")
                .description("registry file changes put in force").register(meters);
        this.refused = Counter.builder("lienthong.registry.reloads").tag("outcome", "refused")
                .description("registry file changes refused (the registry in force stays)").register(meters);
        Gauge.builder("lienthong.registry.file.broken", broken, AtomicInteger::get)
                .description("1 while the registry file on disk has problems and the previous registry stays in force")
                .register(meters);
    }

    /** Starts polling (every interval, on its own thread). */
    public RegistryWatcher start() {
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("watching {} for changes every {}", file, interval);
        return this;
    }

    /** The problems of the last refused change, or null when the file in force is the file on disk. */
    public String lastProblem() {
        return lastProblem;
    }

    /**
     * Looks once: a changed file is checked and put in force, or refused with its problems.
     *
     * @return whether a new registry was put in force
     */
    public synchronized boolean check() {
        try {
            String now = hashOf(file);
            if (now == null || now.equals(hash)) {
                return false;
            }
            Registry next;
            Runnable putInForce;
            try {
                next = Registry.load(file);
                // Checked against what the gateway derives from it (retry policies, ...) before it is put in force.
                putInForce = live.prepare(next);
            } catch (RegistryException e) {
                hash = now; // reported once per content, not at every poll
                broken.set(1);
                lastProblem = e.getMessage();
                refused.increment();
                LOG.error("registry {} changed but has problems; the registry in force stays: {}", file,
                        e.getMessage().strip());
                return false;
            }
            hash = now;
            broken.set(0);
            lastProblem = null;
            putInForce.run();
            reloaded.increment();
            LOG.info("registry {} reloaded: {} agencies", file, next.agencies().size());
            return true;
        } catch (RuntimeException e) {
            LOG.error("registry {} could not be checked", file, e);
            return false;
        }
    }

    private static String hashOf(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            LOG.warn("registry {} cannot be read now ({}); the registry in force stays", file, e.toString());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

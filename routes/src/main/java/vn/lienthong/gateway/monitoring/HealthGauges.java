package vn.lienthong.gateway.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The channel checks of {@link ChannelHealth} as Prometheus gauges, so alert rules see them without
 * a probe: {@code lienthong_channel_up{channel}} (artemis, kafka, sftp; 1 while UP) and
 * {@code lienthong_recipient_reachable{recipient}} (1 while the push URL answers). Checked every
 * interval on a thread of its own, never during a scrape (a check may wait for its timeout).
 */
public final class HealthGauges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthGauges.class);

    private static final String REACHABLE = "lienthong_recipient_reachable";

    private final MeterRegistry meters;
    // Concurrent: a registry reload changes the recipients while the checking thread reads them.
    private final Map<String, HealthIndicator> checks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lienthong-health-gauges");
        t.setDaemon(true);
        return t;
    });

    /** Gauges of these channel servers and of each push recipient in {@code recipients}, refreshed every interval. */
    public HealthGauges(MeterRegistry meters, Map<String, HealthIndicator> channels, HealthContributor recipients,
            Duration interval) {
        this.meters = meters;
        channels.forEach((name, indicator) -> register("lienthong_channel_up",
                "1 while the gateway reaches this channel's server", "channel", name, indicator));
        recipients(recipients);
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Follows the push recipients {@code recipients} holds now (called again after a registry
     * reload): a new recipient gets its gauge, one no longer there loses it.
     */
    public synchronized void recipients(HealthContributor recipients) {
        Map<String, HealthIndicator> now = new java.util.LinkedHashMap<>();
        if (recipients instanceof CompositeHealthContributor composite) {
            composite.forEach(named -> {
                if (named.getContributor() instanceof HealthIndicator indicator) {
                    now.put(named.getName(), indicator);
                }
            });
        }
        for (String key : java.util.List.copyOf(checks.keySet())) {
            if (key.startsWith(REACHABLE + "|") && !now.containsKey(key.substring(REACHABLE.length() + 1))) {
                checks.remove(key);
                values.remove(key);
                Gauge gone = gauges.remove(key);
                if (gone != null) {
                    meters.remove(gone);
                }
            }
        }
        now.forEach((name, indicator) -> register(REACHABLE, "1 while the recipient's push URL answers",
                "recipient", name, indicator));
    }

    private void register(String metric, String description, String tag, String name, HealthIndicator indicator) {
        String key = metric + "|" + name;
        AtomicLong value = values.computeIfAbsent(key, k -> new AtomicLong());
        checks.put(key, indicator);
        gauges.computeIfAbsent(key, k -> Gauge.builder(metric, value, AtomicLong::get).description(description)
                .tag(tag, name).register(meters));
    }

    private void refresh() {
        checks.forEach((key, indicator) -> {
            AtomicLong value = values.get(key);
            if (value == null) {
                return;
            }
            try {
                value.set(Status.UP.equals(indicator.health().getStatus()) ? 1 : 0);
            } catch (RuntimeException e) {
                LOG.warn("health check {} failed: {}", key, e.toString());
                value.set(0);
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

package vn.lienthong.gateway.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.audit.AuditChainCheck;
import vn.lienthong.gateway.audit.AuditVerification;

/**
 * The gateway's metrics, read from the database every interval:
 *
 * <ul>
 *   <li>{@code lienthong_messages_total{sender,type,channel,outcome}} (accepted, refused) and
 *       {@code lienthong_deliveries_total{sender,recipient,type,channel,outcome}} (delivered,
 *       attempt_failed, failed, acknowledged, resent, abandoned), counted from the audit entries
 *       committed since the gateway started — what the hash-chained record says happened;</li>
 *   <li>{@code lienthong_delivery_latency_seconds{recipient,type,channel}}, accepted to delivered, a
 *       histogram;</li>
 *   <li>per recipient: {@code lienthong_backlog_pending}, {@code lienthong_backlog_oldest_age_seconds},
 *       {@code lienthong_deliveries_failed}, {@code lienthong_recipient_paused}; and
 *       {@code lienthong_quarantined_last_24h}, {@code lienthong_identity_available},
 *       {@code lienthong_audit_chain_intact} (0 once an entry read does not chain or hash).</li>
 * </ul>
 *
 * <p>Label values come from closed sets only: registry agency codes, message type names, channel
 * names, outcomes (a refused input's sender is the channel's owner, never the text it claimed). The
 * counts come from the shared audit log, so every instance reports the whole gateway's: aggregate
 * instances with {@code max}, not {@code sum}.
 */
public final class GatewayMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);
    private static final int BATCH = 5_000;
    private static final int COLUMNS = AuditChainCheck.COLUMNS.split(",").length;
    private static final Set<String> CHANNELS = Set.of("rest", "jms", "kafka", "sftp");
    private static final java.util.List<String> GAUGES = java.util.List.of("lienthong_backlog_pending",
            "lienthong_backlog_oldest_age_seconds", "lienthong_deliveries_failed", "lienthong_recipient_paused");

    private final DataSource dataSource;
    private final MeterRegistry meters;
    // Replaced whole when a registry reload changes the agencies (label values follow it).
    private volatile Set<String> agencies;
    private final Set<String> types;
    private final Duration interval;

    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oldestAge = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> paused = new ConcurrentHashMap<>();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong chainIntact = new AtomicLong(1);
    /** The traffic meters by their label values (closed sets: a bounded map). */
    private final Map<String, Object> counted = new ConcurrentHashMap<>();

    private long lastSeq = -1;
    /** Follows the chain from where the metrics started reading (null until then). */
    private AuditChainCheck chain;
    private ScheduledExecutorService scheduler;

    /**
     * Metrics of the gateway on {@code dataSource}, for these agencies and message types (the only
     * label values), read every {@code interval}.
     */
    public GatewayMetrics(DataSource dataSource, MeterRegistry meters, Collection<String> agencies,
            Collection<String> types, BooleanSupplier identityAvailable, Duration interval) {
        this.dataSource = dataSource;
        this.meters = meters;
        this.agencies = Set.of();
        this.types = Set.copyOf(types);
        this.interval = interval;
        agencies(agencies);
        Gauge.builder("lienthong_quarantined_last_24h", quarantined, AtomicLong::get)
                .description("inputs refused and quarantined in the last 24 hours").register(meters);
        // Micrometer holds a gauge's object weakly: this lambda has no other owner.
        Gauge.builder("lienthong_identity_available", identityAvailable, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while Keycloak has told the gateway recently which agencies are enabled")
                .strongReference(true).register(meters);
        Gauge.builder("lienthong_audit_chain_intact", chainIntact, AtomicLong::get)
                .description("0 once an audit entry read since start does not chain to the previous one or hash to its content")
                .register(meters);
    }

    /**
     * Follows the registry's agencies (at start, and after each reload): a new agency gets its
     * per-recipient gauges and counts under its own code from now on; an agency no longer in the
     * registry loses its gauges (its past counters stay, as counters do).
     */
    public synchronized void agencies(Collection<String> now) {
        Set<String> next = Set.copyOf(now);
        for (String gone : agencies) {
            if (!next.contains(gone)) {
                for (String name : GAUGES) {
                    Gauge gauge = meters.find(name).tag("recipient", gone).gauge();
                    if (gauge != null) {
                        meters.remove(gauge);
                    }
                }
                pending.remove(gone);
                oldestAge.remove(gone);
                failed.remove(gone);
                paused.remove(gone);
            }
        }
        for (String agency : next) {
            if (!agencies.contains(agency)) {
                gauge(GAUGES.get(0), "deliveries waiting to be sent (PENDING)", agency, pending);
                gauge(GAUGES.get(1), "age of the oldest PENDING delivery", agency, oldestAge);
                gauge(GAUGES.get(2), "deliveries FAILED, waiting for an operator", agency, failed);
                gauge(GAUGES.get(3), "1 while an operator has paused dispatch to the recipient", agency, paused);
            }
        }
        agencies = next;
    }

    private void gauge(String name, String description, String recipient, Map<String, AtomicLong> values) {
        AtomicLong value = values.computeIfAbsent(recipient, r -> new AtomicLong());
        Gauge.builder(name, value, AtomicLong::get).description(description).tag("recipient", recipient).register(meters);
    }

    /** Reads once now (from the audit's current end: counts start at zero), then every interval. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gateway-metrics");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** One round: new audit entries into counters, then the backlog gauges. Failures are logged and retried next round. */
    public synchronized void refresh() {
        try (Connection connection = dataSource.getConnection()) {
            if (lastSeq < 0) {
                startAtEnd(connection);
            }
            while (readAudit(connection) == BATCH) {
                // a long tail since the last round: keep reading
            }
            readBacklog(connection);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("metrics could not be read from the database: {}", e.toString());
        }
    }

    private void startAtEnd(Connection connection) throws SQLException {
        chain = AuditChainCheck.fromEnd(connection);
        lastSeq = chain.checked();
    }

    private int readAudit(Connection connection) throws SQLException {
        int read = 0;
        try (PreparedStatement ps = connection.prepareStatement("select " + AuditChainCheck.COLUMNS
                + ", case when a.action = 'DELIVERED' then extract(epoch from a.at - m.received_at) end"
                // The label values, picked by the database: no second parse of each detail here.
                + ", a.detail->>'sender', a.detail->>'type', a.detail->>'channel', a.detail->>'recipient',"
                + " a.detail->>'sourceAgency'"
                + AuditChainCheck.FROM + " left join message m"
                + " on a.action = 'DELIVERED' and m.message_id = (a.detail->>'messageId')::uuid"
                + " and m.sender = a.detail->>'sender' where a.seq > ? order by a.seq limit ?")) {
            ps.setLong(1, lastSeq);
            ps.setInt(2, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    long seq = rs.getLong(1);
                    if (chainIntact.get() == 1) {
                        AuditVerification.Broken broken = chain.next(rs);
                        if (broken != null) {
                            chainIntact.set(0);
                            LOG.error("audit entry {} does not verify ({}): run audit-verify", broken.seq(),
                                    broken.why());
                        }
                    }
                    double latency = rs.getDouble(COLUMNS + 1);
                    Double latencySeconds = rs.wasNull() ? null : latency;
                    count(rs.getString(4), new Labels(rs.getString(COLUMNS + 2), rs.getString(COLUMNS + 3),
                            rs.getString(COLUMNS + 4), rs.getString(COLUMNS + 5), rs.getString(COLUMNS + 6)),
                            latencySeconds);
                    lastSeq = seq;
                }
            }
        }
        return read;
    }

    /** The label-bearing members of an audit entry's detail (null where absent). */
    private record Labels(String sender, String type, String channel, String recipient, String sourceAgency) {
        Labels {
            // An absent member is no label value (the closed sets hold no null).
            sender = sender == null ? "" : sender;
            type = type == null ? "" : type;
            channel = channel == null ? "" : channel;
            recipient = recipient == null ? "" : recipient;
            sourceAgency = sourceAgency == null ? "" : sourceAgency;
        }
    }

    private void count(String action, Labels detail, Double latencySeconds) {
        String sender = agency(detail.sender());
        String type = type(detail.type());
        String channel = channel(detail.channel());
        switch (action) {
            case "MESSAGE_ACCEPTED" -> messages(sender, type, channel, "accepted");
            case "INPUT_QUARANTINED" -> messages(agency(detail.sourceAgency()), "unknown", channel, "refused");
            case "DELIVERED" -> {
                deliveries(sender, detail, type, channel, "delivered");
                if (latencySeconds != null) {
                    String recipient = agency(detail.recipient());
                    meter(String.join("|", "latency", recipient, type, channel),
                            () -> Timer.builder("lienthong_delivery_latency").description("from acceptance to delivery")
                                    .tags("recipient", recipient, "type", type, "channel", channel)
                                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                                    .maximumExpectedValue(Duration.ofDays(1)).register(meters), Timer.class)
                            .record(Duration.ofNanos((long) (latencySeconds * 1_000_000_000L)));
                }
            }
            case "DELIVERY_ATTEMPT_FAILED" -> deliveries(sender, detail, type, channel, "attempt_failed");
            case "DELIVERY_FAILED" -> deliveries(sender, detail, type, channel, "failed");
            case "ACKNOWLEDGED" -> deliveries(sender, detail, type, channel, "acknowledged");
            case "RESENT" -> deliveries(sender, detail, type, channel, "resent");
            case "ABANDONED" -> deliveries(sender, detail, type, channel, "abandoned");
            default -> {
                // other entries (an operator reading bytes, pausing) are not traffic
            }
        }
    }

    private void messages(String sender, String type, String channel, String outcome) {
        meter(String.join("|", "messages", sender, type, channel, outcome),
                () -> Counter.builder("lienthong_messages").description("inputs accepted or refused")
                        .tags("sender", sender, "type", type, "channel", channel, "outcome", outcome)
                        .register(meters), Counter.class).increment();
    }

    private void deliveries(String sender, Labels detail, String type, String channel, String outcome) {
        String recipient = agency(detail.recipient());
        meter(String.join("|", "deliveries", sender, recipient, type, channel, outcome),
                () -> Counter.builder("lienthong_deliveries").description("delivery outcomes")
                        .tags("sender", sender, "recipient", recipient, "type", type, "channel", channel,
                                "outcome", outcome)
                        .register(meters), Counter.class).increment();
    }

    /**
     * The meter of these label values, registered once: building the tags and looking the meter up in
     * the registry for every audit entry cost more than counting it.
     */
    private <M> M meter(String key, java.util.function.Supplier<M> register, Class<M> kind) {
        return kind.cast(counted.computeIfAbsent(key, k -> register.get()));
    }

    private String agency(String code) {
        return agencies.contains(code) ? code : "unknown";
    }

    private String type(String type) {
        return types.contains(type) ? type : "unknown";
    }

    private static String channel(String channel) {
        return CHANNELS.contains(channel) ? channel : "unknown";
    }

    /**
     * Each agency's PENDING and FAILED deliveries and its oldest PENDING one's age: one look-up per
     * agency (a lateral subquery on its code) in {@code delivery_backlog} (migration V5_12), index
     * ranges only, so the read costs in proportion to the backlog and never scans {@code delivery}
     * however large a share of the table the backlog is (a {@code group by recipient} over every
     * PENDING row became a sequential scan of the table then: the scaling run).
     */
    static final String BACKLOG = "select a.recipient, p.n, coalesce(extract(epoch from clock_timestamp() - p.oldest), 0), f.n"
            + " from unnest(?::text[]) a(recipient)"
            + " cross join lateral (select count(*) n, min(d.created_at) oldest from delivery d"
            + " where d.recipient = a.recipient and d.status = 'PENDING') p"
            + " cross join lateral (select count(*) n from delivery d where d.recipient = a.recipient and d.status = 'FAILED') f";

    private void readBacklog(Connection connection) throws SQLException {
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(BACKLOG)) {
            ps.setArray(1, connection.createArrayOf("text", agencies.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.put(rs.getString(1), new long[] {rs.getLong(2), (long) rs.getDouble(3), rs.getLong(4)});
                }
            }
        }
        for (String agency : agencies) {
            long[] v = seen.getOrDefault(agency, new long[3]);
            pending.get(agency).set(v[0]);
            oldestAge.get(agency).set(v[1]);
            failed.get(agency).set(v[2]);
            paused.get(agency).set(0);
        }
        try (PreparedStatement ps = connection.prepareStatement("select recipient from recipient_pause");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AtomicLong p = paused.get(rs.getString(1));
                if (p != null) {
                    p.set(1);
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "select count(*) from quarantine where received_at > clock_timestamp() - interval '24 hours'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            quarantined.set(rs.getLong(1));
        }
    }
}

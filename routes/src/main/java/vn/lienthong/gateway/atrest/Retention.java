package vn.lienthong.gateway.atrest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;

/**
 * The retention purge: message bodies (original and canonical) older than their classification's
 * period, and refused inputs' bytes older than the quarantine's, are nulled (body_purged_at set);
 * the data keys of periods wholly past the cutoff are deleted, so any other copy of those bodies
 * (a backup) cannot be read either. Metadata, receipts, deliveries and the audit stay. Each run
 * is one transaction with one audit entry that counts what it purged, so the chain still verifies.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** What one run purged: rows per scope, data keys shredded. */
    public record Report(Map<String, Integer> purged, List<String> shreddedKeys) {
        /** Whether the run purged anything. */
        public boolean any() {
            return !shreddedKeys.isEmpty() || purged.values().stream().anyMatch(n -> n > 0);
        }
    }

    /** Told, after a run committed, which data keys of a scope it shredded (to delete what they sealed). */
    @FunctionalInterface
    public interface Shredded {
        /** The keys of {@code scope} shredded by a run. */
        void shredded(String scope, List<String> keyIds);
    }

    private final List<Shredded> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final DataSource dataSource;
    private final DataKeys keys;
    private final Map<String, Duration> periods;
    private final Clock clock;
    private final AuditLog audit = new AuditLog();

    /** Purges per {@code periods} (classification or {@link BodyCipher#QUARANTINE} to how long bodies stay). */
    public Retention(DataSource dataSource, DataKeys keys, Map<String, Duration> periods, Clock clock) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.periods = new TreeMap<>(periods);
        this.clock = clock;
    }

    /** Adds a listener told of shredded keys after each run; returns this. */
    public Retention onShredded(Shredded listener) {
        listeners.add(listener);
        return this;
    }

    /** One run: purges, shreds, audits, in one transaction (the keys' deletion commits with it). */
    public Report purge() throws SQLException {
        Instant now = clock.instant();
        Map<String, Integer> purged = new LinkedHashMap<>();
        List<String> shredded = new ArrayList<>();
        Map<String, List<String>> shreddedByScope = new LinkedHashMap<>();
        Map<String, Object> detail = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Map.Entry<String, Duration> period : periods.entrySet()) {
                    String scope = period.getKey();
                    Instant cutoff = now.minus(period.getValue());
                    if (BodyCipher.ATTACHMENT.equals(scope)) {
                        // Attachments are not in the tables: shredding their keys is their purge.
                        List<String> ids = keys.shred(connection, scope, cutoff);
                        shredded.addAll(ids);
                        shreddedByScope.put(scope, ids);
                        detail.put(scope, Map.of("cutoff", cutoff.toString(), "dataKeysShredded", ids.size()));
                        continue;
                    }
                    String table = BodyCipher.QUARANTINE.equals(scope) ? "quarantine" : "message";
                    String sql = table.equals("message")
                            ? "update message set original = null, canonical = null, body_purged_at = ?"
                                    + " where classification = ? and received_at < ? and body_purged_at is null"
                            : "update quarantine set original = null, body_purged_at = ?"
                                    + " where received_at < ? and body_purged_at is null";
                    try (PreparedStatement ps = connection.prepareStatement(sql)) {
                        int p = 1;
                        ps.setTimestamp(p++, Timestamp.from(now));
                        if (table.equals("message")) {
                            ps.setString(p++, scope);
                        }
                        ps.setTimestamp(p, Timestamp.from(cutoff));
                        purged.put(scope, ps.executeUpdate());
                    }
                    List<String> ids = keys.shred(connection, scope, cutoff);
                    shredded.addAll(ids);
                    shreddedByScope.put(scope, ids);
                    detail.put(scope, Map.of("cutoff", cutoff.toString(), "bodiesPurged", purged.get(scope)));
                }
                Report report = new Report(purged, List.copyOf(shredded));
                if (report.any()) {
                    detail.put("dataKeysShredded", shredded);
                    audit.append(connection, List.of(AuditEntry.of(AuditLog.GATEWAY, AuditAction.BODIES_PURGED,
                            "retention", detail)));
                }
                connection.commit();
                keys.forget(shredded);
                shreddedByScope.forEach((scope, ids) -> {
                    if (!ids.isEmpty()) {
                        for (Shredded listener : listeners) {
                            try {
                                listener.shredded(scope, ids);
                            } catch (RuntimeException e) {
                                // The keys are gone already: what they sealed cannot be read; the next run's
                                // listeners tidy up (they look for everything sealed under a missing key).
                                LOG.warn("retention purge: deleting what {} shredded keys of {} sealed failed: {}",
                                        ids.size(), scope, e.toString());
                            }
                        }
                    }
                });
                if (report.any()) {
                    LOG.info("retention purge: bodies purged {}, data keys shredded {}", purged, shredded.size());
                }
                return report;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}

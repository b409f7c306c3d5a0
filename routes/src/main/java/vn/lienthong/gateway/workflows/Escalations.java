package vn.lienthong.gateway.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.JdbcTx;
import vn.lienthong.gateway.journal.Journal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.v1.Classification;
import vn.lienthong.schemas.v1.DeadlineOverdue;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The deadline sweep: finds the cases whose answer is overdue (deadline DUE) or whose measure
 * lapsed (deadline END: a DELAY past its end, a FREEZE past an end it named, which then becomes
 * EXPIRED), and sends each a {@code deadline.overdue} from the gateway (an overdue answer to the
 * requester, {@code escalate-to} and the responder's parent body; a lapse to both sides), recorded by the journal
 * with its deliveries like any message (so the outbox and inboxes deliver it on the recipients'
 * channels), in the same transaction as the {@code workflow_escalation} row whose primary key makes
 * it once per case and deadline — across restarts and instances (the sweep holds a mutex of its own,
 * {@link AuditLog.Mutex#ESCALATIONS}, so two instances' sweeps run one after the other and the second
 * sees the first's rows). Locks in the order of {@link AuditLog}: the mutex, the cases lock and case
 * rows, then the notices (fresh rows, keyless deliveries), then the audit lock, taken once at the
 * end by the journal's append and the sweep's own: never held while rows are written.
 */
public final class Escalations {

    private static final Logger LOG = LoggerFactory.getLogger(Escalations.class);
    /** The sender of everything the gateway says itself (as on receipts). */
    public static final String GATEWAY = "GATEWAY";
    private static final int PER_SWEEP = 100;

    private final JdbcTx tx;
    private final Journal journal;
    private final Supplier<Registry> registry;
    private final UnaryOperator<byte[]> signer;
    private final WorkflowSettings settings;
    private final InstantSource clock;
    private final AuditLog audit = new AuditLog();

    /**
     * @param journal records the notices; it must run in (join) the transactions of {@code transactions}
     * @param signer signs a notice's canonical JSON (compact JWS), kept as its receipt in the journal
     */
    public Escalations(DataSource dataSource, PlatformTransactionManager transactions, Journal journal,
            Registry registry, UnaryOperator<byte[]> signer, WorkflowSettings settings, InstantSource clock) {
        this(dataSource, transactions, journal, () -> registry, signer, settings, clock);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public Escalations(DataSource dataSource, PlatformTransactionManager transactions, Journal journal,
            Supplier<Registry> registry, UnaryOperator<byte[]> signer, WorkflowSettings settings, InstantSource clock) {
        this.tx = new JdbcTx(dataSource, transactions);
        this.journal = Objects.requireNonNull(journal, "journal");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A case whose deadline passed. */
    private record Overdue(UUID id, String kind, UUID request, String requester, String responder, String state,
            String legalGround, Instant at, DeadlineOverdue.Deadline deadline) {
    }

    /** One sweep: sends the notices of every deadline passed and not yet escalated; returns how many. */
    public int sweep() {
        Instant now = clock.instant();
        return tx.write(c -> {
            AuditLog.mutex(c, AuditLog.Mutex.ESCALATIONS);
            // Case rows are locked only under the cases lock (see JdbcWorkflows).
            AuditLog.lockCases(c);
            int sent = 0;
            List<AuditEntry> entries = new ArrayList<>();
            List<JournalEntry> notices = new ArrayList<>();
            // Lapses first: a measure that ended is EXPIRED, and owes no more answer.
            for (Overdue o : select(c, "c.closed_at is null and c.ends_at is not null and c.ends_at <= ?"
                    + " and c.kind = 'freeze' and c.state in ('REQUESTED', 'DELIVERED', 'EXECUTED',"
                    + " 'PARTIALLY_EXECUTED')", "c.ends_at", DeadlineOverdue.Deadline.END, now)) {
                sent += escalate(c, o, now, entries, notices) ? 1 : 0;
            }
            for (Overdue o : select(c, "c.closed_at is null and c.due_at is not null and c.due_at <= ?", "c.due_at",
                    DeadlineOverdue.Deadline.DUE, now)) {
                sent += escalate(c, o, now, entries, notices) ? 1 : 0;
            }
            // Recorded like any message (joining this transaction): the outbox and inboxes deliver them.
            // One batch, then the sweep's entries: the audit lock comes after every row is written.
            if (!notices.isEmpty()) {
                journal.record(notices);
            }
            audit.append(c, entries);
            return sent;
        });
    }

    private List<Overdue> select(Connection c, String where, String at, DeadlineOverdue.Deadline deadline,
            Instant now) throws SQLException {
        List<Overdue> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select c.id, c.kind, c.request_message_id, c.requester,"
                + " c.responder, c.state, c.legal_ground, " + at + " from workflow_case c where " + where
                + " and not exists (select 1 from workflow_escalation e where e.case_id = c.id and e.deadline = ?)"
                + " order by " + at + ", c.id limit " + PER_SWEEP + " for update of c")) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            ps.setString(2, deadline.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Overdue(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getObject(8, OffsetDateTime.class).toInstant(), deadline));
                }
            }
        }
        return found;
    }

    /** Escalates one case: its rows now, its audit entries and notice into {@code entries} and {@code notices}. */
    private boolean escalate(Connection c, Overdue o, Instant now, List<AuditEntry> entries,
            List<JournalEntry> notices) throws SQLException {
        UUID noticeId = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("insert into workflow_escalation (case_id, deadline,"
                + " message_id, at) values (?, ?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, o.id());
            ps.setString(2, o.deadline().name());
            ps.setObject(3, noticeId);
            ps.setObject(4, now.atOffset(ZoneOffset.UTC));
            if (ps.executeUpdate() == 0) {
                return false; // another sweep sent it
            }
        }
        String state = o.state();
        if (o.deadline() == DeadlineOverdue.Deadline.END) {
            // The measure lapsed: the case ends EXPIRED, by time.
            state = CaseState.EXPIRED;
            try (PreparedStatement ps = c.prepareStatement("update workflow_case set state = ?, closed_at = ?,"
                    + " due_at = null, updated_at = ? where id = ?")) {
                ps.setString(1, state);
                ps.setObject(2, now.atOffset(ZoneOffset.UTC));
                ps.setObject(3, now.atOffset(ZoneOffset.UTC));
                ps.setObject(4, o.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into workflow_transition (case_id, from_state,"
                    + " to_state, message_id, cause, at) values (?, ?, ?, null, 'lapsed', ?)")) {
                ps.setObject(1, o.id());
                ps.setString(2, o.state());
                ps.setString(3, state);
                ps.setObject(4, now.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.CASE_ADVANCED, o.id(), detail(o, Map.of(
                    "from", o.state(), "to", state, "cause", "lapsed"))));
        }
        Set<String> recipients = new LinkedHashSet<>();
        recipients.add(o.requester());
        if (o.deadline() == DeadlineOverdue.Deadline.END) {
            recipients.add(o.responder()); // both sides learn that the measure lapsed
        } else {
            recipients.addAll(settings.escalateTo());
            settings.parentOf(o.responder()).ifPresent(recipients::add);
        }
        recipients.removeIf(code -> !registry.get().mayReceive(code, MessageType.DEADLINE_OVERDUE));
        Integer pending = o.kind().equals("takedown") ? pendingListings(c, o.id()) : null;
        DeadlineOverdue payload = new DeadlineOverdue(o.id(), DeadlineOverdue.Kind.valueOf(o.kind().toUpperCase(
                java.util.Locale.ROOT)), o.request(), o.requester(), o.responder(), o.deadline(),
                o.at().atOffset(ZoneOffset.UTC), state, o.legalGround(), pending);
        Map<String, Object> detail = detail(o, new LinkedHashMap<>(Map.of("deadline", o.deadline().name(),
                "dueAt", o.at(), "noticeMessageId", noticeId, "recipients", List.copyOf(recipients))));
        entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.DEADLINE_ESCALATED, o.id(), detail));
        if (recipients.isEmpty()) {
            LOG.warn("deadline {} of case {} passed; no recipient receives deadline.overdue", o.deadline(), o.id());
            return true;
        }
        Envelope notice = new Envelope(noticeId, "1.0", GATEWAY, List.copyOf(recipients), o.request().toString(),
                o.request(), now.atOffset(ZoneOffset.UTC), Priority.URGENT, Classification.INTERNAL, null, null,
                payload, null);
        byte[] canonical = canonical(notice);
        List<PlannedDelivery> deliveries = new ArrayList<>();
        for (String code : recipients) {
            Agency agency = registry.get().agency(code).orElseThrow();
            Channel channel = agency.deliveryChannel(MessageType.DEADLINE_OVERDUE);
            deliveries.add(new PlannedDelivery(UUID.randomUUID(), code, channel.kind(), channel.deliveryAddress(),
                    channel.format().name(), null));
        }
        notices.add(new JournalEntry.Accepted(notice, canonical, canonical, sha256(canonical),
                new Source(ChannelKind.REST, "gateway/workflows", GATEWAY), now, deliveries, signer.apply(canonical)));
        LOG.info("deadline {} of {} case {} passed ({}): deadline.overdue {} to {}", o.deadline(), o.kind(), o.id(),
                o.at(), noticeId, recipients);
        return true;
    }

    private static Integer pendingListings(Connection c, UUID caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from workflow_listing where case_id = ?"
                + " and state in ('REQUESTED', 'PENDING')")) {
            ps.setObject(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Map<String, Object> detail(Overdue o, Map<String, Object> extra) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", o.kind());
        detail.put("requestMessageId", o.request());
        detail.put("requester", o.requester());
        detail.put("responder", o.responder());
        detail.putAll(extra);
        return detail;
    }

    private static byte[] canonical(Envelope notice) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a deadline notice could not be written", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

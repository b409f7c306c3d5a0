package vn.lienthong.gateway.workflows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import vn.lienthong.gateway.audit.AuditAction;
import vn.lienthong.gateway.audit.AuditEntry;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.journal.RecordHook;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.v1.FreezeReport;
import vn.lienthong.schemas.v1.FreezeRequest;
import vn.lienthong.schemas.v1.InfoResponse;
import vn.lienthong.schemas.v1.Listing;
import vn.lienthong.schemas.v1.TakedownReport;
import vn.lienthong.schemas.v1.TakedownRequest;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * The workflows on PostgreSQL (V3): cases opened and advanced by the messages the journal records
 * and the deliveries the outbox and inboxes mark, in their transactions ({@link RecordHook}), each
 * transition a row of {@code workflow_transition} and an entry of the audit chain; and the
 * coherence checks ingress asks before it accepts a reply ({@link Coherence}).
 *
 * <p>A transaction that locks more than one case row holds the cases lock ({@link AuditLog#lockCases}:
 * the hook takes it before it touches a case, after the caller's row and order-key locks and before
 * its audit lock; the deadline sweep takes it before its case rows), so no two writers wait on each
 * other in opposite orders. One that touches a single case (an urgent freeze: one new case; a
 * round delivering one request) does not take it: holding one case row and waiting for none after
 * it but the audit lock, it cannot close a cycle. Batches and rounds that touch no case take none.
 */
public final class JdbcWorkflows implements RecordHook, Coherence {

    /** The message types whose record reads or writes cases: a batch with one takes the cases lock. */
    static final Set<MessageType> CASE_TYPES = java.util.EnumSet.of(
            MessageType.FREEZE_REQUEST, MessageType.FREEZE_REPORT,
            MessageType.TAKEDOWN_REQUEST, MessageType.TAKEDOWN_REPORT,
            MessageType.INFO_REQUEST, MessageType.INFO_RESPONSE);

    /** States in which a FREEZE or DELAY binds the bank. */
    static final Set<String> IN_FORCE = Set.of(CaseState.REQUESTED, CaseState.DELIVERED, CaseState.EXECUTED,
            CaseState.PARTIALLY_EXECUTED);

    private final DataSource dataSource;
    private final WorkflowSettings settings;
    private final Deadlines deadlines;
    /**
     * Information requests known to have a case for their responder (responder, request): a case is
     * never deleted, so once found it stays found; bounded, the eldest forgotten.
     */
    private final Set<List<Object>> knownRequests = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Object>, Boolean> eldest) {
                    return size() > 4096;
                }
            }));
    private final InstantSource clock;

    /** Workflows on this database, with these deadlines, on this clock. */
    public JdbcWorkflows(DataSource dataSource, WorkflowSettings settings, Deadlines deadlines, InstantSource clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ recorded messages

    @Override
    public List<AuditEntry> accepted(Connection connection, List<AcceptedMessage> messages) throws SQLException {
        int cases = 0;
        for (AcceptedMessage a : messages) {
            MessageType type = a.message().type();
            if (CASE_TYPES.contains(type)) {
                // A request opens a case per recipient; a report or response moves one.
                cases += type.wireName().endsWith(".request") ? a.message().recipients().size() : 1;
            }
        }
        if (cases > 1) {
            AuditLog.lockCases(connection);
        }
        List<AuditEntry> entries = new ArrayList<>();
        Answers answers = new Answers();
        for (AcceptedMessage a : messages) {
            Envelope m = a.message();
            if (m.type() != MessageType.INFO_RESPONSE) {
                answers.flush(connection); // the other kinds read and write cases as the batch's order has them
            }
            switch (m.type()) {
                case FREEZE_REQUEST -> freezeRequest(connection, a, (FreezeRequest) m.payload(), entries);
                case FREEZE_REPORT -> freezeReport(connection, m, (FreezeReport) m.payload(), entries);
                case TAKEDOWN_REQUEST -> takedownRequest(connection, a, (TakedownRequest) m.payload(), entries);
                case TAKEDOWN_REPORT -> takedownReport(connection, m, (TakedownReport) m.payload(), entries);
                case INFO_REQUEST -> infoRequest(connection, a, entries);
                case INFO_RESPONSE -> answers.add(connection, m, (InfoResponse) m.payload(), entries);
                default -> { }
            }
        }
        answers.flush(connection);
        return entries;
    }

    /**
     * The info.responses of one recorded batch (a tax CSV chunk is hundreds of answers to one
     * request): each case locked once, its transitions written as one statement batch and its row
     * updated once to where the last answer left it, instead of a lock, an update and an insert per
     * answer. Each answer keeps its own transition row and audit entry, in order.
     */
    private final class Answers {
        /** The cases locked in this transaction, by responder and request, with the state the answers so far left. */
        private final Map<List<Object>, Case> locked = new LinkedHashMap<>();
        /** Per case: whether an answer closed it (sets closed_at, as each closing update did). */
        private final Map<UUID, Boolean> closes = new LinkedHashMap<>();
        private final List<Object[]> transitions = new ArrayList<>();

        void add(Connection c, Envelope m, InfoResponse r, List<AuditEntry> entries) throws SQLException {
            List<Object> key = List.of(m.sender(), r.request());
            Case target = locked.get(key);
            if (target == null) {
                target = lockOne(c, "kind = 'info' and responder = ? and request_message_id = ?", m.sender(),
                        r.request());
                if (target == null) {
                    return;
                }
            }
            String next = switch (r.status()) {
                case REFUSED -> CaseState.REFUSED;
                // An answer in parts: the request stays open, its deadline still running.
                case PARTIAL -> CaseState.PARTLY_ANSWERED;
                case COMPLETE, NO_DATA -> CaseState.ANSWERED;
            };
            String cause = "info.response " + r.status().name();
            transitions.add(new Object[] {target.id(), target.state(), next, m.messageId(), cause});
            entries.add(transitionEntry(target, next, m.messageId(), cause, Map.of()));
            closes.merge(target.id(), !next.equals(CaseState.PARTLY_ANSWERED), Boolean::logicalOr);
            locked.put(key, new Case(target.id(), target.kind(), target.requestMessageId(), target.requester(),
                    target.responder(), next));
        }

        void flush(Connection c) throws SQLException {
            if (transitions.isEmpty()) {
                return;
            }
            insertTransitions(c, transitions);
            for (Case k : locked.values()) {
                if (closes.containsKey(k.id())) {
                    update(c, k.id(), k.state(), closes.get(k.id()), false);
                }
            }
            locked.clear();
            closes.clear();
            transitions.clear();
        }
    }

    private void freezeRequest(Connection c, AcceptedMessage a, FreezeRequest p, List<AuditEntry> entries)
            throws SQLException {
        Envelope m = a.message();
        if (p.measure() == FreezeRequest.Measure.RELEASE) {
            Case target = lockOne(c, "kind = 'freeze' and request_message_id = ? and requester = ?", p.releases(),
                    m.sender());
            if (target == null || !IN_FORCE.contains(target.state())) {
                return; // refused at ingress; a race past it leaves no trace to advance
            }
            Instant due = deadlines.due(settings.releaseReport(), a.receivedAt());
            try (PreparedStatement ps = c.prepareStatement("update workflow_case set release_message_id = ?,"
                    + " due_at = ?, updated_at = ? where id = ?")) {
                ps.setObject(1, m.messageId());
                ps.setObject(2, ts(due));
                ps.setObject(3, ts(now()));
                ps.setObject(4, target.id());
                ps.executeUpdate();
            }
            entries.add(transition(c, target, target.state(), m.messageId(), "release.requested", Map.of("dueAt", due)));
            return;
        }
        String legalGround = p.decision().legalGround().code().name();
        Instant due = deadlines.due(settings.freezeReportOf(legalGround), a.receivedAt());
        Instant ends = p.end() == null ? null : p.end().toInstant();
        String key = decisionKey(m.sender(), p);
        for (String responder : m.recipients()) {
            UUID id = UUID.randomUUID();
            int inserted;
            try (PreparedStatement ps = c.prepareStatement("insert into workflow_case (id, kind, request_message_id,"
                    + " request_seq, requester, responder, state, measure, legal_ground, decision_key, opened_at,"
                    + " due_at, ends_at, updated_at) values (?, 'freeze', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict do nothing")) {
                ps.setObject(1, id);
                ps.setObject(2, m.messageId());
                ps.setLong(3, a.seq());
                ps.setString(4, m.sender());
                ps.setString(5, responder);
                ps.setString(6, CaseState.REQUESTED);
                ps.setString(7, p.measure().name());
                ps.setString(8, legalGround);
                ps.setString(9, key);
                ps.setObject(10, ts(a.receivedAt()));
                ps.setObject(11, ts(due));
                ps.setObject(12, ends == null ? null : ts(ends));
                ps.setObject(13, ts(now()));
                inserted = ps.executeUpdate();
            }
            if (inserted == 0) {
                // Two FREEZEs of one decision and account raced past the ingress check: the second
                // message is recorded (its sender has its receipt) but opens no second case.
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("kind", "freeze");
                detail.put("requestMessageId", m.messageId());
                detail.put("reason", ErrorCode.FREEZE_ALREADY_IN_FORCE.name());
                entries.add(AuditEntry.of(AuditLog.GATEWAY, AuditAction.CASE_NOT_OPENED, m.messageId(), detail));
                continue;
            }
            Case opened = new Case(id, "freeze", m.messageId(), m.sender(), responder, CaseState.REQUESTED);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("measure", p.measure().name());
            extra.put("legalGround", legalGround);
            extra.put("dueAt", due);
            if (ends != null) {
                extra.put("endsAt", ends);
            }
            entries.add(opened(c, opened, extra));
        }
    }

    private void freezeReport(Connection c, Envelope m, FreezeReport r, List<AuditEntry> entries) throws SQLException {
        Case target = lockOne(c, "kind = 'freeze' and responder = ? and (request_message_id = ? or release_message_id = ?)",
                m.sender(), r.request(), r.request());
        if (target == null) {
            return;
        }
        boolean answersRelease = !r.request().equals(target.requestMessageId());
        String next = switch (r.status()) {
            case EXECUTED -> answersRelease ? target.state() : CaseState.EXECUTED;
            case PARTIALLY_EXECUTED -> answersRelease ? target.state() : CaseState.PARTIALLY_EXECUTED;
            // A refused RELEASE leaves the measure in force.
            case REJECTED -> answersRelease ? target.state() : CaseState.REJECTED;
            case RELEASED -> CaseState.RELEASED;
            case EXPIRED -> CaseState.EXPIRED;
        };
        boolean closes = Set.of(CaseState.REJECTED, CaseState.RELEASED, CaseState.EXPIRED).contains(next);
        // Reported: nothing is due from the bank until a RELEASE asks again.
        update(c, target.id(), next, closes, !closes);
        entries.add(transition(c, target, next, m.messageId(), "freeze.report " + r.status().name(),
                Map.of("answers", answersRelease ? "release" : "request")));
    }

    private void takedownRequest(Connection c, AcceptedMessage a, TakedownRequest p, List<AuditEntry> entries)
            throws SQLException {
        Envelope m = a.message();
        Instant due = a.receivedAt().plus(settings.takedown());
        for (String responder : m.recipients()) {
            Case opened = insertCase(c, "takedown", a, responder, CaseState.REQUESTED, due);
            if (opened == null) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into workflow_listing (case_id, url, state)"
                    + " values (?, ?, 'REQUESTED') on conflict do nothing")) {
                for (Listing listing : p.listings()) {
                    ps.setObject(1, opened.id());
                    ps.setString(2, listing.url());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            entries.add(opened(c, opened, Map.of("dueAt", due, "listings", p.listings().size())));
        }
    }

    private void takedownReport(Connection c, Envelope m, TakedownReport r, List<AuditEntry> entries)
            throws SQLException {
        Case target = lockOne(c, "kind = 'takedown' and responder = ? and request_message_id = ?", m.sender(),
                r.request());
        if (target == null) {
            return;
        }
        Instant at = now();
        try (PreparedStatement ps = c.prepareStatement("update workflow_listing set state = ?, note = ?,"
                + " decided_at = ? where case_id = ? and url = ?")) {
            for (TakedownReport.Result result : r.results()) {
                String state = switch (result.status()) {
                    case REMOVED, ALREADY_REMOVED -> "REMOVED";
                    case REFUSED -> "REFUSED";
                    case NOT_FOUND -> "NOT_FOUND";
                    case PENDING -> "PENDING";
                };
                ps.setString(1, state);
                ps.setString(2, result.note());
                ps.setObject(3, ts(at));
                ps.setObject(4, target.id());
                ps.setString(5, result.url());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Map<String, Long> byState = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select state, count(*) from workflow_listing where case_id = ? group by state order by state")) {
            ps.setObject(1, target.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        boolean open = byState.containsKey("REQUESTED") || byState.containsKey("PENDING");
        String next = open ? CaseState.PARTLY_ANSWERED : CaseState.ANSWERED;
        update(c, target.id(), next, !open, false);
        entries.add(transition(c, target, next, m.messageId(), "takedown.report", Map.of("listings", byState)));
    }

    private void infoRequest(Connection c, AcceptedMessage a, List<AuditEntry> entries) throws SQLException {
        Envelope m = a.message();
        Instant due = m.deadline() != null ? m.deadline().toInstant() : deadlines.due(settings.info(), a.receivedAt());
        for (String responder : m.recipients()) {
            Case opened = insertCase(c, "info", a, responder, CaseState.OPEN, due);
            if (opened != null) {
                entries.add(opened(c, opened, Map.of("dueAt", due)));
            }
        }
    }

    // ------------------------------------------------------------------ deliveries

    @Override
    public List<AuditEntry> delivered(Connection connection, List<UUID> deliveryIds) throws SQLException {
        if (deliveryIds.isEmpty()) {
            return List.of();
        }
        // A case opens in the transaction that records its request with the deliveries, so one committed
        // delivery's case is visible without a lock, and a case leaves REQUESTED and OPEN, never returns:
        // a round that delivers none takes no lock, one that delivers one request locks its case only.
        try (PreparedStatement ps = connection.prepareStatement("select count(*) from (select 1 from workflow_case c"
                + " join delivery d on d.message_seq = c.request_seq and d.recipient = c.responder"
                + " where d.id = any(?) and c.state in ('REQUESTED', 'OPEN') limit 2) x")) {
            ps.setArray(1, connection.createArrayOf("uuid", deliveryIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int cases = rs.getInt(1);
                if (cases == 0) {
                    return List.of();
                }
                if (cases > 1) {
                    AuditLog.lockCases(connection);
                }
            }
        }
        List<Case> cases = new ArrayList<>();
        List<String> legalGrounds = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("select c.id, c.kind, c.request_message_id,"
                + " c.requester, c.responder, c.state, c.legal_ground from workflow_case c"
                + " join delivery d on d.message_seq = c.request_seq and d.recipient = c.responder"
                + " where d.id = any(?) and c.state in ('REQUESTED', 'OPEN') order by c.id for update of c")) {
            ps.setArray(1, connection.createArrayOf("uuid", deliveryIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cases.add(caseOf(rs));
                    legalGrounds.add(rs.getString(7));
                }
            }
        }
        List<AuditEntry> entries = new ArrayList<>();
        Instant at = now();
        for (int i = 0; i < cases.size(); i++) {
            Case k = cases.get(i);
            // The responder's time runs from delivery; an information request keeps the deadline it names.
            Instant due = switch (k.kind()) {
                case "freeze" -> deadlines.due(settings.freezeReportOf(legalGrounds.get(i)), at);
                case "takedown" -> at.plus(settings.takedown());
                default -> null;
            };
            try (PreparedStatement ps = connection.prepareStatement("update workflow_case set state = ?,"
                    + " delivered_at = ?, due_at = coalesce(?, due_at), updated_at = ? where id = ?")) {
                ps.setString(1, CaseState.DELIVERED);
                ps.setObject(2, ts(at));
                ps.setObject(3, due == null ? null : ts(due));
                ps.setObject(4, ts(at));
                ps.setObject(5, k.id());
                ps.executeUpdate();
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            if (due != null) {
                extra.put("dueAt", due);
            }
            entries.add(transition(connection, k, CaseState.DELIVERED, null, "delivered", extra));
        }
        return entries;
    }

    // ------------------------------------------------------------------ coherence at ingress

    @Override
    public List<ValidationError> check(Envelope m) {
        if (!settings.coherence()) {
            return List.of();
        }
        List<Object> answered = m.type() == MessageType.INFO_RESPONSE
                ? List.of(m.sender(), ((InfoResponse) m.payload()).request()) : null;
        if (answered != null && knownRequests.contains(answered)) {
            return List.of(); // a tax batch answers one request in hundreds of thousands of rows: asked once
        }
        try (Connection c = dataSource.getConnection()) {
            return switch (m.type()) {
                case FREEZE_REQUEST -> checkFreezeRequest(c, m, (FreezeRequest) m.payload());
                case FREEZE_REPORT -> {
                    FreezeReport r = (FreezeReport) m.payload();
                    yield exists(c, "kind = 'freeze' and responder = ? and (request_message_id = ?"
                            + " or release_message_id = ?)", m.sender(), r.request(), r.request()) ? List.of()
                            : List.of(ValidationError.of(ErrorCode.FREEZE_REPORT_WITHOUT_REQUEST, "/payload/request",
                                    "request " + r.request() + " is no freeze.request addressed to " + m.sender()
                                            + ": a freeze.report answers a FREEZE, DELAY or RELEASE its sender received"));
                }
                case INFO_RESPONSE -> {
                    InfoResponse r = (InfoResponse) m.payload();
                    if (exists(c, "kind = 'info' and responder = ? and request_message_id = ?", m.sender(),
                            r.request())) {
                        knownRequests.add(answered);
                        yield List.of();
                    }
                    yield List.of(ValidationError.of(ErrorCode.INFO_RESPONSE_WITHOUT_REQUEST, "/payload/request",
                                    "request " + r.request() + " is no info.request addressed to " + m.sender()));
                }
                case TAKEDOWN_REPORT -> checkTakedownReport(c, m, (TakedownReport) m.payload());
                default -> List.of();
            };
        } catch (SQLException e) {
            throw new IllegalStateException("workflow coherence check failed: " + e.getSQLState(), e);
        }
    }

    private List<ValidationError> checkFreezeRequest(Connection c, Envelope m, FreezeRequest p) throws SQLException {
        if (p.measure() == FreezeRequest.Measure.RELEASE) {
            Case target = findOne(c, "kind = 'freeze' and request_message_id = ? and requester = ?", p.releases(),
                    m.sender());
            if (target == null || !IN_FORCE.contains(target.state())) {
                String why = target == null ? "names no FREEZE or DELAY of " + m.sender()
                        : "names a measure that is no longer in force (" + target.state() + ")";
                return List.of(ValidationError.of(ErrorCode.RELEASE_NOTHING_IN_FORCE, "/payload/releases",
                        "the RELEASE of " + p.releases() + " " + why));
            }
            return List.of();
        }
        Case existing = findOne(c, "kind = 'freeze' and decision_key = ? and state in ('REQUESTED', 'DELIVERED',"
                + " 'EXECUTED', 'PARTIALLY_EXECUTED')", decisionKey(m.sender(), p));
        if (existing != null && !existing.requestMessageId().equals(m.messageId())) {
            return List.of(ValidationError.of(ErrorCode.FREEZE_ALREADY_IN_FORCE, "/payload/decision/number",
                    "a " + p.measure() + " of decision " + p.decision().number() + " on this account is already in"
                            + " force (request " + existing.requestMessageId() + ", " + existing.state()
                            + "): send a RELEASE first, or correct the decision number"));
        }
        return List.of();
    }

    private List<ValidationError> checkTakedownReport(Connection c, Envelope m, TakedownReport r) throws SQLException {
        Case target = findOne(c, "kind = 'takedown' and responder = ? and request_message_id = ?", m.sender(),
                r.request());
        if (target == null) {
            return List.of(ValidationError.of(ErrorCode.TAKEDOWN_REPORT_WITHOUT_REQUEST, "/payload/request",
                    "request " + r.request() + " is no takedown.request addressed to " + m.sender()));
        }
        Set<String> urls = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select url from workflow_listing where case_id = ?")) {
            ps.setObject(1, target.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    urls.add(rs.getString(1));
                }
            }
        }
        List<ValidationError> errors = new ArrayList<>();
        for (int i = 0; i < r.results().size(); i++) {
            if (!urls.contains(r.results().get(i).url())) {
                errors.add(ValidationError.of(ErrorCode.TAKEDOWN_REPORT_UNKNOWN_LISTING, "/payload/results/" + i + "/url",
                        "this listing is not one of the " + urls.size() + " the request " + r.request() + " named"));
            }
        }
        return errors;
    }

    // ------------------------------------------------------------------ rows

    /** A case as the transitions need it. */
    record Case(UUID id, String kind, UUID requestMessageId, String requester, String responder, String state) {
    }

    private Case insertCase(Connection c, String kind, AcceptedMessage a, String responder, String state, Instant due)
            throws SQLException {
        Envelope m = a.message();
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("insert into workflow_case (id, kind, request_message_id,"
                + " request_seq, requester, responder, state, opened_at, due_at, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, id);
            ps.setString(2, kind);
            ps.setObject(3, m.messageId());
            ps.setLong(4, a.seq());
            ps.setString(5, m.sender());
            ps.setString(6, responder);
            ps.setString(7, state);
            ps.setObject(8, ts(a.receivedAt()));
            ps.setObject(9, ts(due));
            ps.setObject(10, ts(now()));
            if (ps.executeUpdate() == 0) {
                return null;
            }
        }
        return new Case(id, kind, m.messageId(), m.sender(), responder, state);
    }

    private void update(Connection c, UUID id, String state, boolean closes, boolean clearDue) throws SQLException {
        Instant at = now();
        try (PreparedStatement ps = c.prepareStatement("update workflow_case set state = ?, updated_at = ?,"
                + " closed_at = case when ? then ? else closed_at end,"
                + " due_at = case when ? then null else due_at end where id = ?")) {
            ps.setString(1, state);
            ps.setObject(2, ts(at));
            ps.setBoolean(3, closes);
            ps.setObject(4, ts(at));
            ps.setBoolean(5, clearDue);
            ps.setObject(6, id);
            ps.executeUpdate();
        }
    }

    private AuditEntry opened(Connection c, Case k, Map<String, Object> extra) throws SQLException {
        insertTransition(c, k.id(), null, k.state(), k.requestMessageId(), k.kind() + ".request");
        Map<String, Object> detail = detail(k, null, k.state(), k.requestMessageId(), "opened");
        detail.putAll(extra);
        return AuditEntry.of(k.requester(), AuditAction.CASE_OPENED, k.id(), detail);
    }

    private AuditEntry transition(Connection c, Case k, String to, UUID messageId, String cause,
            Map<String, ?> extra) throws SQLException {
        insertTransition(c, k.id(), k.state(), to, messageId, cause);
        return transitionEntry(k, to, messageId, cause, extra);
    }

    /** The audit entry of a transition whose row is written. */
    private static AuditEntry transitionEntry(Case k, String to, UUID messageId, String cause, Map<String, ?> extra) {
        Map<String, Object> detail = detail(k, k.state(), to, messageId, cause);
        detail.putAll(extra);
        String actor = messageId == null ? AuditLog.GATEWAY : k.responder();
        if (cause.equals("release.requested")) {
            actor = k.requester();
        }
        return AuditEntry.of(actor, AuditAction.CASE_ADVANCED, k.id(), detail);
    }

    /** Identifiers and states only: no account, no decision number, no payload. */
    private static Map<String, Object> detail(Case k, String from, String to, UUID messageId, String cause) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", k.kind());
        detail.put("requestMessageId", k.requestMessageId());
        detail.put("requester", k.requester());
        detail.put("responder", k.responder());
        detail.put("from", from);
        detail.put("to", to);
        detail.put("messageId", messageId);
        detail.put("cause", cause);
        return detail;
    }

    private void insertTransition(Connection c, UUID caseId, String from, String to, UUID messageId, String cause)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into workflow_transition (case_id, from_state,"
                + " to_state, message_id, cause, at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, caseId);
            ps.setString(2, from);
            ps.setString(3, to);
            ps.setObject(4, messageId);
            ps.setString(5, cause);
            ps.setObject(6, ts(now()));
            ps.executeUpdate();
        }
    }

    /** Transition rows (case, from, to, message, cause), as one statement batch. */
    private void insertTransitions(Connection c, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into workflow_transition (case_id, from_state,"
                + " to_state, message_id, cause, at) values (?, ?, ?, ?, ?, ?)")) {
            java.time.OffsetDateTime at = ts(now());
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.setObject(6, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Case lockOne(Connection c, String where, Object... params) throws SQLException {
        return one(c, "select id, kind, request_message_id, requester, responder, state from workflow_case where "
                + where + " order by opened_at limit 1 for update", params);
    }

    private static Case findOne(Connection c, String where, Object... params) throws SQLException {
        return one(c, "select id, kind, request_message_id, requester, responder, state from workflow_case where "
                + where + " order by opened_at limit 1", params);
    }

    private static boolean exists(Connection c, String where, Object... params) throws SQLException {
        return findOne(c, where, params) != null;
    }

    private static Case one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? caseOf(rs) : null;
            }
        }
    }

    private static Case caseOf(ResultSet rs) throws SQLException {
        return new Case(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getString(6));
    }

    /**
     * The conflict rule's key: requester, decision number, bank and account, hashed so that the
     * account number is never stored in clear outside the message row.
     */
    static String decisionKey(String requester, FreezeRequest p) {
        String text = requester + "\n" + p.decision().number() + "\n" + p.bank().bin() + "\n" + p.account().number();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static java.time.OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

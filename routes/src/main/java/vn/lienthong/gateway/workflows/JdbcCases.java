package vn.lienthong.gateway.workflows;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The cases as agencies and operators read them: those an agency asked or must answer (all of
 * them for a coordinator such as BCD389), filtered by state, kind and what is due; one case with
 * its listings, transitions and messages.
 */
public final class JdbcCases {

    /** Which cases a listing shows. */
    public enum Filter {
        /** Not closed. */
        OPEN,
        /** Not closed, with an answer due and past. */
        OVERDUE,
        /** Not closed, with an answer due within the given hours (and not yet past). */
        DUE,
        /** Every case. */
        ALL
    }

    private static final String COLUMNS = "select id, kind, state, request_message_id, requester, responder, measure,"
            + " legal_ground, opened_at, delivered_at, due_at, ends_at, closed_at from workflow_case";
    private static final int MAX = 500;

    private final JdbcTemplate db;
    private final InstantSource clock;
    private final List<String> coordinators;

    /**
     * @param coordinators agencies that see every case (those told of every missed deadline)
     */
    public JdbcCases(DataSource dataSource, InstantSource clock, List<String> coordinators) {
        this.db = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.coordinators = List.copyOf(coordinators);
    }

    /**
     * The cases {@code agency} may see, most urgent first.
     *
     * @param kind freeze, takedown or info; null for every kind
     * @param within for {@link Filter#DUE}: how far ahead
     */
    public List<CaseView> cases(String agency, Filter filter, String kind, Duration within, int limit) {
        return list(coordinators.contains(agency) ? null : agency, filter, kind, within, limit);
    }

    /**
     * Every agency's cases, as people at the operator's seat see them, most urgent first.
     *
     * @param agency only the cases this agency asked or must answer; null for all
     */
    public List<CaseView> casesForOperators(String agency, Filter filter, String kind, Duration within, int limit) {
        return list(agency, filter, kind, within, limit);
    }

    private List<CaseView> list(String agency, Filter filter, String kind, Duration within, int limit) {
        Instant now = clock.instant();
        StringBuilder sql = new StringBuilder(COLUMNS).append(" where true");
        List<Object> args = new ArrayList<>();
        if (agency != null) {
            sql.append(" and (requester = ? or responder = ?)");
            args.add(agency);
            args.add(agency);
        }
        if (kind != null) {
            sql.append(" and kind = ?");
            args.add(kind);
        }
        switch (filter) {
            case OPEN -> sql.append(" and closed_at is null");
            case OVERDUE -> {
                sql.append(" and closed_at is null and due_at <= ?");
                args.add(ts(now));
            }
            case DUE -> {
                sql.append(" and closed_at is null and due_at > ? and due_at <= ?");
                args.add(ts(now));
                args.add(ts(now.plus(within)));
            }
            case ALL -> { }
        }
        sql.append(" order by due_at nulls last, opened_at limit ?");
        args.add(Math.max(1, Math.min(limit, MAX)));
        return db.query(sql.toString(), (rs, i) -> view(rs, now, List.of(), List.of(), List.of()), args.toArray());
    }

    /** One case, if {@code agency} may see it, with its listings, transitions and messages. */
    public Optional<CaseView> one(UUID id, String agency) {
        return one(id).filter(c -> coordinators.contains(agency) || agency.equals(c.requester())
                || agency.equals(c.responder()));
    }

    /** One case, whoever's it is (people at the operator's seat see all), with its listings, transitions and messages. */
    public Optional<CaseView> one(UUID id) {
        Instant now = clock.instant();
        List<CaseView> found = db.query(COLUMNS + " where id = ?", (rs, i) -> view(rs, now, List.of(), List.of(),
                List.of()), id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CaseView c = found.get(0);
        List<CaseView.Listing> listings = db.query("select url, state, note, decided_at from workflow_listing"
                + " where case_id = ? order by url", (rs, i) -> new CaseView.Listing(rs.getString(1), rs.getString(2),
                rs.getString(3), instant(rs, 4)), id);
        List<CaseView.Transition> transitions = db.query("select from_state, to_state, message_id, cause, at"
                + " from workflow_transition where case_id = ? order by id", (rs, i) -> new CaseView.Transition(
                rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4), instant(rs, 5)), id);
        // The request, what answers it (reports, responses, notices) and the RELEASE that names it.
        List<CaseView.Message> messages = db.query("select m.message_id, m.type, m.sender, m.received_at from message m"
                + " where m.message_id = ? or m.in_reply_to = ? or m.message_id in (select release_message_id from"
                + " workflow_case where id = ?) or m.in_reply_to in (select release_message_id from workflow_case"
                + " where id = ? and release_message_id is not null) order by m.seq", (rs, i) -> new CaseView.Message(
                rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), instant(rs, 4)),
                c.request(), c.request(), id, id);
        return Optional.of(new CaseView(c.id(), c.kind(), c.state(), c.request(), c.requester(), c.responder(),
                c.measure(), c.legalGround(), c.openedAt(), c.deliveredAt(), c.dueAt(), c.endsAt(), c.closedAt(),
                c.overdue(), listings, transitions, messages));
    }

    /** Open and overdue cases by kind, for the metrics. */
    public long count(boolean overdueOnly, String kind) {
        Long n = overdueOnly
                ? db.queryForObject("select count(*) from workflow_case where closed_at is null and kind = ?"
                        + " and due_at <= ?", Long.class, kind, ts(clock.instant()))
                : db.queryForObject("select count(*) from workflow_case where closed_at is null and kind = ?",
                        Long.class, kind);
        return n == null ? 0 : n;
    }

    private static CaseView view(ResultSet rs, Instant now, List<CaseView.Listing> listings,
            List<CaseView.Transition> transitions, List<CaseView.Message> messages) throws SQLException {
        Instant due = instant(rs, 11);
        Instant closed = instant(rs, 13);
        return new CaseView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10),
                due, instant(rs, 12), closed, closed == null && due != null && !due.isAfter(now), listings,
                transitions, messages);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}

package vn.lienthong.gateway.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.gateway.workflows.WorkflowMessages.canonical;
import static vn.lienthong.gateway.workflows.WorkflowMessages.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.inbox.JdbcInbox;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.ids.WorkingDayCalendar;
import vn.lienthong.schemas.v1.Envelope;

/**
 * The workflows on a real PostgreSQL, driven by the journal and the inbox as the gateway drives
 * them, on a controlled clock: a freeze from request to release, the coherence refusals with their
 * codes, a takedown per platform and listing, an information request answered in parts; every
 * transition a row and an audit entry of an intact chain.
 */
class JdbcWorkflowsTest {

    private DataSource ds;
    private JdbcTemplate db;
    private MutableClock clock;
    private JdbcWorkflows workflows;
    private JdbcJournal journal;
    private JdbcInbox inbox;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        // Friday 4 December 2026, 10:00 in Hà Nội.
        clock = new MutableClock(OffsetDateTime.parse("2026-12-04T10:00:00+07:00").toInstant());
        workflows = new JdbcWorkflows(ds, WorkflowSettings.defaults(), new Deadlines(WorkingDayCalendar.vietnam()),
                clock);
        journal = new JdbcJournal(ds, workflows);
        inbox = new JdbcInbox(ds).withHook(workflows);
    }

    @Test
    void aPoliceFreezeIsDeliveredExecutedAndReleased() {
        UUID freezeId = UUID.randomUUID();
        Envelope freeze = message("freeze.request/valid-freeze-cpc129.json", m -> m.put("messageId", freezeId.toString()));
        record(freeze);
        assertThat(caseState(freezeId)).isEqualTo("REQUESTED");
        // CPC art. 129: at once, bounded by configuration (24 hours by default) from delivery.
        clock.advance(Duration.ofMinutes(5));
        inbox.inbox("SBV", 10);
        assertThat(caseState(freezeId)).isEqualTo("DELIVERED");
        assertThat(db.queryForObject("select due_at from workflow_case where request_message_id = ?",
                OffsetDateTime.class, freezeId).toInstant()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));

        // The bank that got it may report; another agency may not.
        Envelope report = reply("freeze.report/valid-partially-executed-freeze.json", "SBV", freezeId);
        assertThat(workflows.check(report)).isEmpty();
        Envelope foreign = reply("freeze.report/valid-partially-executed-freeze.json", "MOF.CUSTOMS", freezeId);
        assertThat(codes(workflows.check(foreign))).containsExactly(ErrorCode.FREEZE_REPORT_WITHOUT_REQUEST);
        record(report);
        assertThat(caseState(freezeId)).isEqualTo("PARTIALLY_EXECUTED");

        // The same decision and account again: a conflict, not a new case.
        Envelope again = message("freeze.request/valid-freeze-cpc129.json", m -> { });
        assertThat(codes(workflows.check(again))).containsExactly(ErrorCode.FREEZE_ALREADY_IN_FORCE);
        // A resend of the very request is a duplicate for the journal, not a conflict.
        assertThat(workflows.check(freeze)).isEmpty();

        // A RELEASE by another requester, or of a freeze that does not exist, lifts nothing.
        Envelope strangersRelease = release("MPS.A05", freezeId);
        assertThat(codes(workflows.check(strangersRelease))).containsExactly(ErrorCode.RELEASE_NOTHING_IN_FORCE);
        assertThat(codes(workflows.check(release("MPS.C03", UUID.randomUUID()))))
                .containsExactly(ErrorCode.RELEASE_NOTHING_IN_FORCE);

        Envelope release = release("MPS.C03", freezeId);
        assertThat(workflows.check(release)).isEmpty();
        record(release);
        Envelope released = reply("freeze.report/valid-released.json", "SBV", release.messageId());
        assertThat(workflows.check(released)).isEmpty();
        record(released);
        assertThat(caseState(freezeId)).isEqualTo("RELEASED");
        assertThat(db.queryForObject("select closed_at is not null from workflow_case where request_message_id = ?",
                Boolean.class, freezeId)).isTrue();
        // Released: nothing left to release, and the decision may be used again.
        assertThat(codes(workflows.check(release("MPS.C03", freezeId)))).containsExactly(
                ErrorCode.RELEASE_NOTHING_IN_FORCE);
        assertThat(workflows.check(again)).isEmpty();

        assertThat(transitions(freezeId)).containsExactly(
                "null>REQUESTED freeze.request", "REQUESTED>DELIVERED delivered",
                "DELIVERED>PARTIALLY_EXECUTED freeze.report PARTIALLY_EXECUTED",
                "PARTIALLY_EXECUTED>PARTIALLY_EXECUTED release.requested",
                "PARTIALLY_EXECUTED>RELEASED freeze.report RELEASED");
        assertThat(db.queryForList("select action from audit where subject = (select id::text from workflow_case"
                + " where request_message_id = ?) order by seq", String.class, freezeId)).containsExactly(
                "CASE_OPENED", "CASE_ADVANCED", "CASE_ADVANCED", "CASE_ADVANCED", "CASE_ADVANCED");
        // Identifiers and states only in the audit: no account number.
        assertThat(db.queryForList("select detail::text from audit where action like 'CASE_%'", String.class))
                .noneMatch(d -> d.contains("0011004123456"));
        assertChainIntact();
    }

    @Test
    void aDecree296FreezeIsDueAtTheEndOfTheNextWorkingDayAfterDelivery() {
        UUID id = UUID.randomUUID();
        record(message("freeze.request/valid-freeze-cpc129.json", m -> {
            m.put("messageId", id.toString());
            ((ObjectNode) m.at("/payload/decision/legalGround")).put("code", "DECREE_296_2025");
        }));
        inbox.inbox("SBV", 10);
        // Delivered on Friday: due at the end of Monday, Hà Nội time.
        assertThat(db.queryForObject("select due_at from workflow_case where request_message_id = ?",
                OffsetDateTime.class, id).toInstant()).isEqualTo(OffsetDateTime.parse("2026-12-08T00:00:00+07:00").toInstant());
    }

    @Test
    void aTakedownIsFollowedPerPlatformAndListing() {
        UUID id = UUID.randomUUID();
        Envelope request = message("takedown.request/valid-counterfeit-cosmetics-shopee.json", m -> {
            m.put("messageId", id.toString());
            m.putArray("recipients").add("PLATFORM.SHOPEE").add("PLATFORM.LAZADA");
        });
        record(request);
        List<String> urls = new ArrayList<>();
        ((vn.lienthong.schemas.v1.TakedownRequest) request.payload()).listings().forEach(l -> urls.add(l.url()));

        // A platform that was not asked, and a listing that was not named, are refused.
        Envelope fromTiki = takedownReport("PLATFORM.TIKI", id, urls.get(0));
        assertThat(codes(workflows.check(fromTiki))).containsExactly(ErrorCode.TAKEDOWN_REPORT_WITHOUT_REQUEST);
        Envelope foreignListing = takedownReport("PLATFORM.SHOPEE", id, "https://shopee.vn/not-in-the-request-i.1.2");
        List<ValidationError> errors = workflows.check(foreignListing);
        assertThat(codes(errors)).containsExactly(ErrorCode.TAKEDOWN_REPORT_UNKNOWN_LISTING);
        assertThat(errors.get(0).pointer()).isEqualTo("/payload/results/0/url");

        inbox.inbox("PLATFORM.SHOPEE", 10);
        assertThat(caseState(id, "PLATFORM.SHOPEE")).isEqualTo("DELIVERED");
        assertThat(caseState(id, "PLATFORM.LAZADA")).isEqualTo("REQUESTED");

        Envelope first = takedownReport("PLATFORM.SHOPEE", id, urls.get(0));
        assertThat(workflows.check(first)).isEmpty();
        record(first);
        assertThat(caseState(id, "PLATFORM.SHOPEE")).isEqualTo(urls.size() > 1 ? "PARTLY_ANSWERED" : "ANSWERED");
        Envelope rest = takedownReport("PLATFORM.SHOPEE", id, urls.subList(1, urls.size()).toArray(String[]::new));
        record(rest);
        assertThat(caseState(id, "PLATFORM.SHOPEE")).isEqualTo("ANSWERED");
        assertThat(db.queryForList("select l.state from workflow_listing l join workflow_case c on c.id = l.case_id"
                + " where c.responder = 'PLATFORM.SHOPEE' and c.request_message_id = ?", String.class, id))
                .hasSize(urls.size()).containsOnly("REMOVED");
        assertThat(caseState(id, "PLATFORM.LAZADA")).isEqualTo("REQUESTED");
        assertChainIntact();
    }

    @Test
    void anInformationRequestIsAnsweredInPartsOnlyByTheAgencyAsked() {
        UUID id = UUID.randomUUID();
        record(message("info.request/valid-tax-data-for-counterfeit-case.json", m -> {
            m.put("messageId", id.toString());
            m.put("createdAt", "2026-12-04T09:00:00+07:00");
            m.put("deadline", "2026-12-11T17:00:00+07:00");
        }));
        assertThat(caseState(id)).isEqualTo("OPEN");
        assertThat(db.queryForObject("select due_at from workflow_case where request_message_id = ?",
                OffsetDateTime.class, id).toInstant()).isEqualTo(OffsetDateTime.parse("2026-12-11T17:00:00+07:00").toInstant());

        Envelope wrong = infoResponse("MOF.CUSTOMS", "MOIT.DMS", id, "COMPLETE");
        assertThat(codes(workflows.check(wrong))).containsExactly(ErrorCode.INFO_RESPONSE_WITHOUT_REQUEST);
        Envelope part = infoResponse("MOF.TAX", "MOIT.DMS", id, "PARTIAL");
        assertThat(workflows.check(part)).isEmpty();
        record(part);
        assertThat(caseState(id)).isEqualTo("PARTLY_ANSWERED");
        record(infoResponse("MOF.TAX", "MOIT.DMS", id, "COMPLETE"));
        assertThat(caseState(id)).isEqualTo("ANSWERED");
        assertChainIntact();
    }

    @Test
    void answersRecordedInOneBatchEachAdvanceTheCaseInOrder() {
        // A tax CSV chunk: many answers to one request in one journal batch, another request's answer among them.
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        for (UUID id : List.of(first, second)) {
            record(message("info.request/valid-tax-data-for-counterfeit-case.json", m -> {
                m.put("messageId", id.toString());
                m.put("createdAt", "2026-12-04T09:00:00+07:00");
                m.put("deadline", "2026-12-11T17:00:00+07:00");
            }));
        }
        Envelope part = infoResponse("MOF.TAX", "MOIT.DMS", first, "PARTIAL");
        assertThat(workflows.check(part)).isEmpty();
        assertThat(workflows.check(part)).as("asked again: known").isEmpty();
        assertThat(codes(workflows.check(infoResponse("MOF.CUSTOMS", "MOIT.DMS", first, "COMPLETE"))))
                .containsExactly(ErrorCode.INFO_RESPONSE_WITHOUT_REQUEST);
        record(List.of(part, infoResponse("MOF.TAX", "MOIT.DMS", second, "NO_DATA"),
                infoResponse("MOF.TAX", "MOIT.DMS", first, "PARTIAL"),
                infoResponse("MOF.TAX", "MOIT.DMS", first, "COMPLETE")));

        assertThat(caseState(first)).isEqualTo("ANSWERED");
        assertThat(caseState(second)).isEqualTo("ANSWERED");
        assertThat(transitions(first)).containsExactly("null>OPEN info.request",
                "OPEN>PARTLY_ANSWERED info.response PARTIAL", "PARTLY_ANSWERED>PARTLY_ANSWERED info.response PARTIAL",
                "PARTLY_ANSWERED>ANSWERED info.response COMPLETE");
        assertThat(transitions(second)).containsExactly("null>OPEN info.request", "OPEN>ANSWERED info.response NO_DATA");
        assertThat(db.queryForObject("select closed_at is not null from workflow_case where request_message_id = ?",
                Boolean.class, first)).isTrue();
        assertThat(db.queryForList("select action from audit where subject = (select id::text from workflow_case"
                + " where request_message_id = ?) order by seq", String.class, first)).containsExactly(
                "CASE_OPENED", "CASE_ADVANCED", "CASE_ADVANCED", "CASE_ADVANCED");
        assertChainIntact();
    }

    // ------------------------------------------------------------------ helpers

    private void record(Envelope message) {
        record(List.of(message));
    }

    private void record(List<Envelope> messages) {
        List<JournalEntry> entries = new java.util.ArrayList<>();
        for (Envelope message : messages) {
            byte[] canonical = canonical(message);
            List<PlannedDelivery> deliveries = message.recipients().stream()
                    .map(r -> new PlannedDelivery(UUID.randomUUID(), r, ChannelKind.REST, null, "canonical-json", null))
                    .toList();
            entries.add(new JournalEntry.Accepted(message, canonical, canonical, "0".repeat(64),
                    new Source(ChannelKind.REST, "/api/v1/messages", message.sender()), clock.instant(), deliveries,
                    "receipt".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(journal.record(entries)).allMatch(r -> r instanceof Recorded.Accepted);
    }

    private String caseState(UUID request) {
        return db.queryForObject("select state from workflow_case where request_message_id = ?", String.class, request);
    }

    private String caseState(UUID request, String responder) {
        return db.queryForObject("select state from workflow_case where request_message_id = ? and responder = ?",
                String.class, request, responder);
    }

    private List<String> transitions(UUID request) {
        return db.query("select t.from_state, t.to_state, t.cause from workflow_transition t join workflow_case c"
                + " on c.id = t.case_id where c.request_message_id = ? order by t.id",
                (rs, i) -> rs.getString(1) + ">" + rs.getString(2) + " " + rs.getString(3), request);
    }

    private void assertChainIntact() {
        try {
            assertThat(AuditLog.verify(ds)).isInstanceOf(AuditVerification.Ok.class);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ErrorCode> codes(List<ValidationError> errors) {
        return errors.stream().map(ValidationError::code).toList();
    }

    private Envelope release(String sender, UUID releases) {
        return message("freeze.request/valid-release.json", m -> {
            m.put("sender", sender);
            ((ObjectNode) m.get("payload")).put("releases", releases.toString());
        });
    }

    private Envelope reply(String example, String sender, UUID request) {
        return message(example, m -> {
            m.put("sender", sender);
            m.put("inReplyTo", request.toString());
            ((ObjectNode) m.get("payload")).put("request", request.toString());
        });
    }

    private Envelope takedownReport(String platform, UUID request, String... urls) {
        return message("takedown.report/valid-removed-and-refused.json", m -> {
            m.put("sender", platform);
            m.put("inReplyTo", request.toString());
            ObjectNode payload = (ObjectNode) m.get("payload");
            payload.put("request", request.toString());
            var results = payload.putArray("results");
            for (String url : urls) {
                results.addObject().put("url", url).put("status", "REMOVED").put("removedAt", "2026-12-04T11:00:00+07:00");
            }
        });
    }

    private Envelope infoResponse(String sender, String requester, UUID request, String status) {
        return message("info.response/valid-no-data.json", m -> {
            m.put("sender", sender);
            m.putArray("recipients").add(requester);
            m.put("inReplyTo", request.toString());
            ObjectNode payload = (ObjectNode) m.get("payload");
            payload.put("request", request.toString());
            payload.put("status", status);
        });
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(String rfc3339) {
            now = OffsetDateTime.parse(rfc3339).toInstant();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

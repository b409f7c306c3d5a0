package vn.lienthong.gateway.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.gateway.workflows.WorkflowMessages.canonical;
import static vn.lienthong.gateway.workflows.WorkflowMessages.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.inbox.JdbcInbox;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.ids.WorkingDayCalendar;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Deadlines and escalations on a real PostgreSQL and the project's registry, on a controlled clock:
 * a Decree 296 report a working day late is escalated once (also across a "restart" and with two
 * sweeping instances at once); a DELAY lapses on its third working day across a weekend and both
 * sides get the EXPIRED notice; a takedown unanswered at 24 hours is escalated, one answered is not.
 */
class EscalationsTest {

    private static final Registry REGISTRY = Registry.load(Path.of("../config/agencies.yaml"));

    private DataSource ds;
    private JdbcTemplate db;
    private JdbcWorkflowsTest.MutableClock clock;
    private JdbcWorkflows workflows;
    private JdbcJournal journal;
    private JdbcInbox inbox;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        // Friday 4 December 2026, 10:00 in Hà Nội.
        clock = new JdbcWorkflowsTest.MutableClock(OffsetDateTime.parse("2026-12-04T10:00:00+07:00").toInstant());
        workflows = new JdbcWorkflows(ds, WorkflowSettings.defaults(), new Deadlines(WorkingDayCalendar.vietnam()),
                clock);
        journal = new JdbcJournal(ds, workflows);
        inbox = new JdbcInbox(ds).withHook(workflows);
    }

    /** A gateway instance's sweep: its own journal and transactions on the shared database. */
    private Escalations instance() {
        return instance(WorkflowSettings.defaults());
    }

    private Escalations instance(WorkflowSettings settings) {
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(ds);
        return new Escalations(ds, transactions, new JdbcJournal(ds, transactions, workflows), REGISTRY,
                json -> ("signed:" + new String(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                settings, clock);
    }

    @Test
    void aPlatformLateWithSellerDataIsReportedToItsRegulatorToo() {
        UUID request = UUID.randomUUID();
        record(message("info.request/valid-seller-data-from-platforms.json", m -> {
            m.put("messageId", request.toString());
            m.put("sender", "MPS.A05");
            m.putArray("recipients").add("PLATFORM.TIKI");
            m.put("createdAt", "2026-12-04T09:00:00+07:00");
            m.put("deadline", "2026-12-07T17:00:00+07:00");
        }));
        clock.set("2026-12-07T17:00:01+07:00");
        assertThat(instance(WorkflowSettings.defaults().withResponderParents(
                java.util.Map.of("PLATFORM.*", "MOIT.ECDE"))).sweep()).isEqualTo(1);
        assertThat(notices().get(0).at("/recipients")).extracting(JsonNode::asText)
                .containsExactly("MPS.A05", "BCD389", "MOIT.ECDE");
        assertThat(notices().get(0).at("/payload/kind").asText()).isEqualTo("info");
    }

    @Test
    void aDecree296ReportAWorkingDayLateIsEscalatedOnceAcrossRestartsAndInstances() throws Exception {
        UUID request = UUID.randomUUID();
        record(message("freeze.request/valid-freeze-cpc129.json", m -> {
            m.put("messageId", request.toString());
            m.put("sender", "MOIT.DMS");
            ((ObjectNode) m.at("/payload/decision/legalGround")).put("code", "DECREE_296_2025");
        }));
        inbox.inbox("SBV", 10); // delivered Friday: due at the end of Monday 7 December
        Escalations first = instance();

        clock.set("2026-12-07T23:59:00+07:00");
        assertThat(first.sweep()).isZero();
        clock.set("2026-12-08T00:00:30+07:00");
        // Two instances sweep at once: one notice.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> sweeps = List.of(first::sweep, instance()::sweep);
            int sent = 0;
            for (Future<Integer> f : pool.invokeAll(sweeps)) {
                sent += f.get();
            }
            assertThat(sent).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        // A restart: a new instance, the same database, later still.
        clock.set("2026-12-08T09:00:00+07:00");
        assertThat(instance().sweep()).isZero();

        List<JsonNode> notices = notices();
        assertThat(notices).hasSize(1);
        JsonNode notice = notices.get(0);
        assertThat(notice.at("/sender").asText()).isEqualTo("GATEWAY");
        assertThat(notice.at("/inReplyTo").asText()).isEqualTo(request.toString());
        assertThat(notice.at("/recipients")).extracting(JsonNode::asText).containsExactly("MOIT.DMS", "BCD389");
        assertThat(notice.at("/payload/deadline").asText()).isEqualTo("DUE");
        assertThat(notice.at("/payload/state").asText()).isEqualTo("DELIVERED");
        assertThat(OffsetDateTime.parse(notice.at("/payload/dueAt").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-12-08T00:00:00+07:00").toInstant());
        // Recorded like any message: a delivery per recipient, signed, audited.
        assertThat(db.queryForObject("select count(*) from delivery d join message m on m.seq = d.message_seq"
                + " where m.type = 'deadline.overdue'", Integer.class)).isEqualTo(2);
        assertThat(db.queryForObject("select convert_from(receipt, 'UTF8') like 'signed:%' from message"
                + " where type = 'deadline.overdue'", Boolean.class)).isTrue();
        assertThat(db.queryForObject("select count(*) from audit where action = 'DEADLINE_ESCALATED'", Integer.class))
                .isEqualTo(1);

        // The report, a working day late, is still taken: the case goes on; no second notice.
        record(reply("freeze.report/valid-partially-executed-freeze.json", "SBV", "MOIT.DMS", request));
        assertThat(db.queryForObject("select state from workflow_case where request_message_id = ?", String.class,
                request)).isEqualTo("PARTIALLY_EXECUTED");
        clock.set("2026-12-10T09:00:00+07:00");
        assertThat(instance().sweep()).isZero();
        assertThat(notices()).hasSize(1);
        assertThat(AuditLog.verify(ds)).isInstanceOf(AuditVerification.Ok.class);
    }

    @Test
    void aDelayLapsesOnItsThirdWorkingDayAcrossAWeekendAndBothSidesAreTold() throws Exception {
        UUID request = UUID.randomUUID();
        // Friday, Monday, Tuesday: the third working day ends the DELAY (AML art. 44).
        record(message("freeze.request/valid-delay-aml44.json", m -> {
            m.put("messageId", request.toString());
            ObjectNode p = (ObjectNode) m.get("payload");
            p.put("start", "2026-12-04T09:30:00+07:00");
            p.put("end", "2026-12-08T17:00:00+07:00");
        }));
        inbox.inbox("SBV", 10);
        record(reply("freeze.report/valid-delay-executed.json", "SBV", "MPS.A05", request));
        assertThat(db.queryForObject("select state from workflow_case where request_message_id = ?", String.class,
                request)).isEqualTo("EXECUTED");

        clock.set("2026-12-08T16:59:00+07:00");
        assertThat(instance().sweep()).isZero();
        clock.set("2026-12-08T17:00:00+07:00");
        assertThat(instance().sweep()).isEqualTo(1);
        assertThat(instance().sweep()).isZero();

        assertThat(db.queryForObject("select state from workflow_case where request_message_id = ?", String.class,
                request)).isEqualTo("EXPIRED");
        List<JsonNode> notices = notices();
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).at("/recipients")).extracting(JsonNode::asText).containsExactly("MPS.A05", "SBV");
        assertThat(notices.get(0).at("/payload/deadline").asText()).isEqualTo("END");
        assertThat(notices.get(0).at("/payload/state").asText()).isEqualTo("EXPIRED");
        // The police get it in their REST inbox (police-case-json does not carry it), SBV in its own.
        assertThat(db.queryForList("select d.recipient || ' ' || d.channel || ' ' || d.format from delivery d"
                + " join message m on m.seq = d.message_seq where m.type = 'deadline.overdue' order by d.recipient",
                String.class)).containsExactly("MPS.A05 rest canonical-json", "SBV rest canonical-json");
        // Lapsed: a RELEASE has nothing left to lift.
        assertThat(workflows.check(message("freeze.request/valid-release.json", m -> {
            m.put("sender", "MPS.A05");
            ((ObjectNode) m.get("payload")).put("releases", request.toString());
        }))).extracting(e -> e.code().name()).containsExactly("RELEASE_NOTHING_IN_FORCE");
    }

    @Test
    void aTakedownAnsweredByOnePlatformIn23HoursAndNotByAnotherIsEscalatedAt24Hours() throws Exception {
        UUID request = UUID.randomUUID();
        Envelope takedown = message("takedown.request/valid-counterfeit-cosmetics-shopee.json", m -> {
            m.put("messageId", request.toString());
            m.putArray("recipients").add("PLATFORM.SHOPEE").add("PLATFORM.LAZADA");
        });
        record(takedown);
        inbox.inbox("PLATFORM.SHOPEE", 10);
        inbox.inbox("PLATFORM.LAZADA", 10);
        clock.advance(Duration.ofHours(23));
        List<String> urls = new ArrayList<>();
        ((vn.lienthong.schemas.v1.TakedownRequest) takedown.payload()).listings().forEach(l -> urls.add(l.url()));
        record(message("takedown.report/valid-removed-and-refused.json", m -> {
            m.put("sender", "PLATFORM.SHOPEE");
            m.putArray("recipients").add("MOIT.ECDE");
            m.put("inReplyTo", request.toString());
            ObjectNode p = (ObjectNode) m.get("payload");
            p.put("request", request.toString());
            var results = p.putArray("results");
            urls.forEach(u -> results.addObject().put("url", u).put("status", "REMOVED")
                    .put("removedAt", "2026-12-05T08:00:00+07:00"));
        }));
        assertThat(instance().sweep()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(instance().sweep()).isEqualTo(1);
        List<JsonNode> notices = notices();
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).at("/payload/responder").asText()).isEqualTo("PLATFORM.LAZADA");
        assertThat(notices.get(0).at("/payload/pendingListings").asInt()).isEqualTo(urls.size());
        assertThat(notices.get(0).at("/recipients")).extracting(JsonNode::asText).containsExactly("MOIT.ECDE", "BCD389");
    }

    // ------------------------------------------------------------------ helpers

    private List<JsonNode> notices() {
        return db.query("select canonical from message where type = 'deadline.overdue' order by seq",
                (rs, i) -> {
                    try {
                        return CanonicalJson.mapper().readTree(rs.getBytes(1));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private void record(Envelope message) {
        byte[] canonical = canonical(message);
        List<PlannedDelivery> deliveries = message.recipients().stream()
                .map(r -> new PlannedDelivery(UUID.randomUUID(), r, ChannelKind.REST, null, "canonical-json", null))
                .toList();
        journal.record(List.of(new JournalEntry.Accepted(message, canonical, canonical, "0".repeat(64),
                new Source(ChannelKind.REST, "/api/v1/messages", message.sender()), clock.instant(), deliveries,
                "receipt".getBytes(StandardCharsets.UTF_8))));
    }

    private static Envelope reply(String example, String sender, String requester, UUID request) {
        return message(example, m -> {
            m.put("sender", sender);
            m.putArray("recipients").add(requester);
            m.put("inReplyTo", request.toString());
            ((ObjectNode) m.get("payload")).put("request", request.toString());
        });
    }
}

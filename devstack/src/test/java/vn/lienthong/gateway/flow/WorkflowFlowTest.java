package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.testsupport.MovableTime;
import vn.lienthong.gateway.atrest.BodyCipher;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.workflows.Deadlines;
import vn.lienthong.gateway.workflows.Escalations;
import vn.lienthong.schemas.ids.WorkingDayCalendar;

/**
 * The workflows through the whole gateway on real servers (Kafka, Artemis, PostgreSQL, Keycloak):
 * the agencies send and receive on their channels with their real tokens, while the deadlines run
 * on a time the test moves (bean {@code workflowTime}; tokens keep the real clock) and the sweep is
 * called by the test instead of its timer. A police FREEZE executed and released; a RELEASE of a
 * freeze that does not exist and a report on a request the bank never got, refused with their
 * codes; a Decree 296 report a working day late, escalated once to the requester and BCD389; a
 * takedown answered in 23 hours by one platform and not by the other, escalated at 24 hours; a
 * DELAY lapsing on its third working day across a weekend, EXPIRED told to both sides.
 */
@SpringBootTest(classes = {GatewayApplication.class, WorkflowFlowTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class WorkflowFlowTest {

    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final ZoneOffset VN = ZoneOffset.ofHours(7);

    /** The deadlines' time, moved by the tests. */
    /** Replaces the workflows' time only. */
    @TestConfiguration
    static class Time {
        @Bean
        MovableTime workflowTime() {
            return new MovableTime();
        }
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        // The test sweeps itself, at the times it chooses.
        registry.add("lienthong.workflows.sweep", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate db;

    /** Bodies are sealed at rest: read through the gateway's cipher. */
    @Autowired
    BodyCipher cipher;

    @Autowired
    MovableTime time;

    @Autowired
    Escalations escalations;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aPoliceFreezeIsExecutedAndReleasedAndAReleaseOfNothingIsRefused() throws Exception {
        ObjectNode freeze = fresh("freeze.request/valid-freeze-cpc129.json", m -> {
            // A decision number of its own: the conflict rule would refuse a second run's FREEZE.
            ((ObjectNode) m.at("/payload/decision")).put("number", "F-" + UUID.randomUUID().toString().substring(0, 8));
        });
        String freezeId = freeze.get("messageId").asText();
        FlowSupport.kafkaSend("flow.MPS.C03.in", "MPS.C03", bytes(freeze));
        assertThat(FlowSupport.jmsReceiveAbout("flow.SBV.out", freezeId, WITHIN)).hasSize(1);
        awaitState(freezeId, "DELIVERED");

        ObjectNode report = reply("freeze.report/valid-partially-executed-freeze.json", "SBV", "MPS.C03", freezeId);
        report.with("payload").put("status", "EXECUTED").put("frozenAmountVnd", 1_250_000_000L).remove("reason");
        FlowSupport.jmsSend("flow.SBV.in", "SBV", bytes(report));
        assertThat(receiptStatus(FlowSupport.jmsReceiveAbout("flow.SBV.out", report.get("messageId").asText(), WITHIN)))
                .isEqualTo("ACCEPTED");
        awaitState(freezeId, "EXECUTED");

        // A RELEASE of a freeze that does not exist: refused with its code, quarantined.
        ObjectNode nothing = release(UUID.randomUUID().toString());
        FlowSupport.kafkaSend("flow.MPS.C03.in", "MPS.C03", bytes(nothing));
        JsonNode refused = kafkaReceipt("flow.MPS.C03.out", nothing.get("messageId").asText());
        assertThat(refused.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(refused.at("/payload/errors/0/code").asText()).isEqualTo("RELEASE_NOTHING_IN_FORCE");
        assertThat(db.queryForObject("select count(*) from quarantine where message_id = ?::uuid", Integer.class,
                nothing.get("messageId").asText())).isEqualTo(1);

        ObjectNode release = release(freezeId);
        String releaseId = release.get("messageId").asText();
        FlowSupport.kafkaSend("flow.MPS.C03.in", "MPS.C03", bytes(release));
        assertThat(FlowSupport.jmsReceiveAbout("flow.SBV.out", releaseId, WITHIN)).isNotEmpty();
        ObjectNode released = reply("freeze.report/valid-released.json", "SBV", "MPS.C03", releaseId);
        FlowSupport.jmsSend("flow.SBV.in", "SBV", bytes(released));
        awaitState(freezeId, "RELEASED");
        assertThat(transitions(freezeId)).containsExactly("REQUESTED", "DELIVERED", "EXECUTED", "EXECUTED",
                "RELEASED");
    }

    @Test
    void aFreezeReportOnARequestTheBankNeverGotIsRefused() throws Exception {
        // A request the State Bank never received: an information request to the tax department.
        ObjectNode ask = fresh("info.request/valid-tax-data-for-counterfeit-case.json", m -> {
            m.put("sender", "MOIT.DMS");
            m.putArray("recipients").add("MOF.TAX");
            m.put("deadline", OffsetDateTime.now(VN).plusDays(5).format(RFC_3339));
        });
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(ask)).status()).isEqualTo(202);
        ObjectNode report = reply("freeze.report/valid-partially-executed-freeze.json", "SBV", "MOIT.DMS",
                ask.get("messageId").asText());
        FlowSupport.jmsSend("flow.SBV.in", "SBV", bytes(report));
        JsonNode receipt = FlowSupport.verifiedReceipt(port,
                FlowSupport.jmsReceiveAbout("flow.SBV.out", report.get("messageId").asText(), WITHIN).get(0));
        assertThat(receipt.at("/payload/status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.at("/payload/errors/0/code").asText()).isEqualTo("FREEZE_REPORT_WITHOUT_REQUEST");
        assertThat(receipt.at("/payload/errors/0/pointer").asText()).isEqualTo("/payload/request");
    }

    @Test
    void aDecree296ReportAWorkingDayLateIsEscalatedOnceToTheRequesterAndBcd389() throws Exception {
        ObjectNode freeze = fresh("freeze.request/valid-freeze-cpc129.json", m -> {
            m.put("sender", "MOIT.DMS");
            ObjectNode decision = (ObjectNode) m.at("/payload/decision");
            decision.put("number", "QLTT-" + UUID.randomUUID().toString().substring(0, 8));
            decision.with("issuer").put("agency", "MOIT.DMS");
            decision.with("legalGround").put("code", "DECREE_296_2025");
        });
        String id = freeze.get("messageId").asText();
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(freeze)).status()).isEqualTo(202);
        awaitState(id, "DELIVERED");
        Instant due = db.queryForObject("select due_at from workflow_case where request_message_id = ?::uuid",
                OffsetDateTime.class, id).toInstant();
        Instant delivered = db.queryForObject("select delivered_at from workflow_case where request_message_id = ?::uuid",
                OffsetDateTime.class, id).toInstant();
        // The end of the next working day after delivery, on the holiday calendar.
        assertThat(due).isEqualTo(new Deadlines(WorkingDayCalendar.vietnam()).due(
                new vn.lienthong.gateway.workflows.WorkflowSettings.Sla(null, 1), delivered));

        time.moveTo(due.minusSeconds(60));
        escalations.sweep();
        assertThat(notices(id)).isEmpty();
        assertThat(cases("MOIT.DMS", "filter=due&dueWithinHours=1")).extracting(c -> c.at("/request").asText())
                .contains(id);
        assertThat(cases("MOIT.DMS", "filter=overdue")).extracting(c -> c.at("/request").asText()).doesNotContain(id);
        time.moveTo(due.plusSeconds(60));
        escalations.sweep();
        escalations.sweep();
        List<JsonNode> notices = notices(id);
        assertThat(notices).hasSize(1);
        String noticeId = notices.get(0).at("/messageId").asText();
        assertThat(notices.get(0).at("/recipients")).extracting(JsonNode::asText).containsExactly("MOIT.DMS", "BCD389");
        // The API: the requester (and BCD389) see it overdue; an agency with no part in it does not.
        String caseId = notices.get(0).at("/payload/caseId").asText();
        assertThat(caseIds("MOIT.DMS", "filter=overdue&kind=freeze")).contains(caseId);
        assertThat(caseIds("BCD389", "filter=overdue")).contains(caseId);
        assertThat(caseIds("MOF.CUSTOMS", "filter=all")).doesNotContain(caseId);
        assertThat(FlowSupport.get(port, "/api/v1/cases/" + caseId, "MOF.CUSTOMS").status()).isEqualTo(404);
        JsonNode one = FlowSupport.get(port, "/api/v1/cases/" + caseId, "SBV").json();
        assertThat(one.at("/state").asText()).isEqualTo("DELIVERED");
        assertThat(one.at("/overdue").asBoolean()).isTrue();
        assertThat(one.at("/transitions")).extracting(t -> t.at("/to").asText()).containsExactly("REQUESTED", "DELIVERED");
        assertThat(one.at("/messages")).extracting(m -> m.at("/type").asText())
                .containsExactly("freeze.request", "deadline.overdue");
        // The metrics count it among the overdue freezes (by kind only: no agency, no identifier).
        // (Read from the registry: the actuator is for operators, not agencies.)
        assertThat(meters.get("lienthong.workflows.cases.overdue").tag("kind", "freeze").gauge().value())
                .isGreaterThanOrEqualTo(1.0);
        // Delivered like any message: waiting in the requester's and BCD389's inboxes.
        for (String agency : List.of("MOIT.DMS", "BCD389")) {
            JsonNode item = awaitInboxItem(agency, noticeId);
            assertThat(item.at("/type").asText()).isEqualTo("deadline.overdue");
        }
        // The late report is taken, and escalates nothing more.
        ObjectNode report = reply("freeze.report/valid-partially-executed-freeze.json", "SBV", "MOIT.DMS", id);
        FlowSupport.jmsSend("flow.SBV.in", "SBV", bytes(report));
        awaitState(id, "PARTIALLY_EXECUTED");
        time.moveTo(due.plus(Duration.ofDays(3)));
        escalations.sweep();
        assertThat(notices(id)).hasSize(1);
    }

    @Test
    void aTakedownAnsweredIn23HoursByOnePlatformAndNotByTheOtherIsEscalatedAt24Hours() throws Exception {
        ObjectNode takedown = fresh("takedown.request/valid-counterfeit-cosmetics-shopee.json", m -> {
            m.putArray("recipients").add("PLATFORM.SHOPEE").add("PLATFORM.LAZADA");
            m.put("deadline", OffsetDateTime.now(VN).plusDays(1).format(RFC_3339));
        });
        String id = takedown.get("messageId").asText();
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.ECDE", bytes(takedown)).status()).isEqualTo(202);
        awaitInboxItem("PLATFORM.SHOPEE", id);
        awaitInboxItem("PLATFORM.LAZADA", id);
        Instant delivered = db.queryForObject("select max(delivered_at) from workflow_case where"
                + " request_message_id = ?::uuid", OffsetDateTime.class, id).toInstant();

        time.moveTo(delivered.plus(Duration.ofHours(23)));
        ObjectNode report = reply("takedown.report/valid-removed-and-refused.json", "PLATFORM.SHOPEE", "MOIT.ECDE", id);
        var results = report.with("payload").putArray("results");
        takedown.at("/payload/listings").forEach(l -> results.addObject().put("url", l.get("url").asText())
                .put("status", "REMOVED").put("removedAt", OffsetDateTime.now(VN).format(RFC_3339)));
        FlowSupport.Response answered = FlowSupport.post(port, "/api/v1/messages", "PLATFORM.SHOPEE", bytes(report));
        assertThat(answered.status()).as(answered.body()).isEqualTo(202);
        // A listing the request did not name: refused with its code.
        ObjectNode stray = reply("takedown.report/valid-removed-and-refused.json", "PLATFORM.LAZADA", "MOIT.ECDE", id);
        stray.with("payload").putArray("results").addObject().put("url", "https://www.lazada.vn/products/other-i1.html")
                .put("status", "REMOVED").put("removedAt", OffsetDateTime.now(VN).format(RFC_3339));
        FlowSupport.Response refused = FlowSupport.post(port, "/api/v1/messages", "PLATFORM.LAZADA", bytes(stray));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().at("/payload/errors/0/code").asText()).isEqualTo("TAKEDOWN_REPORT_UNKNOWN_LISTING");

        escalations.sweep();
        assertThat(notices(id)).isEmpty();
        time.moveTo(delivered.plus(Duration.ofHours(24)).plusSeconds(1));
        escalations.sweep();
        List<JsonNode> notices = notices(id);
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).at("/payload/responder").asText()).isEqualTo("PLATFORM.LAZADA");
        awaitInboxItem("MOIT.ECDE", notices.get(0).at("/messageId").asText());
    }

    @Test
    void aDelayLapsesOnItsThirdWorkingDayAcrossAWeekendAndBothSidesAreToldOnTheirChannels() throws Exception {
        WorkingDayCalendar calendar = WorkingDayCalendar.vietnam();
        // The next Friday that is a working day, then its third working day (across the weekend).
        LocalDate friday = LocalDate.now(VN).plusDays(1);
        while (friday.getDayOfWeek() != DayOfWeek.FRIDAY || !calendar.isWorkingDay(friday)) {
            friday = friday.plusDays(1);
        }
        LocalDate start = friday;
        LocalDate third = calendar.addWorkingDays(start, 2);
        String end = third.atTime(17, 0).atOffset(VN).format(RFC_3339);
        ObjectNode delay = fresh("freeze.request/valid-delay-aml44.json", m -> {
            m.put("sender", "MPS.C03");
            ObjectNode p = (ObjectNode) m.get("payload");
            ObjectNode decision = (ObjectNode) p.get("decision");
            decision.put("number", "D-" + UUID.randomUUID().toString().substring(0, 8));
            decision.with("issuer").put("agency", "MPS.C03");
            p.put("start", start.atTime(9, 30).atOffset(VN).format(RFC_3339));
            p.put("end", end);
        });
        String id = delay.get("messageId").asText();
        FlowSupport.kafkaSend("flow.MPS.C03.in", "MPS.C03", bytes(delay));
        assertThat(FlowSupport.jmsReceiveAbout("flow.SBV.out", id, WITHIN)).hasSize(1);
        ObjectNode executed = reply("freeze.report/valid-delay-executed.json", "SBV", "MPS.C03", id);
        FlowSupport.jmsSend("flow.SBV.in", "SBV", bytes(executed));
        awaitState(id, "EXECUTED");

        Instant ends = OffsetDateTime.parse(end).toInstant();
        time.moveTo(ends.minusSeconds(60));
        escalations.sweep();
        assertThat(notices(id)).isEmpty();
        time.moveTo(ends.plusSeconds(1));
        escalations.sweep();
        awaitState(id, "EXPIRED");
        List<JsonNode> notices = notices(id);
        assertThat(notices).hasSize(1);
        String noticeId = notices.get(0).at("/messageId").asText();
        assertThat(notices.get(0).at("/payload/state").asText()).isEqualTo("EXPIRED");
        // Both sides, each on its own channel: the police on Kafka, the State Bank on Artemis.
        List<ConsumerRecord<byte[], byte[]>> atPolice = FlowSupport.kafkaRecordsAbout("flow.MPS.C03.out", noticeId, WITHIN);
        assertThat(atPolice).isNotEmpty();
        assertThat(json(atPolice.get(0).value()).at("/type").asText()).isEqualTo("deadline.overdue");
        List<String> atBank = FlowSupport.jmsReceiveAbout("flow.SBV.out", noticeId, WITHIN);
        assertThat(atBank).hasSize(1);
        assertThat(json(atBank.get(0)).at("/payload/deadline").asText()).isEqualTo("END");
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode release(String releases) {
        return fresh("freeze.request/valid-release.json", m -> {
            m.put("sender", "MPS.C03");
            ((ObjectNode) m.get("payload")).put("releases", releases);
        });
    }

    private static ObjectNode reply(String example, String sender, String requester, String request) {
        return fresh(example, m -> {
            m.put("sender", sender);
            m.putArray("recipients").add(requester);
            m.put("inReplyTo", request);
            ObjectNode p = (ObjectNode) m.get("payload");
            p.put("request", request);
            String now = OffsetDateTime.now(VN).format(RFC_3339);
            if (p.has("executedAt")) {
                p.put("executedAt", now);
            }
            if (p.has("reportedAt")) {
                p.put("reportedAt", now);
            }
        });
    }

    /** A bundled example with a fresh messageId, created now, edited. */
    private static ObjectNode fresh(String example, Consumer<ObjectNode> edit) {
        ObjectNode m = (ObjectNode) json(FlowSupport.example(example));
        m.put("messageId", UUID.randomUUID().toString());
        m.put("createdAt", OffsetDateTime.now(VN).format(RFC_3339));
        edit.accept(m);
        return m;
    }

    private void awaitState(String request, String state) {
        await().atMost(WITHIN).until(() -> db.queryForList("select state from workflow_case where"
                + " request_message_id = ?::uuid", String.class, request).contains(state));
    }

    private List<String> transitions(String request) {
        return db.queryForList("select t.to_state from workflow_transition t join workflow_case c on c.id = t.case_id"
                + " where c.request_message_id = ?::uuid order by t.id", String.class, request);
    }

    private List<JsonNode> notices(String request) {
        List<JsonNode> notices = new ArrayList<>();
        db.queryForList("select canonical from message where type = 'deadline.overdue'"
                + " and in_reply_to = ?::uuid order by seq", byte[].class, request)
                .forEach(b -> notices.add(json(new String(cipher.open(b), java.nio.charset.StandardCharsets.UTF_8))));
        return notices;
    }

    private List<JsonNode> cases(String agency, String query) {
        FlowSupport.Response r = FlowSupport.get(port, "/api/v1/cases?" + query, agency);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        r.json().at("/items").forEach(items::add);
        return items;
    }

    private List<String> caseIds(String agency, String query) {
        return cases(agency, query).stream().map(c -> c.at("/id").asText()).toList();
    }

    private JsonNode awaitInboxItem(String agency, String messageId) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WITHIN).until(() -> {
            for (JsonNode item : FlowSupport.get(port, "/api/v1/inbox?limit=500", agency).json().at("/items")) {
                if (item.at("/messageId").asText().equals(messageId)) {
                    found[0] = item;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private JsonNode kafkaReceipt(String topic, String messageId) {
        for (ConsumerRecord<byte[], byte[]> r : FlowSupport.kafkaRecordsAbout(topic, messageId, WITHIN)) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            if (!value.startsWith("{")) {
                return FlowSupport.verifiedReceipt(port, value);
            }
        }
        throw new AssertionError("no receipt about " + messageId + " on " + topic);
    }

    private String receiptStatus(List<String> jws) {
        assertThat(jws).isNotEmpty();
        return FlowSupport.verifiedReceipt(port, jws.get(0)).at("/payload/status").asText();
    }
}

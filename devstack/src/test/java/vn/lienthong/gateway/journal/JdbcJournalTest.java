package vn.lienthong.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.message.Source;

/** The journal on a real PostgreSQL: batches, duplicates, quarantine, all-or-nothing. */
class JdbcJournalTest {

    private DataSource ds;
    private JdbcTemplate db;
    private JdbcJournal journal;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        journal = new JdbcJournal(ds);
    }

    @Test
    void aBatchRecordsMessagesDeliveriesAndAudit() throws Exception {
        PlannedDelivery toMoit = Entries.push("MOIT.ECDE", "PROV.79|MOIT.ECDE|case-1");
        PlannedDelivery toA05 = Entries.pull("MPS.A05");
        JournalEntry.Accepted first = Entries.accepted(Entries.envelope(UUID.randomUUID(), "PROV.79",
                List.of("MOIT.ECDE", "MPS.A05"), "case-1", Priority.URGENT), "receipt-1", toMoit, toA05);
        JournalEntry.Accepted second = Entries.accepted("PROV.79", UUID.randomUUID(), "receipt-2",
                Entries.push("MOIT.ECDE", null));
        JournalEntry.Accepted third = Entries.accepted("MPS.C03", UUID.randomUUID(), "receipt-3",
                Entries.push("SBV", null), Entries.push("GDT", null));

        List<Recorded> results = journal.record(List.of(first, second, third));

        assertThat(results).hasSize(3).allMatch(r -> r instanceof Recorded.Accepted);
        assertThat(results).extracting(r -> new String(r.receipt(), StandardCharsets.UTF_8))
                .containsExactly("receipt-1", "receipt-2", "receipt-3");
        long seq1 = ((Recorded.Accepted) results.get(0)).seq();
        assertThat(results).extracting(r -> ((Recorded.Accepted) r).seq()).containsExactly(seq1, seq1 + 1, seq1 + 2);

        Map<String, Object> row = db.queryForMap("select * from message where seq = ?", seq1);
        assertThat(row).containsEntry("message_id", first.message().messageId())
                .containsEntry("sender", "PROV.79").containsEntry("type", "violation.notice")
                .containsEntry("correlation_id", "case-1").containsEntry("priority", "urgent")
                .containsEntry("classification", "internal").containsEntry("channel", "jms")
                .containsEntry("source", "lienthong.in.PROV.79").containsEntry("input_sha256", first.inputSha256());
        assertThat((String[]) ((Array) row.get("recipients")).getArray()).containsExactly("MOIT.ECDE", "MPS.A05");
        // Its original is its own canonical form: stored once, the canonical is the original.
        assertThat(row.get("original")).isNull();
        assertThat(db.queryForObject("select coalesce(original, canonical) from message where seq = ?", byte[].class,
                seq1)).isEqualTo(first.original());
        assertThat((byte[]) row.get("canonical")).isEqualTo(first.canonical());
        assertThat(db.queryForObject("select received_at from message where seq = ?", OffsetDateTime.class, seq1)
                .toInstant()).isEqualTo(first.receivedAt());

        List<Map<String, Object>> deliveries = db.queryForList(
                "select d.*, d.next_attempt_at <= now() as due from delivery d order by seq");
        assertThat(deliveries).extracting(d -> d.get("id"))
                .containsExactly(toMoit.id(), toA05.id(), second.deliveries().get(0).id(),
                        third.deliveries().get(0).id(), third.deliveries().get(1).id());
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d).containsEntry("status", "PENDING").containsEntry("attempts", 0).containsEntry("due", true);
        });
        assertThat(deliveries.get(0)).containsEntry("message_seq", seq1).containsEntry("recipient", "MOIT.ECDE")
                .containsEntry("channel", "kafka").containsEntry("address", "lienthong.out.MOIT.ECDE")
                .containsEntry("format", "canonical-json").containsEntry("order_key", "PROV.79|MOIT.ECDE|case-1")
                .containsEntry("urgent", true);
        assertThat(deliveries.get(1)).containsEntry("address", null).containsEntry("channel", "rest");
        assertThat(deliveries.get(2)).containsEntry("urgent", false).containsEntry("order_key", null);

        List<Map<String, Object>> audit = db.queryForList("select actor, action, subject, detail::text as detail"
                + " from audit order by seq");
        assertThat(audit).extracting(a -> a.get("action")).containsOnly("MESSAGE_ACCEPTED");
        assertThat(audit).extracting(a -> a.get("actor")).containsExactly("PROV.79", "PROV.79", "MPS.C03");
        assertThat(audit).extracting(a -> a.get("subject")).containsExactly(first.message().messageId().toString(),
                second.message().messageId().toString(), third.message().messageId().toString());
        JsonNode detail = new ObjectMapper().readTree((String) audit.get(0).get("detail"));
        assertThat(detail.get("messageSeq").asLong()).isEqualTo(seq1);
        assertThat(detail.get("type").asText()).isEqualTo("violation.notice");
        assertThat(detail.get("recipients")).hasSize(2);
        assertThat(detail.get("deliveries").get(0).get("deliveryId").asText()).isEqualTo(toMoit.id().toString());
        // Identifiers and routing only: nothing of the payload, nor the free-text correlationId.
        String allDetails = audit.toString();
        assertThat(allDetails).doesNotContain("Guangzhou", "QLTT-HCM", "case-1");

        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(3));
    }

    @Test
    void aDuplicateInALaterBatchReturnsTheOriginalReceiptAndRecordsNothing() {
        UUID id = UUID.randomUUID();
        Recorded original = journal.record(List.of(Entries.accepted("PROV.79", id, "original receipt",
                Entries.push("MOIT.ECDE", null)))).get(0);
        Counts before = counts();

        // The same content again (a resend that reuses the id for other content is a reuse: see below).
        List<Recorded> again = journal.record(List.of(
                Entries.accepted("PROV.79", id, "another receipt", Entries.push("MOIT.ECDE", null))));

        assertThat(again).hasSize(1);
        assertThat(again.get(0)).isInstanceOf(Recorded.Duplicate.class);
        assertThat(((Recorded.Duplicate) again.get(0)).seq()).isEqualTo(((Recorded.Accepted) original).seq());
        assertThat(new String(again.get(0).receipt(), StandardCharsets.UTF_8)).isEqualTo("original receipt");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aDuplicateWithinTheSameBatchReturnsTheFirstReceiptAndRecordsItOnce() {
        UUID id = UUID.randomUUID();
        List<Recorded> results = journal.record(List.of(
                Entries.accepted("PROV.79", id, "first", Entries.push("MOIT.ECDE", null)),
                Entries.accepted("PROV.79", id, "second", Entries.push("MOIT.ECDE", null)),
                Entries.accepted("PROV.79", UUID.randomUUID(), "third", Entries.push("MOIT.ECDE", null))));

        assertThat(results.get(0)).isInstanceOf(Recorded.Accepted.class);
        assertThat(results.get(1)).isInstanceOf(Recorded.Duplicate.class);
        assertThat(results.get(2)).isInstanceOf(Recorded.Accepted.class);
        long seq = ((Recorded.Accepted) results.get(0)).seq();
        assertThat(((Recorded.Duplicate) results.get(1)).seq()).isEqualTo(seq);
        assertThat(new String(results.get(1).receipt(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(counts()).isEqualTo(new Counts(2, 2, 2, 0));
        assertThat(db.queryForList("select recipient from delivery where message_seq = ?", String.class, seq))
                .containsExactly("MOIT.ECDE");
    }

    /** What the pipeline makes of a reuse: a refusal with its own receipt (here: text naming the id). */
    private static JournalEntry.Refused reusedRefusal(JournalEntry.Accepted a) {
        return new JournalEntry.Refused(UUID.randomUUID(), a.source(), a.source().agency(), a.message().messageId(),
                a.original(), a.inputSha256(), a.receivedAt(),
                List.of(ValidationError.of(ErrorCode.MESSAGE_ID_REUSED, "/messageId", "reused")),
                ("reused " + a.message().messageId()).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReusedMessageIdWithOtherContentIsQuarantinedWithItsOwnReceiptAndChangesNothingElse() throws Exception {
        journal = new JdbcJournal(ds, new org.springframework.jdbc.datasource.DataSourceTransactionManager(ds),
                JdbcJournalTest::reusedRefusal);
        UUID id = UUID.randomUUID();
        Recorded original = journal.record(List.of(Entries.accepted("PROV.79", id, "original receipt",
                Entries.push("MOIT.ECDE", null)))).get(0);
        JournalEntry.Accepted corrected = Entries.accepted(Entries.envelope(id, "PROV.79", List.of("MOIT.ECDE"),
                "a correction", null), "corrected receipt", Entries.push("MOIT.ECDE", null));
        JournalEntry.Accepted same = Entries.accepted("PROV.79", id, "another receipt", Entries.push("MOIT.ECDE", null));

        List<Recorded> results = journal.record(List.of(corrected, same));

        assertThat(results.get(0)).isInstanceOf(Recorded.Quarantined.class);
        assertThat(new String(results.get(0).receipt(), StandardCharsets.UTF_8)).isEqualTo("reused " + id);
        assertThat(results.get(1)).isInstanceOf(Recorded.Duplicate.class);
        assertThat(new String(results.get(1).receipt(), StandardCharsets.UTF_8)).isEqualTo("original receipt");
        assertThat(((Recorded.Duplicate) results.get(1)).seq()).isEqualTo(((Recorded.Accepted) original).seq());
        assertThat(counts()).isEqualTo(new Counts(1, 1, 2, 1));
        assertThat(db.queryForObject("select errors->0->>'code' from quarantine", String.class))
                .isEqualTo("MESSAGE_ID_REUSED");
        assertThat((byte[]) db.queryForObject("select original from quarantine", byte[].class))
                .isEqualTo(corrected.original());
        assertThat(db.queryForObject("select canonical from message", byte[].class)).isNotEqualTo(corrected.canonical());
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(2));
    }

    @Test
    void aReusedMessageIdWithinOneBatchKeepsTheFirstAndRefusesTheOther() {
        journal = new JdbcJournal(ds, new org.springframework.jdbc.datasource.DataSourceTransactionManager(ds),
                JdbcJournalTest::reusedRefusal);
        UUID id = UUID.randomUUID();
        List<Recorded> results = journal.record(List.of(
                Entries.accepted("PROV.79", id, "first", Entries.push("MOIT.ECDE", null)),
                Entries.accepted(Entries.envelope(id, "PROV.79", List.of("MOIT.ECDE"), "other", null), "second",
                        Entries.push("MOIT.ECDE", null))));
        assertThat(results.get(0)).isInstanceOf(Recorded.Accepted.class);
        assertThat(results.get(1)).isInstanceOf(Recorded.Quarantined.class);
        assertThat(counts()).isEqualTo(new Counts(1, 1, 2, 1));
    }

    @Test
    void theSameContentWithMembersInAnotherOrderIsTheSameMessage() {
        assertThat(JdbcJournal.sameContent("{\"a\":1,\"b\":[1,2]}".getBytes(StandardCharsets.UTF_8),
                "{ \"b\": [1, 2], \"a\": 1 }".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(JdbcJournal.sameContent("{\"a\":1,\"b\":[1,2]}".getBytes(StandardCharsets.UTF_8),
                "{\"a\":1,\"b\":[2,1]}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void withoutAWayToRefuseAReuseTheBatchFailsAndRecordsNothing() {
        UUID id = UUID.randomUUID();
        journal.record(List.of(Entries.accepted("PROV.79", id, "first", Entries.push("MOIT.ECDE", null))));
        Counts before = counts();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.record(List.of(Entries.accepted(
                Entries.envelope(id, "PROV.79", List.of("MOIT.ECDE"), "other", null), "second",
                Entries.push("MOIT.ECDE", null))))).hasMessageContaining("reused with other content");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void theSameMessageIdFromAnotherSenderIsAnotherMessage() {
        UUID id = UUID.randomUUID();
        List<Recorded> results = journal.record(List.of(
                Entries.accepted("PROV.79", id, "a", Entries.push("MOIT.ECDE", null)),
                Entries.accepted("MPS.C03", id, "b", Entries.push("MOIT.ECDE", null))));
        assertThat(results).allMatch(r -> r instanceof Recorded.Accepted);
        assertThat(counts().messages()).isEqualTo(2);
    }

    @Test
    void aRefusedInputGoesToQuarantineWithItsBytesAndErrors() throws Exception {
        UUID qid = UUID.randomUUID();
        byte[] original = "{\"messageId\": not json".getBytes(StandardCharsets.UTF_8);
        JournalEntry.Refused refused = Entries.refused(qid, original, "negative receipt");

        List<Recorded> results = journal.record(List.of(refused));

        assertThat(results).containsExactly(new Recorded.Quarantined(qid, results.get(0).receipt()));
        assertThat(new String(results.get(0).receipt(), StandardCharsets.UTF_8)).isEqualTo("negative receipt");
        Map<String, Object> row = db.queryForMap("select id, channel, source, claimed_sender, message_id,"
                + " input_sha256, original, errors::text as errors, receipt from quarantine");
        assertThat(row).containsEntry("id", qid).containsEntry("channel", "sftp")
                .containsEntry("source", "/in/PROV.79/drop-1.json").containsEntry("claimed_sender", "PROV.79")
                .containsEntry("message_id", refused.messageId()).containsEntry("input_sha256", refused.inputSha256());
        assertThat((byte[]) row.get("original")).isEqualTo(original);
        JsonNode errors = new ObjectMapper().readTree((String) row.get("errors"));
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("code").asText()).isEqualTo("SCHEMA_REQUIRED");
        assertThat(errors.get(0).get("pointer").asText()).isEqualTo("/payload/caseRef");
        assertThat(errors.get(0).get("message").asText()).isEqualTo("caseRef is required");
        assertThat(errors.get(1).get("code").asText()).isEqualTo("INVALID_CCCD");

        Map<String, Object> audit = db.queryForMap("select actor, action, subject, detail::text as detail from audit");
        assertThat(audit).containsEntry("action", "INPUT_QUARANTINED").containsEntry("actor", "PROV.79")
                .containsEntry("subject", qid.toString());
        JsonNode detail = new ObjectMapper().readTree((String) audit.get("detail"));
        assertThat(detail.get("errors").get(1).get("code").asText()).isEqualTo("INVALID_CCCD");
        assertThat(detail.get("errors").get(1).has("message")).isFalse();
        assertThat(counts()).isEqualTo(new Counts(0, 0, 1, 1));
    }

    @Test
    void aHostileRefusedInputCannotFailItsBatch() throws Exception {
        JournalEntry.Refused template = Entries.refused(UUID.randomUUID(), new byte[] {0, 1}, "q");
        JournalEntry.Refused hostile = new JournalEntry.Refused(template.quarantineId(),
                new Source(ChannelKind.SFTP, "/in/x\u0000.json", "PROV.79"), "PROV\u0000.79", null,
                template.original(), template.inputSha256(), template.receivedAt(),
                List.of(ValidationError.of(ErrorCode.DUPLICATE_KEY, "/a\u0000b\ud800", "key twice")), template.receipt());
        assertThat(journal.record(List.of(hostile, Entries.accepted("PROV.79", UUID.randomUUID(), "r",
                Entries.push("MOIT.ECDE", null))))).hasSize(2);
        assertThat(db.queryForObject("select errors->0->>'pointer' from quarantine", String.class))
                .isEqualTo("/a\ufffdb\ufffd");
        assertThat(db.queryForObject("select claimed_sender from quarantine", String.class)).isEqualTo("PROV\ufffd.79");
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(2));
    }

    @Test
    void acceptedDuplicateAndRefusedInputsKeepTheirOrderInOneBatch() {
        UUID id = UUID.randomUUID();
        journal.record(List.of(Entries.accepted("PROV.79", id, "old", Entries.push("MOIT.ECDE", null))));
        UUID qid = UUID.randomUUID();
        List<Recorded> results = journal.record(List.of(
                Entries.accepted("PROV.79", UUID.randomUUID(), "new", Entries.push("MOIT.ECDE", null)),
                Entries.refused(qid, new byte[] {1, 2, 3}, "refused"),
                Entries.accepted("PROV.79", id, "retry", Entries.push("MOIT.ECDE", null))));
        assertThat(results.get(0)).isInstanceOf(Recorded.Accepted.class);
        assertThat(results.get(1)).isEqualTo(new Recorded.Quarantined(qid, results.get(1).receipt()));
        assertThat(results.get(2)).isInstanceOf(Recorded.Duplicate.class);
        assertThat(new String(results.get(2).receipt(), StandardCharsets.UTF_8)).isEqualTo("old");
        assertThat(db.queryForList("select action from audit order by seq", String.class))
                .containsExactly("MESSAGE_ACCEPTED", "MESSAGE_ACCEPTED", "INPUT_QUARANTINED");
    }

    @Test
    void aFailingTransactionRecordsNothing() throws Exception {
        journal.record(List.of(Entries.accepted("PROV.79", UUID.randomUUID(), "before",
                Entries.push("MOIT.ECDE", null))));
        Counts before = counts();
        PlannedDelivery clash = Entries.push("MOIT.ECDE", null);
        List<JournalEntry> batch = new ArrayList<>();
        batch.add(Entries.accepted("PROV.79", UUID.randomUUID(), "a", Entries.push("MOIT.ECDE", null)));
        batch.add(Entries.refused(UUID.randomUUID(), new byte[] {42}, "q"));
        batch.add(Entries.accepted("PROV.79", UUID.randomUUID(), "b", clash));
        // The same delivery id again, in the middle of the batch: a primary-key violation.
        batch.add(Entries.accepted("MPS.C03", UUID.randomUUID(), "c", clash));
        batch.add(Entries.accepted("MPS.C03", UUID.randomUUID(), "d", Entries.push("SBV", null)));

        assertThatThrownBy(() -> journal.record(batch)).isInstanceOf(DataAccessException.class);

        assertThat(counts()).isEqualTo(before);
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(1));
        // And the journal goes on: the chain continues from the last committed entry.
        batch.remove(3);
        assertThat(journal.record(batch)).hasSize(4);
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(5));
    }

    @Test
    void largeBatchesAreSplitIntoSeveralInserts() throws Exception {
        List<JournalEntry> batch = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            batch.add(Entries.accepted(i % 2 == 0 ? "PROV.79" : "MPS.C03", UUID.randomUUID(), "r" + i,
                    Entries.push("MOIT.ECDE", null)));
        }
        batch.add(batch.get(1_500));
        List<Recorded> results = journal.record(batch);
        assertThat(results.subList(0, 2_345)).allMatch(r -> r instanceof Recorded.Accepted);
        assertThat(results.get(2_345)).isInstanceOf(Recorded.Duplicate.class);
        assertThat(((Recorded.Duplicate) results.get(2_345)).seq())
                .isEqualTo(((Recorded.Accepted) results.get(1_500)).seq());
        // Acceptance order is batch order, for messages and their deliveries alike.
        assertThat(results.subList(0, 2_345)).extracting(r -> ((Recorded.Accepted) r).seq()).isSorted();
        assertThat(db.queryForList("select message_seq from delivery order by seq", Long.class)).isSorted();
        assertThat(counts()).isEqualTo(new Counts(2_345, 2_345, 2_345, 0));
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(2_345));
    }

    @Test
    void theFirstPendingDeliveryOfEachOrderKeyIsItsHead() {
        String k = "PROV.79|MOIT.ECDE|case-1";
        journal.record(List.of(
                Entries.accepted("PROV.79", UUID.randomUUID(), "a", Entries.push("MOIT.ECDE", k)),
                Entries.accepted("PROV.79", UUID.randomUUID(), "b", Entries.push("MOIT.ECDE", k),
                        Entries.push("MPS.A05", "PROV.79|MPS.A05|case-1")),
                Entries.accepted("PROV.79", UUID.randomUUID(), "c", Entries.push("SBV", null))));
        journal.record(List.of(Entries.accepted("PROV.79", UUID.randomUUID(), "d", Entries.push("MOIT.ECDE", k))));
        assertThat(db.queryForList("select h.order_key || ' ' || d.seq from delivery_order_head h"
                + " join delivery d on d.seq = h.head_seq order by h.order_key", String.class))
                .containsExactly(k + " 1", "PROV.79|MPS.A05|case-1 3");
    }

    @Test
    void anEmptyBatchRecordsNothing() {
        assertThat(journal.record(List.of())).isEmpty();
        assertThat(counts()).isEqualTo(new Counts(0, 0, 0, 0));
    }

    @Test
    void anOriginalThatIsNotItsCanonicalFormIsKeptBesideIt() {
        JournalEntry.Accepted a = Entries.accepted("PROV.79", UUID.randomUUID(), "r", Entries.push("MOIT.ECDE", null));
        byte[] pretty = ("{\n  " + new String(a.canonical(), StandardCharsets.UTF_8).substring(1))
                .getBytes(StandardCharsets.UTF_8);
        journal.record(List.of(new JournalEntry.Accepted(a.message(), a.canonical(), pretty, a.inputSha256(),
                a.source(), a.receivedAt(), a.deliveries(), a.receipt())));
        Map<String, Object> row = db.queryForMap("select original, canonical from message where message_id = ?",
                a.message().messageId());
        assertThat((byte[]) row.get("original")).isEqualTo(pretty);
        assertThat((byte[]) row.get("canonical")).isEqualTo(a.canonical());
    }

    @Test
    void sourcesOfEveryKindAreRecordedByTheirLowerCaseName() {
        for (ChannelKind kind : ChannelKind.values()) {
            JournalEntry.Accepted a = Entries.accepted("PROV.79", UUID.randomUUID(), "r",
                    Entries.push("MOIT.ECDE", null));
            journal.record(List.of(new JournalEntry.Accepted(a.message(), a.canonical(), a.original(), a.inputSha256(),
                    new Source(kind, "in", "PROV.79"), a.receivedAt(), a.deliveries(), a.receipt())));
        }
        assertThat(db.queryForList("select channel from message order by seq", String.class))
                .containsExactly("rest", "jms", "kafka", "sftp");
    }

    record Counts(long messages, long deliveries, long audit, long quarantine) {
    }

    private Counts counts() {
        return new Counts(count("message"), count("delivery"), count("audit"), count("quarantine"));
    }

    @Test
    void eachAcceptedMessageKeepsItsSignatureMarkInItsRowAndAuditEntry() throws Exception {
        String fingerprint = "ab".repeat(32);
        List<JournalEntry> entries = new ArrayList<>();
        for (Decoded.Signature s : List.of(Decoded.Signature.verified("PROV.37", "CN=Van thu,O=UBND,C=VN", fingerprint),
                Decoded.Signature.UNSIGNED, Decoded.Signature.NOT_APPLICABLE)) {
            JournalEntry.Accepted a = Entries.accepted("PROV.37", UUID.randomUUID(), "r", Entries.push("MOIT.DMS", null));
            entries.add(new JournalEntry.Accepted(a.message(), a.canonical(), a.original(), a.inputSha256(), a.source(),
                    a.receivedAt(), a.deliveries(), a.receipt(), s));
        }

        journal.record(entries);

        List<Map<String, Object>> rows = db.queryForList("select signature_status, signer_agency, signer_subject,"
                + " signer_fingerprint from message order by seq");
        assertThat(rows).extracting(r -> r.get("signature_status")).containsExactly("verified", "unsigned", "not_applicable");
        assertThat(rows.get(0)).containsEntry("signer_agency", "PROV.37")
                .containsEntry("signer_subject", "CN=Van thu,O=UBND,C=VN").containsEntry("signer_fingerprint", fingerprint);
        assertThat(rows.get(1)).containsEntry("signer_agency", null).containsEntry("signer_subject", null)
                .containsEntry("signer_fingerprint", null);
        List<String> details = db.queryForList("select detail->>'signature' from audit order by seq", String.class);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(details.get(0))).isEqualTo(json.readTree("{\"status\":\"verified\","
                + "\"signerAgency\":\"PROV.37\",\"signerFingerprint\":\"" + fingerprint + "\"}"));
        assertThat(json.readTree(details.get(1))).isEqualTo(json.readTree("{\"status\":\"unsigned\"}"));
        assertThat(json.readTree(details.get(2))).isEqualTo(json.readTree("{\"status\":\"not_applicable\"}"));
        assertThat(AuditLog.verify(ds)).isEqualTo(new AuditVerification.Ok(3));
        // The table itself refuses a verified mark without its signer.
        assertThatThrownBy(() -> db.update("update message set signer_fingerprint = null where signature_status = 'verified'"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("message_signer_when_verified");
    }

    private long count(String table) {
        return db.queryForObject("select count(*) from " + table, Long.class);
    }
}

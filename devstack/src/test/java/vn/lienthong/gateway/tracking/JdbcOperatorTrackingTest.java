package vn.lienthong.gateway.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.dispatch.DeliveryOutcome;
import vn.lienthong.gateway.dispatch.DueDelivery;
import vn.lienthong.gateway.dispatch.JdbcOutbox;
import vn.lienthong.gateway.dispatch.RetryPolicy;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.message.PlannedDelivery;

/**
 * The operator's seat on a real PostgreSQL: search by every filter with keyset pages and an
 * estimate, a message with every attempt (identifiers masked), refused inputs and the audited
 * reading of their bytes, resend one or by filter, abandon releasing the order key, pause and
 * resume of a recipient — every act in the audit with the person and reason, the chain intact.
 */
class JdbcOperatorTrackingTest {

    private static final RetryPolicy ONCE = new RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1));
    private static final OperatorTracking.Act ACT = new OperatorTracking.Act("person:operator", "id-1",
            "the recipient asked for it");

    private DataSource ds;
    private JdbcTemplate db;
    private JdbcJournal journal;
    private JdbcOutbox outbox;
    private JdbcOperatorTracking tracking;
    private final List<DueDelivery> sent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        db.update("delete from recipient_pause");
        journal = new JdbcJournal(ds);
        outbox = new JdbcOutbox(ds, ONCE);
        tracking = new JdbcOperatorTracking(ds);
    }

    @Test
    void searchFiltersPagesByKeysetAndEstimatesTheTotal() {
        List<UUID> toSbv = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            toSbv.add(record("MPS.C03", "case-" + i, Entries.push("SBV", null)).message().messageId());
        }
        JournalEntry.Accepted other = record("PROV.79", "case-x", Entries.push("MOIT.ECDE", null));

        OperatorTracking.Page<MessageSummary> first = tracking.search(query(q -> q.sender = "MPS.C03", 2));
        assertThat(first.items()).extracting(MessageSummary::messageId).containsExactly(toSbv.get(4), toSbv.get(3));
        assertThat(first.next()).isNotNull();
        assertThat(first.totalEstimate()).isPositive();
        OperatorTracking.Page<MessageSummary> second = tracking.search(query(q -> {
            q.sender = "MPS.C03";
            q.after = Long.parseLong(first.next());
        }, 2));
        assertThat(second.items()).extracting(MessageSummary::messageId).containsExactly(toSbv.get(2), toSbv.get(1));
        OperatorTracking.Page<MessageSummary> last = tracking.search(query(q -> {
            q.sender = "MPS.C03";
            q.after = Long.parseLong(second.next());
        }, 2));
        assertThat(last.items()).extracting(MessageSummary::messageId).containsExactly(toSbv.get(0));
        assertThat(last.next()).isNull();

        assertThat(ids(query(q -> q.recipient = "MOIT.ECDE", 50))).containsExactly(other.message().messageId());
        assertThat(ids(query(q -> q.correlationId = "case-3", 50))).containsExactly(toSbv.get(3));
        assertThat(ids(query(q -> q.messageId = toSbv.get(1), 50))).containsExactly(toSbv.get(1));
        assertThat(ids(query(q -> q.type = "violation.notice", 50))).hasSize(6);
        assertThat(ids(query(q -> q.channel = "jms", 50))).hasSize(6);
        assertThat(ids(query(q -> q.channel = "kafka", 50))).isEmpty();
        assertThat(ids(query(q -> q.classification = db.queryForObject(
                "select classification from message limit 1", String.class), 50))).hasSize(6);
        assertThat(ids(query(q -> q.classification = "no-such-classification", 50))).isEmpty();
        assertThat(ids(query(q -> q.status = "PENDING", 50))).hasSize(6);
        assertThat(ids(query(q -> q.status = "FAILED", 50))).isEmpty();
        assertThat(ids(query(q -> q.from = Instant.now().plusSeconds(3600), 50))).isEmpty();
        assertThat(ids(query(q -> q.to = Instant.now().plusSeconds(3600), 50))).hasSize(6);
        assertThat(first.items().get(0).deliveries()).containsExactly(Map.entry("PENDING", 1));
    }

    @Test
    void aMessageShowsEveryDeliveryAndAttemptWithIdentifiersMasked() {
        PlannedDelivery d = Entries.push("SBV", null);
        JournalEntry.Accepted m = record("MPS.C03", null, d);
        outbox.dispatch(10, failing(Set.of(d.id()), "HTTP 500 for account 0011004123456"));

        MessageDetail detail = tracking.message(m.message().messageId(), null).orElseThrow();
        assertThat(detail.sender()).isEqualTo("MPS.C03");
        MessageDetail.Delivery delivery = detail.deliveries().get(0);
        assertThat(delivery.status()).isEqualTo("FAILED");
        assertThat(delivery.attemptLog()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("ERROR");
            assertThat(a.error()).isEqualTo("HTTP 500 for account [number]");
        });
        // Rows written before masking existed (or by hand) are masked when shown.
        db.update("update delivery_attempt set error = 'CCCD 001099012345 refused'");
        assertThat(tracking.message(m.message().messageId(), "MPS.C03").orElseThrow().deliveries().get(0)
                .attemptLog().get(0).error()).isEqualTo("CCCD [number] refused");
        assertThat(tracking.message(m.message().messageId(), "SBV")).isEmpty();
        assertThat(tracking.message(UUID.randomUUID(), null)).isEmpty();
    }

    @Test
    void aFirstTryDeliveryStoresNoAttemptRowAndItsHistoryStaysTheSame() {
        PlannedDelivery first = Entries.push("SBV", null);
        PlannedDelivery retried = Entries.push("MOIT.ECDE", null);
        JournalEntry.Accepted m = record("MPS.C03", null, first, retried);
        outbox.dispatch(10, failing(Set.of(retried.id()), "HTTP 503"));
        assertThat(tracking.resend(retried.id(), ACT)).isTrue();
        outbox.dispatch(10, failing(Set.of(), "unused"));

        // Only the retried delivery's two attempts are rows; the first try's success is its delivery row.
        assertThat(db.queryForList("select delivery_id from delivery_attempt", UUID.class))
                .containsOnly(retried.id()).hasSize(2);
        Map<UUID, MessageDetail.Delivery> shown = new java.util.HashMap<>();
        tracking.message(m.message().messageId(), null).orElseThrow().deliveries()
                .forEach(d -> shown.put(d.deliveryId(), d));
        MessageDetail.Delivery once = shown.get(first.id());
        assertThat(once.attemptLog()).containsExactly(
                new MessageDetail.Attempt(1, once.deliveredAt(), "DELIVERED", null));
        assertThat(shown.get(retried.id()).attemptLog()).extracting(a -> a.attempt() + " " + a.outcome())
                .containsExactly("1 ERROR", "2 DELIVERED");
        assertThat(shown.get(retried.id()).attemptLog().get(1).at()).isEqualTo(shown.get(retried.id()).deliveredAt());

        // A first try stored as a row (before migration V5_8, or by the inbox) is shown once, as stored.
        db.update("insert into delivery_attempt (delivery_id, attempt, at, outcome) select id, 1, delivered_at,"
                + " 'DELIVERED' from delivery where id = ?", first.id());
        assertThat(tracking.message(m.message().messageId(), null).orElseThrow().deliveries().stream()
                .filter(d -> d.deliveryId().equals(first.id())).findFirst().orElseThrow().attemptLog())
                .containsExactly(new MessageDetail.Attempt(1, once.deliveredAt(), "DELIVERED", null));
    }

    @Test
    void aRestrictedBodyIsShownOnlyWithAReasonAndTheReadingIsAudited() {
        JournalEntry.Accepted m = record("MPS.C03", null, Entries.push("SBV", null));
        UUID id = m.message().messageId();
        String classification = db.queryForObject("select classification from message where message_id = ?",
                String.class, id);
        if (!"restricted".equals(classification)) {
            db.update("update message set classification = 'restricted' where message_id = ?", id);
        }
        assertThat(tracking.body(id, null, null)).containsInstanceOf(OperatorTracking.Body.ReasonRequired.class);
        assertThat(db.queryForObject("select count(*) from audit where action = 'BODY_READ'", Integer.class)).isZero();
        OperatorTracking.Body shown = tracking.body(id, "MPS.C03", ACT).orElseThrow();
        assertThat(((OperatorTracking.Body.Shown) shown).canonical()).isEqualTo(m.canonical());
        assertThat(db.queryForMap("select actor, subject, detail->>'reason' as reason from audit where action = 'BODY_READ'"))
                .containsEntry("actor", "person:operator").containsEntry("subject", id.toString())
                .containsEntry("reason", "the recipient asked for it");

        db.update("update message set classification = 'internal' where message_id = ?", id);
        assertThat(tracking.body(id, null, null)).containsInstanceOf(OperatorTracking.Body.Shown.class);
        assertThat(tracking.body(UUID.randomUUID(), null, null)).isEmpty();
        assertVerified();
    }

    @Test
    void refusedInputsAreListedAndReadingTheirBytesIsAudited() {
        UUID id = UUID.randomUUID();
        byte[] original = "{\"cccd\": \"001099012345\"}".getBytes(StandardCharsets.UTF_8);
        journal.record(List.of(Entries.refused(id, original, "receipt")));

        OperatorTracking.Page<QuarantineSummary> page = tracking.quarantine(null, null, 10);
        assertThat(page.items()).singleElement().satisfies(q -> {
            assertThat(q.quarantineId()).isEqualTo(id);
            assertThat(q.claimedSender()).isEqualTo("PROV.79");
            assertThat(q.bytes()).isEqualTo(original.length);
            assertThat(q.errors().toString()).contains("SCHEMA_REQUIRED").contains("INVALID_CCCD");
        });
        assertThat(tracking.quarantine("MPS.C03", null, 10).items()).isEmpty();
        assertThat(tracking.refused(id)).isPresent();
        assertThat(db.queryForObject("select count(*) from audit where action = 'ORIGINAL_READ'", Integer.class)).isZero();

        assertThat(tracking.original(id, ACT)).hasValue(original);
        assertThat(db.queryForMap("select actor, subject, detail->>'reason' as reason from audit"
                + " where action = 'ORIGINAL_READ'")).containsEntry("actor", "person:operator")
                .containsEntry("subject", id.toString()).containsEntry("reason", "the recipient asked for it");
        assertThat(tracking.original(UUID.randomUUID(), ACT)).isEmpty();
        assertVerified();
    }

    @Test
    void abandoningAFailedDeliveryReleasesItsOrderKey() {
        String key = "MPS.C03|SBV|freeze-9";
        PlannedDelivery k1 = record("MPS.C03", "freeze-9", Entries.push("SBV", key)).deliveries().get(0);
        PlannedDelivery k2 = record("MPS.C03", "freeze-9", Entries.push("SBV", key)).deliveries().get(0);
        outbox.dispatch(10, failing(Set.of(k1.id()), "refused"));
        assertThat(status(k1.id())).isEqualTo("FAILED");
        // The FAILED head holds the key: k2 waits.
        assertThat(outbox.dispatch(10, failing(Set.of(), ""))).isZero();

        assertThat(tracking.abandon(k2.id(), ACT)).as("k2 is not FAILED").isFalse();
        assertThat(tracking.abandon(k1.id(), ACT)).isTrue();
        assertThat(tracking.abandon(k1.id(), ACT)).as("once").isFalse();
        assertThat(db.queryForMap("select status, abandon_reason, abandoned_at is not null as at from delivery"
                + " where id = ?", k1.id())).containsEntry("status", "ABANDONED")
                .containsEntry("abandon_reason", "the recipient asked for it").containsEntry("at", true);

        assertThat(outbox.dispatch(10, failing(Set.of(), ""))).isEqualTo(1);
        assertThat(sent).extracting(DueDelivery::id).containsExactly(k1.id(), k2.id());
        assertThat(status(k2.id())).isEqualTo("DELIVERED");
        assertThat(db.queryForMap("select actor, detail->>'reason' as reason, detail->>'orderKeyReleased' as released"
                + " from audit where action = 'ABANDONED'")).containsEntry("actor", "person:operator")
                .containsEntry("released", "true");
        assertVerified();
    }

    @Test
    void resendOneOrByFilterPutsFailedDeliveriesBackInTheQueue() {
        PlannedDelivery a = Entries.push("SBV", null);
        PlannedDelivery b = Entries.push("SBV", null);
        PlannedDelivery c = Entries.push("MOIT.ECDE", null);
        record("MPS.C03", null, a);
        record("MPS.C03", null, b);
        record("PROV.79", null, c);
        outbox.dispatch(10, failing(Set.of(a.id(), b.id(), c.id()), "down"));

        assertThat(tracking.resend(a.id(), ACT)).isTrue();
        assertThat(tracking.resend(a.id(), ACT)).isFalse();
        assertThat(status(a.id())).isEqualTo("PENDING");

        assertThat(tracking.resendAll(query(q -> q.recipient = "SBV", 50), ACT)).isEqualTo(1);
        assertThat(status(b.id())).isEqualTo("PENDING");
        assertThat(status(c.id())).isEqualTo("FAILED");
        assertThat(db.queryForList("select subject from audit where action = 'RESENT' order by seq", String.class))
                .containsExactly(a.id().toString(), b.id().toString());
        assertThatThrownBy(() -> new OperatorTracking.Act("person:x", "id", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertVerified();
    }

    @Test
    void aPausedRecipientsDeliveriesWaitUntilItIsResumed() {
        PlannedDelivery toSbv = Entries.push("SBV", null);
        PlannedDelivery toMoit = Entries.push("MOIT.ECDE", null);
        record("MPS.C03", null, toSbv);
        record("PROV.79", null, toMoit);

        assertThat(tracking.pause("SBV", ACT)).isTrue();
        assertThat(tracking.pause("SBV", ACT)).isFalse();
        assertThat(tracking.paused()).extracting(OperatorTracking.Pause::recipient).containsExactly("SBV");
        assertThat(outbox.dispatch(10, failing(Set.of(), ""))).isEqualTo(1);
        assertThat(sent).extracting(DueDelivery::id).containsExactly(toMoit.id());
        assertThat(status(toSbv.id())).isEqualTo("PENDING");

        assertThat(tracking.resume("SBV", ACT)).isTrue();
        assertThat(tracking.resume("SBV", ACT)).isFalse();
        assertThat(outbox.dispatch(10, failing(Set.of(), ""))).isEqualTo(1);
        assertThat(status(toSbv.id())).isEqualTo("DELIVERED");
        assertThat(db.queryForList("select action from audit where actor = 'person:operator' order by seq",
                String.class)).containsExactly("RECIPIENT_PAUSED", "RECIPIENT_RESUMED");
        assertVerified();
    }

    // ---------------------------------------------------------------- helpers

    /** A mutable query for tests. */
    private static final class Q {
        UUID messageId;
        String correlationId;
        String sender;
        String recipient;
        String type;
        String status;
        String channel;
        String classification;
        Instant from;
        Instant to;
        Long after;
    }

    private static MessageQuery query(java.util.function.Consumer<Q> set, int limit) {
        Q q = new Q();
        set.accept(q);
        return new MessageQuery(q.messageId, q.correlationId, q.sender, q.recipient, q.type, q.status, q.channel,
                q.classification, q.from, q.to, q.after, limit);
    }

    private List<UUID> ids(MessageQuery query) {
        return tracking.search(query).items().stream().map(MessageSummary::messageId).toList();
    }

    private JournalEntry.Accepted record(String sender, String correlationId, PlannedDelivery... deliveries) {
        List<String> recipients = java.util.Arrays.stream(deliveries).map(PlannedDelivery::recipient).distinct().toList();
        JournalEntry.Accepted entry = Entries.accepted(Entries.envelope(UUID.randomUUID(), sender, recipients,
                correlationId, null), "receipt", deliveries);
        journal.record(List.of(entry));
        return entry;
    }

    private Function<List<DueDelivery>, List<DeliveryOutcome>> failing(Set<UUID> failures, String error) {
        Set<UUID> failed = new HashSet<>(failures);
        return due -> {
            sent.addAll(due);
            return due.stream().map(d -> failed.contains(d.id())
                    ? (DeliveryOutcome) new DeliveryOutcome.Failed(d.id(), error)
                    : new DeliveryOutcome.Delivered(d.id())).toList();
        };
    }

    private String status(UUID id) {
        return db.queryForObject("select status from delivery where id = ?", String.class, id);
    }

    private void assertVerified() {
        try {
            assertThat(AuditLog.verify(ds)).isInstanceOf(AuditVerification.Ok.class);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}

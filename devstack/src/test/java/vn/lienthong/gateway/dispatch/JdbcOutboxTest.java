package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.inbox.Inbox;
import vn.lienthong.gateway.inbox.JdbcInbox;
import vn.lienthong.gateway.tracking.JdbcMessageTracking;
import vn.lienthong.gateway.audit.AuditLog;
import vn.lienthong.gateway.audit.AuditVerification;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.v1.Priority;
import vn.lienthong.gateway.inbox.InboxItem;
import vn.lienthong.gateway.tracking.MessageView;

/** The outbox on a real PostgreSQL: order, retries, FAILED and resend, inbox, acknowledgement, views. */
class JdbcOutboxTest {

    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMinutes(1), 2.0, Duration.ofMinutes(10));

    private DataSource ds;
    private JdbcTemplate db;
    private JdbcJournal journal;
    private JdbcOutbox outbox;
    private JdbcInbox inbox;
    private JdbcMessageTracking tracking;
    /** Everything the test sender was handed, in order. */
    private final List<DueDelivery> sent = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        journal = new JdbcJournal(ds);
        outbox = new JdbcOutbox(ds, POLICY);
        inbox = new JdbcInbox(ds);
        tracking = new JdbcMessageTracking(ds);
    }

    @Test
    void dispatchClaimsDueDeliveriesInAcceptanceOrderAndRecordsTheOutcome() {
        JournalEntry.Accepted m1 = record("PROV.79", Entries.push("MOIT.ECDE", null), Entries.push("MPS.A05", null));
        JournalEntry.Accepted m2 = record("MPS.C03", Entries.push("SBV", null));

        assertThat(outbox.dispatch(10, deliverAll())).isEqualTo(3);

        assertThat(sent).extracting(DueDelivery::id).containsExactly(m1.deliveries().get(0).id(),
                m1.deliveries().get(1).id(), m2.deliveries().get(0).id());
        assertThat(sent).extracting(DueDelivery::seq).isSorted();
        DueDelivery first = sent.get(0);
        assertThat(first.messageId()).isEqualTo(m1.message().messageId());
        assertThat(first.sender()).isEqualTo("PROV.79");
        assertThat(first.recipient()).isEqualTo("MOIT.ECDE");
        assertThat(first.channel()).isEqualTo(ChannelKind.KAFKA);
        assertThat(first.address()).isEqualTo("lienthong.out.MOIT.ECDE");
        assertThat(first.format()).isEqualTo("canonical-json");
        assertThat(first.attempts()).isZero();
        assertThat(first.canonical()).isEqualTo(m1.canonical());

        assertThat(db.queryForList("select status, attempts, delivered_at is not null as at from delivery"))
                .allSatisfy(r -> assertThat(r).containsEntry("status", "DELIVERED").containsEntry("attempts", 1)
                        .containsEntry("at", true));
        assertThat(db.queryForList("select outcome from delivery_attempt_history", String.class))
                .containsExactly("DELIVERED", "DELIVERED", "DELIVERED");
        // First tries that succeeded are their delivery rows only (delivery_attempt_history shows them).
        assertThat(db.queryForObject("select count(*) from delivery_attempt", Integer.class)).isZero();
        assertThat(actions()).containsExactly("MESSAGE_ACCEPTED", "MESSAGE_ACCEPTED", "DELIVERED", "DELIVERED",
                "DELIVERED");
        assertThat(outbox.dispatch(10, deliverAll())).isZero();
        assertThat(sent).hasSize(3);
        assertVerified();
    }

    @Test
    void theLimitIsHonouredAndInboxDeliveriesAreNotPushed() {
        record("PROV.79", Entries.pull("SBV"));
        for (int i = 0; i < 5; i++) {
            record("PROV.79", Entries.push("MOIT.ECDE", null));
        }
        assertThat(outbox.dispatch(2, deliverAll())).isEqualTo(2);
        assertThat(outbox.dispatch(10, deliverAll())).isEqualTo(3);
        assertThat(sent).extracting(DueDelivery::recipient).containsOnly("MOIT.ECDE");
        assertThat(db.queryForObject("select status from delivery where address is null", String.class))
                .isEqualTo("PENDING");
    }

    @Test
    void urgentMessagesAreClaimedAheadOfNormalOnes() {
        record("PROV.79", Entries.push("MOIT.ECDE", null));
        PlannedDelivery urgent = Entries.push("SBV", null);
        journal.record(List.of(Entries.accepted(Entries.envelope(UUID.randomUUID(), "MPS.C03", List.of("SBV"), null,
                Priority.URGENT), "r", urgent)));
        outbox.dispatch(1, deliverAll());
        assertThat(sent).extracting(DueDelivery::id).containsExactly(urgent.id());
    }

    @Test
    void urgentAndNormalRoundsClaimTheirOwnLaneAndOnlyAKeysHead() {
        var transactions = new org.springframework.jdbc.datasource.DataSourceTransactionManager(ds);
        JdbcOutbox urgentOutbox = new JdbcOutbox(ds, transactions, POLICY);
        String key = "MPS.C03|SBV|case-9";
        PlannedDelivery normal = record("PROV.79", Entries.push("MOIT.ECDE", null)).deliveries().get(0);
        PlannedDelivery urgent = Entries.push("SBV", null);
        journal.record(List.of(Entries.accepted(Entries.envelope(UUID.randomUUID(), "MPS.C03", List.of("SBV"), null,
                Priority.URGENT), "r", urgent)));
        // An urgent delivery behind a normal one of its key waits for it, as in any round.
        PlannedDelivery keyHead = record("MPS.C03", Entries.push("SBV", key)).deliveries().get(0);
        PlannedDelivery behind = Entries.push("SBV", key);
        journal.record(List.of(Entries.accepted(Entries.envelope(UUID.randomUUID(), "MPS.C03", List.of("SBV"), null,
                Priority.URGENT), "r", behind)));
        PlannedDelivery urgentHead = Entries.push("SBV", "MPS.C03|SBV|case-10");
        journal.record(List.of(Entries.accepted(Entries.envelope(UUID.randomUUID(), "MPS.C03", List.of("SBV"), null,
                Priority.URGENT), "r", urgentHead)));

        List<DueDelivery> claimed = new org.springframework.transaction.support.TransactionTemplate(transactions)
                .execute(status -> urgentOutbox.claimUrgent(10));

        assertThat(claimed).extracting(DueDelivery::id).containsExactly(urgent.id(), urgentHead.id());
        List<DueDelivery> normalRound = new org.springframework.transaction.support.TransactionTemplate(transactions)
                .execute(status -> urgentOutbox.claimNormal(10));
        assertThat(normalRound).extracting(DueDelivery::id).containsExactly(normal.id(), keyHead.id());
        assertThat(status(keyHead.id())).isEqualTo("PENDING");
        assertThat(status(behind.id())).isEqualTo("PENDING");
    }


    @Test
    void aClaimReadsRowsInProportionToItsBatchNotToTheBacklog() {
        // A backlog of one dominant recipient, as in the scaling run: the statistics say so.
        db.update("insert into message (message_id, sender, type, recipients, priority, classification, created_at,"
                + " received_at, channel, source, input_sha256, canonical, receipt) select gen_random_uuid(),"
                + " 'PROV.79', 'violation.notice', '{MOIT.ECDE}', 'NORMAL', 'INTERNAL', now(), now(), 'jms', 'q', 'x',"
                + " '\\x00', '\\x00' from generate_series(1, 20000)");
        db.update("insert into delivery (id, message_seq, recipient, channel, address, format, status,"
                + " next_attempt_at, created_at, updated_at) select gen_random_uuid(), seq, 'MOIT.ECDE', 'kafka',"
                + " 'lienthong.out.MOIT.ECDE', 'canonical-json', 'PENDING', now(), now(), now() from message");
        db.execute("analyze message");
        db.execute("analyze delivery");
        var transactions = new org.springframework.jdbc.datasource.DataSourceTransactionManager(ds);
        JdbcOutbox claiming = new JdbcOutbox(ds, transactions, POLICY);

        Long read = new org.springframework.transaction.support.TransactionTemplate(transactions).execute(status -> {
            assertThat(claiming.claimNormal(10)).hasSize(10);
            // This transaction's own counters (same connection): heap rows read by scans of delivery.
            return new JdbcTemplate(ds).queryForObject("select seq_tup_read + coalesce(idx_tup_fetch, 0)"
                    + " from pg_stat_xact_user_tables where relname = 'delivery'", Long.class);
        });

        // 10 claimed, 30 candidates: a read of the whole backlog (20,000) would be the planner's
        // sort-everything plan that made claims take seconds at 600,000 pending.
        assertThat(read).isLessThan(1_000L);
    }

    @Test
    void aPausedRecipientsDeliveriesWaitQueuedOrKeyedWhileOthersGoAndGoOnResume() {
        PlannedDelivery queued = record("PROV.79", Entries.push("MOIT.ECDE", null)).deliveries().get(0);
        PlannedDelivery keyed = record("MPS.C03", Entries.push("MOIT.ECDE", "MPS.C03|MOIT.ECDE|case-1")).deliveries().get(0);
        PlannedDelivery other = record("PROV.79", Entries.push("SBV", null)).deliveries().get(0);
        // Two paused recipients, one whose code needs quoting in SQL (the claim writes them into its query).
        db.update("insert into recipient_pause (recipient, paused_at, paused_by, reason) values"
                + " ('MOIT.ECDE', now(), 'op', 'quiet hour'), ('X''Y', now(), 'op', 'test')");

        assertThat(outbox.dispatch(10, deliverAll())).isEqualTo(1);
        assertThat(sent).extracting(DueDelivery::id).containsExactly(other.id());
        assertThat(status(queued.id())).isEqualTo("PENDING");
        assertThat(status(keyed.id())).isEqualTo("PENDING");

        db.update("delete from recipient_pause");
        assertThat(outbox.dispatch(10, deliverAll())).isEqualTo(2);
        assertThat(sent).extracting(DueDelivery::id).containsExactly(other.id(), queued.id(), keyed.id());
    }
    @Test
    void aLaterDeliveryOfAnOrderKeyWaitsWhileAnEarlierOneIsRetried() {
        String key = "PROV.79|MOIT.ECDE|case-7";
        PlannedDelivery k1 = record("PROV.79", Entries.push("MOIT.ECDE", key)).deliveries().get(0);
        PlannedDelivery k2 = record("PROV.79", Entries.push("MOIT.ECDE", key)).deliveries().get(0);
        PlannedDelivery other = record("PROV.79", Entries.push("MOIT.ECDE", null)).deliveries().get(0);

        // k2 is held back while k1 is PENDING, even in the same round.
        outbox.dispatch(10, outcomes(Map.of(k1.id(), "recipient down")));
        assertThat(sent).extracting(DueDelivery::id).containsExactly(k1.id(), other.id());
        assertThat(status(k1.id())).isEqualTo("PENDING");
        assertThat(status(other.id())).isEqualTo("DELIVERED");

        // k1 backs off; k2 still waits behind it.
        assertThat(outbox.dispatch(10, deliverAll())).isZero();

        makeDue();
        outbox.dispatch(10, deliverAll());
        assertThat(sent.subList(2, sent.size())).extracting(DueDelivery::id).containsExactly(k1.id());
        assertThat(sent.get(2).attempts()).isEqualTo(1);

        outbox.dispatch(10, deliverAll());
        assertThat(sent.subList(3, sent.size())).extracting(DueDelivery::id).containsExactly(k2.id());
        assertThat(status(k2.id())).isEqualTo("DELIVERED");
    }

    @Test
    void failuresBackOffThenFailAndAnOperatorResends() {
        String key = "MPS.C03|SBV|freeze-1";
        PlannedDelivery d = record("MPS.C03", Entries.push("SBV", key)).deliveries().get(0);
        PlannedDelivery next = record("MPS.C03", Entries.push("SBV", key)).deliveries().get(0);
        Function<List<DueDelivery>, List<DeliveryOutcome>> failing =
                outcomes(Map.of(d.id(), "HTTP 503 for account 0011004123456\nretry later"));

        outbox.dispatch(10, failing);
        assertThat(waited(d.id())).isEqualTo(Duration.ofMinutes(1));
        makeDue();
        outbox.dispatch(10, failing);
        assertThat(waited(d.id())).isEqualTo(Duration.ofMinutes(2));
        makeDue();
        outbox.dispatch(10, failing);

        Map<String, Object> row = db.queryForMap("select status, attempts, last_error from delivery where id = ?",
                d.id());
        assertThat(row).containsEntry("status", "FAILED").containsEntry("attempts", 3)
                .containsEntry("last_error", "HTTP 503 for account [number] retry later");
        assertThat(db.queryForList("select attempt || ' ' || outcome from delivery_attempt where delivery_id = ?"
                + " order by attempt", String.class, d.id())).containsExactly("1 ERROR", "2 ERROR", "3 ERROR");
        assertThat(actions()).containsExactly("MESSAGE_ACCEPTED", "MESSAGE_ACCEPTED", "DELIVERY_ATTEMPT_FAILED",
                "DELIVERY_ATTEMPT_FAILED", "DELIVERY_FAILED");
        assertThat(db.queryForList("select detail::text from audit", String.class)).noneMatch(
                detail -> detail.contains("0011004123456"));

        // A FAILED delivery still holds its key: nothing goes out until an operator acts.
        makeDue();
        assertThat(outbox.dispatch(10, deliverAll())).isZero();
        assertThat(sent).extracting(DueDelivery::id).containsOnly(d.id());

        assertThat(tracking.resend(next.id(), "operator.nguyen")).isFalse();
        assertThat(tracking.resend(d.id(), "operator.nguyen")).isTrue();
        assertThat(tracking.resend(d.id(), "operator.nguyen")).isFalse();
        assertThat(db.queryForMap("select status, attempts, next_attempt_at <= clock_timestamp() as due"
                + " from delivery where id = ?", d.id()))
                .containsEntry("status", "PENDING").containsEntry("attempts", 3).containsEntry("due", true);
        assertThat(db.queryForMap("select actor, action from audit order by seq desc limit 1"))
                .containsEntry("actor", "operator.nguyen").containsEntry("action", "RESENT");

        outbox.dispatch(10, deliverAll());
        outbox.dispatch(10, deliverAll());
        assertThat(sent.subList(3, sent.size())).extracting(DueDelivery::id).containsExactly(d.id(), next.id());
        assertThat(status(d.id())).isEqualTo("DELIVERED");
        assertThat(status(next.id())).isEqualTo("DELIVERED");
        assertVerified();
    }

    @Test
    void theRecipientsAcknowledgementReleasesTheNextDeliveryOfTheKey() {
        String key = "PROV.79|MOIT.ECDE|case-3";
        PlannedDelivery k1 = record("PROV.79", Entries.push("MOIT.ECDE", key)).deliveries().get(0);
        PlannedDelivery k2 = record("PROV.79", Entries.push("MOIT.ECDE", key)).deliveries().get(0);
        PlannedDelivery k3 = record("PROV.79", Entries.push("MOIT.ECDE", key)).deliveries().get(0);
        assertThat(heads()).containsExactly(key + " " + seq(k1.id()));

        // The recipient already has k1 (a timed-out send that did arrive): acknowledging it frees the key.
        outbox.dispatch(10, outcomes(Map.of(k1.id(), "timeout")));
        assertThat(inbox.acknowledge(k1.id(), "MOIT.ECDE")).isEqualTo(Inbox.AckResult.ACKNOWLEDGED);
        assertThat(heads()).containsExactly(key + " " + seq(k2.id()));

        // A FAILED head acknowledged frees the key too.
        RetryPolicy once = new RetryPolicy(1, Duration.ofMinutes(1), 2.0, Duration.ofMinutes(1));
        new JdbcOutbox(ds, once).dispatch(10, outcomes(Map.of(k2.id(), "refused")));
        assertThat(status(k2.id())).isEqualTo("FAILED");
        assertThat(outbox.dispatch(10, deliverAll())).isZero();
        assertThat(inbox.acknowledge(k2.id(), "MOIT.ECDE")).isEqualTo(Inbox.AckResult.ACKNOWLEDGED);

        outbox.dispatch(10, deliverAll());
        assertThat(sent).extracting(DueDelivery::id).containsExactly(k1.id(), k2.id(), k3.id());
        assertThat(heads()).isEmpty();
    }

    @Test
    void acknowledgingALaterDeliveryOutOfTurnKeepsTheHead() {
        String key = "SBV|MPS.C03|case-4";
        PlannedDelivery k1 = record("SBV", Entries.push("MPS.C03", key)).deliveries().get(0);
        PlannedDelivery k2 = record("SBV", Entries.push("MPS.C03", key)).deliveries().get(0);
        assertThat(inbox.acknowledge(k2.id(), "MPS.C03")).isEqualTo(Inbox.AckResult.ACKNOWLEDGED);
        assertThat(heads()).containsExactly(key + " " + seq(k1.id()));
        outbox.dispatch(10, deliverAll());
        assertThat(sent).extracting(DueDelivery::id).containsExactly(k1.id());
        assertThat(heads()).isEmpty();
    }

    @Test
    void aDeliveryWithoutAnOutcomeOrASenderThatThrowsCountsAsFailed() {
        PlannedDelivery a = record("PROV.79", Entries.push("MOIT.ECDE", null)).deliveries().get(0);
        PlannedDelivery b = record("PROV.79", Entries.push("MPS.A05", null)).deliveries().get(0);
        outbox.dispatch(10, due -> List.of(new DeliveryOutcome.Delivered(a.id()),
                new DeliveryOutcome.Delivered(UUID.randomUUID())));
        assertThat(status(a.id())).isEqualTo("DELIVERED");
        assertThat(db.queryForObject("select last_error from delivery where id = ?", String.class, b.id()))
                .isEqualTo("no outcome");

        makeDue();
        outbox.dispatch(10, due -> {
            throw new IllegalStateException("payload with 001085012345 inside");
        });
        Map<String, Object> row = db.queryForMap("select status, attempts, last_error from delivery where id = ?",
                b.id());
        assertThat(row).containsEntry("status", "PENDING").containsEntry("attempts", 2)
                .containsEntry("last_error", "sender error: IllegalStateException");
    }

    @Test
    void anInboxServesItsDeliveriesUntilAcknowledged() {
        JournalEntry.Accepted m1 = record("PROV.79", Entries.pull("SBV"), Entries.push("MOIT.ECDE", null));
        JournalEntry.Accepted m2 = record("MPS.C03", Entries.pull("SBV"));
        record("MPS.C03", Entries.pull("GDT"));
        UUID d1 = m1.deliveries().get(0).id();
        UUID d2 = m2.deliveries().get(0).id();

        List<InboxItem> items = inbox.inbox("SBV", 10);
        assertThat(items).extracting(InboxItem::deliveryId).containsExactly(d1, d2);
        InboxItem item = items.get(0);
        assertThat(item.messageId()).isEqualTo(m1.message().messageId());
        assertThat(item.sender()).isEqualTo("PROV.79");
        assertThat(item.type()).isEqualTo("violation.notice");
        assertThat(item.format()).isEqualTo("canonical-json");
        assertThat(item.receivedAt()).isEqualTo(m1.receivedAt());
        assertThat(item.canonical()).isEqualTo(m1.canonical());
        assertThat(status(d1)).isEqualTo("DELIVERED");
        assertThat(db.queryForList("select actor from audit where action = 'DELIVERED'", String.class))
                .containsExactly("SBV", "SBV");

        // Fetched again until acknowledged, without new audit entries.
        assertThat(inbox.inbox("SBV", 1)).extracting(InboxItem::deliveryId).containsExactly(d1);
        assertThat(db.queryForObject("select count(*) from audit where action = 'DELIVERED'", Long.class))
                .isEqualTo(2);

        assertThat(inbox.acknowledge(d1, "GDT")).isEqualTo(Inbox.AckResult.NOT_FOUND);
        assertThat(inbox.acknowledge(UUID.randomUUID(), "SBV")).isEqualTo(Inbox.AckResult.NOT_FOUND);
        assertThat(inbox.acknowledge(d1, "SBV")).isEqualTo(Inbox.AckResult.ACKNOWLEDGED);
        assertThat(inbox.acknowledge(d1, "SBV")).isEqualTo(Inbox.AckResult.ALREADY_ACKNOWLEDGED);
        assertThat(db.queryForMap("select status, acknowledged_at is not null as at from delivery where id = ?", d1))
                .containsEntry("status", "ACKNOWLEDGED").containsEntry("at", true);
        assertThat(inbox.inbox("SBV", 10)).extracting(InboxItem::deliveryId).containsExactly(d2);
        assertThat(inbox.inbox("GDT", 10)).hasSize(1);
        assertThat(inbox.inbox("MOIT.ECDE", 10)).isEmpty();

        // A pushing channel's delivery is acknowledged later by the recipient's business reply.
        outbox.dispatch(10, deliverAll());
        assertThat(inbox.acknowledge(m1.deliveries().get(1).id(), "MOIT.ECDE"))
                .isEqualTo(Inbox.AckResult.ACKNOWLEDGED);
        assertThat(db.queryForList("select actor || ' ' || action from audit where action = 'ACKNOWLEDGED'"
                + " order by seq", String.class)).containsExactly("SBV ACKNOWLEDGED", "MOIT.ECDE ACKNOWLEDGED");
        assertVerified();
    }

    @Test
    void aMessageIsShownToItsSenderAndRecipientsOnly() {
        PlannedDelivery toMoit = Entries.push("MOIT.ECDE", null);
        PlannedDelivery toSbv = Entries.pull("SBV");
        JournalEntry.Accepted m = Entries.accepted(Entries.envelope(UUID.randomUUID(), "MPS.C03",
                List.of("MOIT.ECDE", "SBV"), "case-9", null), "r", toMoit, toSbv);
        journal.record(List.of(m));
        outbox.dispatch(10, outcomes(Map.of(toMoit.id(), "refused")));
        UUID id = m.message().messageId();

        MessageView bySender = tracking.message(id, "MPS.C03").orElseThrow();
        assertThat(bySender.sender()).isEqualTo("MPS.C03");
        assertThat(bySender.type()).isEqualTo("violation.notice");
        assertThat(bySender.recipients()).containsExactly("MOIT.ECDE", "SBV");
        assertThat(bySender.correlationId()).isEqualTo("case-9");
        assertThat(bySender.createdAt()).isEqualTo(m.message().createdAt().toInstant());
        assertThat(bySender.receivedAt()).isEqualTo(m.receivedAt());
        assertThat(bySender.channel()).isEqualTo("jms");
        assertThat(bySender.deliveries()).extracting(MessageView.DeliveryView::deliveryId)
                .containsExactly(toMoit.id(), toSbv.id());
        MessageView.DeliveryView failed = bySender.deliveries().get(0);
        assertThat(failed.status()).isEqualTo("PENDING");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("refused");
        assertThat(failed.channel()).isEqualTo("kafka");

        assertThat(tracking.message(id, null).orElseThrow().deliveries()).hasSize(2);
        assertThat(tracking.message(id, "SBV").orElseThrow().deliveries()).extracting(MessageView.DeliveryView::recipient)
                .containsExactly("SBV");
        assertThat(tracking.message(id, "GDT")).isEmpty();
        assertThat(tracking.message(UUID.randomUUID(), null)).isEmpty();
    }

    @Test
    void errorsAreKeptShortOnOneLineAndWithoutLongNumbers() {
        assertThat(JdbcOutbox.safeError("a\r\nb\tc 123456789 12345678")).isEqualTo("a b c [number] 12345678");
        assertThat(JdbcOutbox.safeError("x".repeat(5_000))).hasSize(1_003);
        assertThat(JdbcOutbox.safeError("\n")).isEqualTo("error");
    }

    private JournalEntry.Accepted record(String sender, PlannedDelivery... deliveries) {
        JournalEntry.Accepted entry = Entries.accepted(sender, UUID.randomUUID(), "receipt", deliveries);
        journal.record(List.of(entry));
        return entry;
    }

    private Function<List<DueDelivery>, List<DeliveryOutcome>> deliverAll() {
        return outcomes(Map.of());
    }

    /** Delivers everything except the deliveries named, which fail with the given error. */
    private Function<List<DueDelivery>, List<DeliveryOutcome>> outcomes(Map<UUID, String> failures) {
        return due -> {
            sent.addAll(due);
            return due.stream().map(d -> failures.containsKey(d.id())
                    ? (DeliveryOutcome) new DeliveryOutcome.Failed(d.id(), failures.get(d.id()))
                    : new DeliveryOutcome.Delivered(d.id())).toList();
        };
    }

    /** Moves every backoff to now: the passing of time, without waiting for it. */
    private void makeDue() {
        db.update("update delivery set next_attempt_at = now() where status = 'PENDING'");
    }

    private Duration waited(UUID id) {
        return Duration.ofMillis(db.queryForObject("select (extract(epoch from next_attempt_at - updated_at) * 1000)"
                + "::bigint from delivery where id = ?", Long.class, id));
    }

    private String status(UUID id) {
        return db.queryForObject("select status from delivery where id = ?", String.class, id);
    }

    private long seq(UUID id) {
        return db.queryForObject("select seq from delivery where id = ?", Long.class, id);
    }

    private List<String> heads() {
        return db.queryForList("select order_key || ' ' || head_seq from delivery_order_head order by order_key",
                String.class);
    }

    private List<String> actions() {
        return db.queryForList("select action from audit order by seq", String.class);
    }

    private void assertVerified() {
        try {
            assertThat(AuditLog.verify(ds)).isInstanceOf(AuditVerification.Ok.class);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}

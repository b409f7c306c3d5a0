package vn.lienthong.gateway.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.lienthong.gateway.dispatch.DeliveryOutcome;
import vn.lienthong.gateway.dispatch.JdbcOutbox;
import vn.lienthong.gateway.dispatch.RetryPolicy;
import vn.lienthong.gateway.journal.Entries;
import vn.lienthong.gateway.journal.JdbcJournal;
import vn.lienthong.gateway.journal.TestDatabase;
import vn.lienthong.gateway.message.PlannedDelivery;

/**
 * The metrics say what the journal committed: messages and delivery outcomes by agency, type,
 * channel and outcome, latency, backlog per recipient; an unknown agency becomes "unknown", never
 * a label value of its own; an altered audit entry turns the chain gauge to 0.
 */
class GatewayMetricsTest {

    private DataSource ds;
    private JdbcTemplate db;
    private JdbcJournal journal;
    private SimpleMeterRegistry meters;
    private GatewayMetrics metrics;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.clean();
        db = new JdbcTemplate(ds);
        db.update("delete from recipient_pause");
        journal = new JdbcJournal(ds);
        meters = new SimpleMeterRegistry();
        metrics = new GatewayMetrics(ds, meters, List.of("MPS.C03", "SBV", "PROV.79", "MOIT.ECDE"),
                List.of("violation.notice", "freeze.request"), () -> true, Duration.ofHours(1));
        metrics.refresh();
    }

    @Test
    void countsLatencyAndBacklogFromWhatWasCommitted() {
        PlannedDelivery toSbv = Entries.push("SBV", null);
        PlannedDelivery toMoit = Entries.push("MOIT.ECDE", null);
        journal.record(List.of(Entries.accepted("MPS.C03", UUID.randomUUID(), "r", toSbv)));
        journal.record(List.of(Entries.accepted("PROV.79", UUID.randomUUID(), "r", toMoit)));
        journal.record(List.of(Entries.accepted("NOT.IN.REGISTRY", UUID.randomUUID(), "r", Entries.push("SBV", null))));
        new JdbcOutbox(ds, new RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1))).dispatch(2,
                due -> due.stream().map(d -> d.id().equals(toSbv.id())
                        ? (DeliveryOutcome) new DeliveryOutcome.Delivered(d.id())
                        : new DeliveryOutcome.Failed(d.id(), "account 0011004123456 unknown")).toList());
        metrics.refresh();

        assertThat(meters.get("lienthong_messages").tags("sender", "MPS.C03", "type", "violation.notice",
                "channel", "jms", "outcome", "accepted").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("lienthong_messages").tags("sender", "unknown", "outcome", "accepted").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("lienthong_deliveries").tags("sender", "MPS.C03", "recipient", "SBV",
                "outcome", "delivered").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("lienthong_deliveries").tags("recipient", "MOIT.ECDE", "outcome", "failed")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get("lienthong_delivery_latency").tags("recipient", "SBV").timer().count()).isEqualTo(1);
        assertThat(meters.get("lienthong_deliveries_failed").tags("recipient", "MOIT.ECDE").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("lienthong_backlog_pending").tags("recipient", "SBV").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("lienthong_audit_chain_intact").gauge().value()).isEqualTo(1.0);
        // No label value is anything but a known code, type, channel or outcome.
        meters.getMeters().forEach(m -> m.getId().getTags().forEach(t -> assertThat(t.getValue())
                .as(m.getId().getName() + " " + t.getKey()).matches("[A-Z][A-Z0-9.]*|[a-z][a-z._]*")
                .doesNotContain("0011004123456")));
    }

    @Test
    void theBacklogGaugesReadAnIndexNotTheTableWhenTheBacklogIsMostOfIt() {
        // As in the scaling run: a backlog of one dominant recipient, most of the table PENDING,
        // a few delivered and failed, and the statistics say so.
        db.update("insert into message (message_id, sender, type, recipients, priority, classification, created_at,"
                + " received_at, channel, source, input_sha256, canonical, receipt) select gen_random_uuid(),"
                + " 'PROV.79', 'violation.notice', '{MOIT.ECDE}', 'NORMAL', 'INTERNAL', now(), now(), 'jms', 'q', 'x',"
                + " '\\x00', '\\x00' from generate_series(1, 22000)");
        db.update("insert into delivery (id, message_seq, recipient, channel, address, format, status,"
                + " next_attempt_at, created_at, updated_at) select gen_random_uuid(), seq,"
                + " case when seq % 11 = 0 then 'SBV' else 'MOIT.ECDE' end, 'kafka', 'lienthong.out', 'canonical-json',"
                + " case when seq % 11 = 0 then 'DELIVERED' when seq % 1000 = 1 then 'FAILED' else 'PENDING' end,"
                + " now(), now() - interval '1 minute', now() from message");
        db.execute("analyze message");
        db.execute("analyze delivery");

        String plan = String.join("\n", db.query("explain " + GatewayMetrics.BACKLOG.replace("?::text[]",
                "'{MPS.C03,SBV,PROV.79,MOIT.ECDE}'::text[]"), (rs, i) -> rs.getString(1)));
        assertThat(plan).as(plan).doesNotContain("Seq Scan on delivery").contains("delivery_backlog");

        metrics.refresh();
        double failed = db.queryForObject("select count(*) from delivery where status = 'FAILED'", Double.class);
        assertThat(meters.get("lienthong_backlog_pending").tags("recipient", "MOIT.ECDE").gauge().value())
                .isEqualTo(db.queryForObject("select count(*) from delivery where status = 'PENDING'", Double.class));
        assertThat(meters.get("lienthong_deliveries_failed").tags("recipient", "MOIT.ECDE").gauge().value())
                .isEqualTo(failed).isPositive();
        assertThat(meters.get("lienthong_backlog_oldest_age_seconds").tags("recipient", "MOIT.ECDE").gauge().value())
                .isGreaterThanOrEqualTo(60.0);
        assertThat(meters.get("lienthong_backlog_pending").tags("recipient", "SBV").gauge().value()).isZero();
        TestDatabase.clean();  // no seeded backlog left for the tests after this one
    }

    @Test
    void anAlteredAuditEntryTurnsTheChainGaugeToZero() {
        journal.record(List.of(Entries.accepted("MPS.C03", UUID.randomUUID(), "r", Entries.push("SBV", null))));
        db.update("update audit set detail = jsonb_set(detail, '{sender}', '\"SBV\"') where seq = (select max(seq) from audit)");
        metrics.refresh();
        assertThat(meters.get("lienthong_audit_chain_intact").gauge().value()).isZero();
    }
}

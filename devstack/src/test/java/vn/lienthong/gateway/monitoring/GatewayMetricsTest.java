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
    void anAlteredAuditEntryTurnsTheChainGaugeToZero() {
        journal.record(List.of(Entries.accepted("MPS.C03", UUID.randomUUID(), "r", Entries.push("SBV", null))));
        db.update("update audit set detail = jsonb_set(detail, '{sender}', '\"SBV\"') where seq = (select max(seq) from audit)");
        metrics.refresh();
        assertThat(meters.get("lienthong_audit_chain_intact").gauge().value()).isZero();
    }
}

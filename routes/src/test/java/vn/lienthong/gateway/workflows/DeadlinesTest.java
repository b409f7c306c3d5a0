package vn.lienthong.gateway.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.ids.WorkingDayCalendar;

/** Answer deadlines on the working-day calendar: across a weekend, across Tết, and by the clock. */
class DeadlinesTest {

    private static final Deadlines DEADLINES = new Deadlines(WorkingDayCalendar.vietnam());
    private static final WorkflowSettings DEFAULTS = WorkflowSettings.defaults();

    private static Instant at(String rfc3339) {
        return OffsetDateTime.parse(rfc3339).toInstant();
    }

    @Test
    void aDecree296ReportDeliveredOnFridayIsDueAtTheEndOfMonday() {
        Instant due = DEADLINES.due(DEFAULTS.freezeReportOf("DECREE_296_2025"), at("2026-12-04T10:00:00+07:00"));
        assertThat(due).isEqualTo(at("2026-12-08T00:00:00+07:00"));
    }

    @Test
    void aDecree296ReportDeliveredBeforeTetIsDueAfterTheBreak() {
        // Tết Bính Ngọ: off from Saturday 14 to Sunday 22 February 2026; Monday 23 is the next working day.
        Instant due = DEADLINES.due(DEFAULTS.freezeReportOf("DECREE_296_2025"), at("2026-02-13T16:30:00+07:00"));
        assertThat(due).isEqualTo(at("2026-02-24T00:00:00+07:00"));
    }

    @Test
    void criminalProcedureFreezesAreBoundedOnTheClockAndOtherGroundsTakeTheDefault() {
        Instant from = at("2026-12-05T09:00:00+07:00");
        assertThat(DEADLINES.due(DEFAULTS.freezeReportOf("CPC_2015_ART_129"), from)).isEqualTo(from.plus(Duration.ofHours(24)));
        assertThat(DEFAULTS.freezeReportOf("OTHER")).isEqualTo(new WorkflowSettings.Sla(null, 1));
        // Saturday: the next working day is Monday, due at its end.
        assertThat(DEADLINES.due(DEFAULTS.freezeReportOf("OTHER"), from)).isEqualTo(at("2026-12-08T00:00:00+07:00"));
    }

    @Test
    void configurationOverridesTheLawsDefaults() {
        WorkflowSettings settings = new WorkflowSettings(true,
                Map.of("CPC_2015_ART_129", new WorkflowSettings.Sla(Duration.ofHours(4), null),
                        "default", new WorkflowSettings.Sla(null, 2)),
                null, Duration.ofHours(12), null, null, true, List.of(), null);
        assertThat(settings.freezeReportOf("CPC_2015_ART_129").within()).isEqualTo(Duration.ofHours(4));
        assertThat(settings.freezeReportOf("OTHER").workingDays()).isEqualTo(2);
        // A ground the law gives a default keeps it unless configured.
        assertThat(settings.freezeReportOf("DECREE_296_2025").workingDays()).isEqualTo(1);
        assertThat(settings.takedown()).isEqualTo(Duration.ofHours(12));
        assertThat(settings.escalateTo()).isEmpty();
    }

    @Test
    void theShippedConfigurationBindsToTheLawsDeadlines() throws Exception {
        var sources = new org.springframework.boot.env.YamlPropertySourceLoader().load("application",
                new org.springframework.core.io.ClassPathResource("application.yaml"));
        var binder = new org.springframework.boot.context.properties.bind.Binder(
                org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(sources));
        WorkflowSettings shipped = binder.bind("lienthong.workflows", WorkflowSettings.class).get();
        assertThat(shipped.freezeReportOf("DECREE_296_2025")).isEqualTo(new WorkflowSettings.Sla(null, 1));
        assertThat(shipped.freezeReportOf("CPC_2015_ART_129")).isEqualTo(new WorkflowSettings.Sla(Duration.ofHours(24), null));
        assertThat(shipped.takedown()).isEqualTo(Duration.ofHours(24));
        assertThat(shipped.escalateTo()).containsExactly("BCD389");
        assertThat(shipped.parentOf("PLATFORM.TIKI")).contains("MOIT.ECDE");
        assertThat(shipped.coherence()).isTrue();
    }

    @Test
    void aResponderParentIsFoundByCodeOrByPrefix() {
        WorkflowSettings settings = DEFAULTS.withResponderParents(Map.of("PLATFORM.*", "MOIT.ECDE",
                "PLATFORM.TEMU", "MPS.A05"));
        assertThat(settings.parentOf("PLATFORM.SHOPEE")).contains("MOIT.ECDE");
        assertThat(settings.parentOf("PLATFORM.TEMU")).contains("MPS.A05");
        assertThat(settings.parentOf("SBV")).isEmpty();
        assertThat(DEFAULTS.parentOf("PLATFORM.SHOPEE")).isEmpty();
    }

    @Test
    void aDeadlineIsADurationOrWorkingDaysNotBoth() {
        assertThatThrownBy(() -> new WorkflowSettings.Sla(Duration.ofHours(1), 1))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> new WorkflowSettings.Sla(null, null)).hasMessageContaining("not neither");
    }
}

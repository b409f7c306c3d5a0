package vn.lienthong.gateway.workflows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The workflows' settings ({@code lienthong.workflows.*}): the answer deadlines per measure and
 * legal ground, whether ingress holds replies to the cases they answer, and who else hears of a
 * missed deadline. The law's numbers are defaults here, so that a deployment can correct them.
 *
 * @param coherence whether ingress refuses replies that answer no case of their sender (and the
 *     other coherence rules); off only to take in replies to requests older than the workflows
 * @param freezeReport how long the bank has to report on a FREEZE or DELAY, by the decision's legal
 *     ground code ({@code CPC_2015_ART_129}, {@code DECREE_296_2025}, ...), {@code default} for others
 * @param releaseReport how long the bank has to report on a RELEASE
 * @param takedown how long a platform has to take listings down (Decree 85/2021: 24 hours)
 * @param info the deadline of an information request that names none
 * @param sweepInterval how often the gateway looks for deadlines that passed
 * @param sweep whether this instance sweeps (any number may: each notice goes once)
 * @param escalateTo who besides the requester receives each deadline.overdue (e.g. BCD389)
 * @param responderParents the body over a responder, told too when that responder is late: by agency
 *     code, or by prefix ending in {@code .*} (e.g. {@code PLATFORM.*: MOIT.ECDE}, the platforms'
 *     regulator); the exact code wins over a prefix
 */
@ConfigurationProperties(prefix = "lienthong.workflows")
public record WorkflowSettings(
        @DefaultValue("true") boolean coherence,
        Map<String, Sla> freezeReport,
        Sla releaseReport,
        @DefaultValue("24h") Duration takedown,
        Sla info,
        @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("true") boolean sweep,
        @DefaultValue("BCD389") List<String> escalateTo,
        Map<String, String> responderParents) {

    /** The law's defaults where the configuration is silent. */
    private static final Map<String, Sla> FREEZE_DEFAULTS = Map.of(
            // Decree 296/2025: the bank freezes within 1 working day of receiving the decision.
            "DECREE_296_2025", new Sla(null, 1),
            // CPC art. 129 and AML art. 44: at once; the bound is configuration.
            "CPC_2015_ART_129", new Sla(Duration.ofHours(24), null),
            "AML_2022_ART_44", new Sla(Duration.ofHours(24), null),
            "default", new Sla(null, 1));

    public WorkflowSettings {
        freezeReport = freezeReport == null ? Map.of() : Map.copyOf(freezeReport);
        releaseReport = releaseReport == null ? new Sla(null, 1) : releaseReport;
        takedown = takedown == null ? Duration.ofHours(24) : takedown;
        info = info == null ? new Sla(null, 5) : info;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(30) : sweepInterval;
        escalateTo = escalateTo == null ? List.of() : List.copyOf(escalateTo);
        responderParents = responderParents == null ? Map.of() : Map.copyOf(responderParents);
    }

    /** The defaults: the law's deadlines, coherence on, escalations also to BCD389. */
    public static WorkflowSettings defaults() {
        return new WorkflowSettings(true, Map.of(), null, null, null, null, true, List.of("BCD389"), Map.of());
    }

    /** The body over this responder that hears of its lateness, if one is configured. */
    public java.util.Optional<String> parentOf(String responder) {
        String exact = responderParents.get(responder);
        if (exact != null) {
            return java.util.Optional.of(exact);
        }
        return responderParents.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".*")
                        && responder.startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
                .max(java.util.Map.Entry.comparingByKey(java.util.Comparator.comparingInt(String::length)))
                .map(java.util.Map.Entry::getValue);
    }

    /** The same settings with these responders' parents (for a deployment's code and tests). */
    public WorkflowSettings withResponderParents(Map<String, String> parents) {
        return new WorkflowSettings(coherence, freezeReport, releaseReport, takedown, info, sweepInterval, sweep,
                escalateTo, parents);
    }

    /** The bank's deadline to report on a FREEZE or DELAY of this legal ground. */
    public Sla freezeReportOf(String legalGround) {
        Sla sla = freezeReport.get(legalGround);
        if (sla == null) {
            sla = FREEZE_DEFAULTS.get(legalGround);
        }
        if (sla == null) {
            sla = freezeReport.getOrDefault("default", FREEZE_DEFAULTS.get("default"));
        }
        return sla;
    }

    /**
     * A deadline: a duration ({@code within}) or a number of working days, the answer being due
     * by the end of the n-th working day after the day it counts from.
     */
    public record Sla(Duration within, Integer workingDays) {
        public Sla {
            if ((within == null) == (workingDays == null || workingDays == 0)) {
                throw new IllegalArgumentException("a deadline is either 'within' a duration or 'working-days', not "
                        + (within == null ? "neither" : "both"));
            }
            if (workingDays != null && workingDays < 0) {
                throw new IllegalArgumentException("working-days must not be negative");
            }
        }
    }
}

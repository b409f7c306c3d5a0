package vn.lienthong.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.springframework.context.annotation.Bean;

/** The package rules of the gateway (DESIGN.md §1), as X-Road keeps its arch rules: one place, every rule named. */
public final class GatewayArchitecture {

    /** The gateway's packages; the root holds only the application and its wiring. */
    public static final String GATEWAY = "vn.lienthong.gateway";

    /** No cycles between the gateway's packages (each with its sub-packages is one slice). */
    public static final ArchRule NO_CYCLES = slices().matching(GATEWAY + ".(*)..").should().beFreeOfCycles()
            .as("the gateway's packages form no cycle");

    /** The root package is the composition root: nothing below it depends on it. */
    public static final ArchRule ROOT_ONLY_WIRES = noClasses().that().resideInAPackage(GATEWAY + ".*..")
            .should().dependOnClassesThat().resideInAPackage(GATEWAY)
            .as("nothing depends on the composition root (" + GATEWAY + ")");

    /** What keeps the record never knows how messages come in or go out. */
    public static final ArchRule CORE_KNOWS_NO_CHANNEL = noClasses()
            .that().resideInAnyPackage(GATEWAY + ".registry..", GATEWAY + ".journal..", GATEWAY + ".audit..",
                    GATEWAY + ".policy..", GATEWAY + ".workflows..", GATEWAY + ".atrest..", GATEWAY + ".cluster..")
            .should().dependOnClassesThat().resideInAnyPackage(GATEWAY + ".ingress..", GATEWAY + ".dispatch..",
                    GATEWAY + ".admin..", GATEWAY + ".inbox..", GATEWAY + ".tracking..")
            .as("registry, journal, audit, policy, workflows, atrest and cluster never use ingress, dispatch, admin, inbox or tracking");

    /**
     * Reports read the journal's rows and speak through the journal, as the workflows' notices do:
     * never through a channel's path in or out, nor the operator's seat.
     */
    public static final ArchRule REPORTS_BESIDE_THE_FLOW = noClasses().that().resideInAPackage(GATEWAY + ".reports..")
            .should().dependOnClassesThat().resideInAnyPackage(GATEWAY + ".ingress..", GATEWAY + ".dispatch..",
                    GATEWAY + ".admin..", GATEWAY + ".inbox..", GATEWAY + ".tracking..", GATEWAY + ".channels..")
            .as("reports never use ingress, dispatch, admin, inbox, tracking or channels");

    /**
     * The attachment store and its checks sit below the channels: the ingress and the dispatch use
     * them (one check step, one store), never the other way round, so the store can be wrapped
     * (encryption at rest) without touching a route.
     */
    public static final ArchRule ATTACHMENTS_BELOW_CHANNELS = noClasses()
            .that().resideInAPackage(GATEWAY + ".attachments..")
            .should().dependOnClassesThat().resideInAnyPackage(GATEWAY + ".ingress..", GATEWAY + ".dispatch..",
                    GATEWAY + ".inbox..", GATEWAY + ".tracking..", GATEWAY + ".workflows..")
            .as("attachments never use ingress, dispatch, inbox, tracking or workflows");

    /**
     * Sealing at rest is in one place: only atrest uses the crypto library (Tink), so the stores
     * (file, S3) hold what {@code StreamCipher} gives them and rotation and shredding stay atrest's.
     */
    public static final ArchRule SEALING_IN_ATREST = noClasses()
            .that().resideOutsideOfPackage(GATEWAY + ".atrest..")
            .should().dependOnClassesThat().resideInAPackage("com.google.crypto.tink..")
            .as("only atrest seals (uses Tink)");

    /** Lifecycles are explicit, as X-Road's arch rules want: no init or destroy method named in {@code @Bean}. */
    public static final ArchRule EXPLICIT_LIFECYCLES = methods().that().areAnnotatedWith(Bean.class)
            .should(new ArchCondition<JavaMethod>("not name an init or destroy method in @Bean") {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    Bean bean = method.getAnnotationOfType(Bean.class);
                    if (!bean.initMethod().isEmpty() || !bean.destroyMethod().equals("(inferred)")) {
                        events.add(SimpleConditionEvent.violated(method, method.getFullName()
                                + " names a lifecycle method in @Bean: make it AutoCloseable or start it where it is made"));
                    }
                }
            }).allowEmptyShould(true);

    private GatewayArchitecture() {
    }
}

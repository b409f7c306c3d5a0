package vn.lienthong.gateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lienthong.gateway.journal.DeliberateViolationPartner;
import vn.lienthong.gateway.registry.DeliberateViolation;

/** The gateway's package graph holds to {@link GatewayArchitecture}, and each rule catches a deliberate breach. */
class ArchitectureTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(GatewayArchitecture.GATEWAY);

    /** Test-only classes that break every rule once (they live in the gateway's packages, under src/test). */
    private static final JavaClasses BREACHES = new ClassFileImporter()
            .importClasses(DeliberateViolation.class, DeliberateViolationPartner.class,
                    vn.lienthong.gateway.reports.DeliberateReportsViolation.class,
                    vn.lienthong.gateway.attachments.DeliberateAttachmentViolation.class);

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("no cycles", GatewayArchitecture.NO_CYCLES),
                Arguments.of("root only wires", GatewayArchitecture.ROOT_ONLY_WIRES),
                Arguments.of("core knows no channel", GatewayArchitecture.CORE_KNOWS_NO_CHANNEL),
                Arguments.of("explicit lifecycles", GatewayArchitecture.EXPLICIT_LIFECYCLES),
                Arguments.of("reports beside the flow", GatewayArchitecture.REPORTS_BESIDE_THE_FLOW),
                Arguments.of("attachments below channels", GatewayArchitecture.ATTACHMENTS_BELOW_CHANNELS),
                Arguments.of("sealing in atrest", GatewayArchitecture.SEALING_IN_ATREST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theGatewayKeepsTheRule(String name, ArchRule rule) {
        assertThat(GATEWAY.size()).as("classes imported").isGreaterThan(100);
        rule.check(GATEWAY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theRuleCatchesADeliberateBreach(String name, ArchRule rule) {
        EvaluationResult result = rule.evaluate(BREACHES);
        assertThat(result.hasViolation()).as(name + " reports the breach").isTrue();
    }
}

package vn.lienthong.devstack.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The workshop stays out of the living room: the gateway's classes (from the routes jar on this
 * module's class path) never use the devstack or the benchmark, and the devstack never uses the benchmark.
 */
class WorkshopArchitectureTest {

    static final ArchRule GATEWAY_USES_NO_WORKSHOP = noClasses().that().resideInAPackage("vn.lienthong.gateway..")
            .should().dependOnClassesThat().resideInAnyPackage("vn.lienthong.devstack..", "vn.lienthong.bench..")
            .as("the gateway never uses the devstack or the benchmark");

    static final ArchRule DEVSTACK_USES_NO_BENCH = noClasses().that().resideInAPackage("vn.lienthong.devstack..")
            .should().dependOnClassesThat().resideInAPackage("vn.lienthong.bench..")
            .as("the devstack never uses the benchmark");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("vn.lienthong.gateway", "vn.lienthong.devstack");

    @Test
    void theGatewayAndTheDevstackKeepTheirDistance() {
        assertThat(MAIN.containPackage("vn.lienthong.gateway.ingress")).as("the routes jar is imported").isTrue();
        assertThat(MAIN.containPackage("vn.lienthong.devstack")).isTrue();
        GATEWAY_USES_NO_WORKSHOP.check(MAIN);
        DEVSTACK_USES_NO_BENCH.check(MAIN);
    }

    @Test
    void aGatewayClassUsingTheDevstackIsCaught() {
        JavaClasses breach = new ClassFileImporter().importClasses(vn.lienthong.gateway.DeliberateWorkshopUse.class);
        assertThat(GATEWAY_USES_NO_WORKSHOP.evaluate(breach).hasViolation()).isTrue();
    }
}

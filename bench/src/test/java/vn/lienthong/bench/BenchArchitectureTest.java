package vn.lienthong.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The benchmark is a leaf: neither the gateway nor the devstack uses it (checked with all three on the class path). */
class BenchArchitectureTest {

    static final ArchRule NOTHING_USES_THE_BENCH = noClasses()
            .that().resideInAnyPackage("vn.lienthong.gateway..", "vn.lienthong.devstack..")
            .should().dependOnClassesThat().resideInAPackage("vn.lienthong.bench..")
            .as("neither the gateway nor the devstack uses the benchmark");

    @Test
    void theBenchmarkIsALeaf() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("vn.lienthong.gateway", "vn.lienthong.devstack", "vn.lienthong.bench");
        assertThat(main.containPackage("vn.lienthong.bench")).isTrue();
        assertThat(main.containPackage("vn.lienthong.devstack")).isTrue();
        assertThat(main.containPackage("vn.lienthong.gateway.ingress")).isTrue();
        NOTHING_USES_THE_BENCH.check(main);
    }

    @Test
    void aDevstackClassUsingTheBenchIsCaught() {
        JavaClasses breach = new ClassFileImporter().importClasses(vn.lienthong.devstack.DeliberateBenchUse.class);
        assertThat(NOTHING_USES_THE_BENCH.evaluate(breach).hasViolation()).isTrue();
    }
}

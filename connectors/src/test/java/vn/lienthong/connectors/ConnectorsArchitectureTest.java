package vn.lienthong.connectors;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The package graph of {@code connectors}: no package cycles; nothing of Camel, Spring or JDBC (a
 * connector never touches a broker or a database: the gateway does); and no format package borrows
 * from another (only the shared packages: {@code spi}, the interface; {@code xml}, the XML helpers;
 * {@code files}, receipt files). Each rule is shown once failing on a deliberate violation among
 * test-only classes ({@code archfixture}), so that a rule that can never fail does not pass for a guard.
 */
class ConnectorsArchitectureTest {

    private static final String ROOT = "vn.lienthong.connectors";

    /** The packages every format package may use. */
    private static final String[] SHARED = {"spi", "xml", "files"};

    /** Every package its own slice, the root package included: no cycle between any two. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    /** Nothing under the root depends on Camel, Spring or JDBC. */
    static ArchRule noFrameworksNorDatabase(String root) {
        return noClasses().that().resideInAPackage(root + "..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.camel..", "org.springframework..", "java.sql..", "javax.sql..")
                .because("a connector translates bytes; brokers and databases are the gateway's");
    }

    /** The packages directly under the root do not depend on each other, except on the shared ones. */
    static ArchRule formatsIndependent(String root) {
        String[] shared = new String[SHARED.length];
        for (int i = 0; i < SHARED.length; i++) {
            shared[i] = root + "." + SHARED[i] + "..";
        }
        return slices().matching(root + ".(*)..").should().notDependOnEachOther()
                .ignoreDependency(alwaysTrue(), resideInAnyPackage(shared))
                .because("a format's connector stands alone: what formats share lives in spi, xml or files");
    }

    private static JavaClasses main() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertThat(classes).isNotEmpty();
        return classes;
    }

    private static JavaClasses fixture(String name) {
        return new ClassFileImporter().importPackages(ROOT + ".archfixture." + name);
    }

    @Test
    void noPackageCycles() {
        noPackageCycles("vn.lienthong").check(main());
    }

    @Test
    void theCycleRuleFailsOnACycle() {
        EvaluationResult result = noPackageCycles("vn.lienthong").evaluate(fixture("cycle"));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected").contains("Ping").contains("Pong");
    }

    @Test
    void connectorsUseNoCamelSpringOrJdbc() {
        noFrameworksNorDatabase(ROOT).check(main());
    }

    @Test
    void theFrameworkRuleFailsOnJdbc() {
        EvaluationResult result = noFrameworksNorDatabase(ROOT).evaluate(fixture("jdbc"));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("TouchesDatabase").contains("java.sql.Connection");
    }

    @Test
    void noFormatPackageUsesAnother() {
        formatsIndependent(ROOT).check(main());
    }

    @Test
    void theFormatRuleFailsOnABorrowingFormat() {
        EvaluationResult result = formatsIndependent(ROOT + ".archfixture.formats").evaluate(fixture("formats"));
        assertThat(result.hasViolation()).isTrue();
        String report = result.getFailureReport().toString();
        assertThat(report).contains("Alpha").contains("Beta");
        assertThat(report).as("the shared package is allowed").doesNotContain("Shared");
    }
}

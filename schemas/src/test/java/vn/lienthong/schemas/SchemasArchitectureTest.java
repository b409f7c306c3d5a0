package vn.lienthong.schemas;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The package graph of {@code schemas}: no package cycles (error codes below identifiers and rules,
 * the validator on top). Each rule is shown once failing on a deliberate violation among test-only
 * classes ({@code archfixture}), so that a rule that can never fail does not pass for a guard.
 */
class SchemasArchitectureTest {

    /** Every package its own slice, the root package included: no cycle between any two. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    @Test
    void noPackageCycles() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("vn.lienthong.schemas");
        assertThat(main).isNotEmpty();
        noPackageCycles("vn.lienthong").check(main);
    }

    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("vn.lienthong.schemas.archfixture.cycle");
        EvaluationResult result = noPackageCycles("vn.lienthong").evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected").contains("Ping").contains("Pong");
    }
}
